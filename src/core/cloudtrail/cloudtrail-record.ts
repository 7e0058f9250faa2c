import type { ApiCallRecord } from '../../storage/ports/cloudtrail-store.js';
import { isoSeconds } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import type { ApiCall } from './api-call.js';
import { callResources } from './call-resources.js';
import { isReadOnly } from './read-only.js';
import { cloudTrailShape } from './request-parameters.js';

/** The CloudTrail record version amiwatch writes (the fields below are those of 1.09). */
export const EVENT_VERSION = '1.09';

/** `ec2` → `ec2.amazonaws.com`: the eventSource; the EventBridge source is `aws.<service>`. */
export const eventSourceOf = (service: string): string => `${service}.amazonaws.com`;

/**
 * A CloudTrail record of one call (AWS's "CloudTrail record contents"): the caller as the
 * account's root identity (amiwatch has no IAM users; the access key is the one that signed),
 * request parameters in CloudTrail's shape, response elements for calls that change something
 * (read-only calls record none, as CloudTrail does), errorCode/errorMessage for a failed call.
 */
export function buildRecord(
  ctx: RequestContext,
  call: ApiCall,
  eventId: string,
  now: number,
): { record: Record<string, unknown>; stored: ApiCallRecord } {
  const readOnly = isReadOnly(call.operation);
  const ec2 = call.service === 'ec2';
  const record: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: {
      type: 'Root',
      principalId: ctx.accountId,
      arn: `arn:aws:iam::${ctx.accountId}:root`,
      accountId: ctx.accountId,
      accessKeyId: call.accessKeyId,
    },
    eventTime: isoSeconds(now),
    eventSource: eventSourceOf(call.service),
    eventName: call.operation,
    awsRegion: ctx.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
    ...(call.error && { errorCode: call.error.code, errorMessage: call.error.message }),
    requestParameters: Object.keys(call.input).length === 0 ? null : cloudTrailShape(call.input, ec2, call.inputShape),
    responseElements: readOnly || call.error ? null : responseElements(call, ctx.requestId, ec2),
    requestID: ctx.requestId,
    eventID: eventId,
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ctx.accountId,
    eventCategory: 'Management',
  };
  const stored: ApiCallRecord = {
    accountId: ctx.accountId,
    region: ctx.region,
    eventId,
    eventTime: Math.floor(now / 1000) * 1000,
    eventName: call.operation,
    eventSource: eventSourceOf(call.service),
    readOnly,
    username: 'root',
    accessKeyId: call.accessKeyId,
    resources: callResources(call.service, call.operation, call.input, readOnly ? undefined : call.output),
    body: JSON.stringify(record),
  };
  return { record, stored };
}

/** EC2 writes its request id and `_return` for calls that return nothing; JSON services their output. */
function responseElements(call: ApiCall, requestId: string, ec2: boolean): unknown {
  const output =
    call.output !== undefined && call.output !== null && Object.keys(call.output).length > 0
      ? cloudTrailShape(call.output, ec2, call.outputShape)
      : null;
  if (ec2) return { requestId, ...(output === null ? { _return: true } : (output as object)) };
  return output;
}
