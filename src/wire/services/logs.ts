import type { LogsService } from '../../core/logs/logs-service.js';
import { CommonErrors, LogsErrors } from '../../core/generated/errors.js';
import { isServiceError } from '../../core/shared/service-error.js';
import { dispatch, type DispatchOptions, type Protocol } from '../dispatch.js';
import { logsModel, type LogsOperations } from '../generated/logs.js';
import { jsonProtocol } from '../protocols/json.js';
import type { ServiceHandler } from '../service-handler.js';

/** CloudWatch Logs' operations (`X-Amz-Target: Logs_20140328.<Operation>`) bound to the domain. */
export function logsOperations(logs: LogsService): LogsOperations {
  const { groups, events } = logs;
  return {
    CreateLogGroup: (ctx, input) => groups.createLogGroup(ctx, input),
    DeleteLogGroup: (ctx, input) => groups.deleteLogGroup(ctx, input),
    DescribeLogGroups: (ctx, input) => groups.describeLogGroups(ctx, input),
    CreateLogStream: (ctx, input) => groups.createLogStream(ctx, input),
    DeleteLogStream: (ctx, input) => groups.deleteLogStream(ctx, input),
    DescribeLogStreams: (ctx, input) => groups.describeLogStreams(ctx, input),
    PutLogEvents: (ctx, input) => events.putLogEvents(ctx, input),
    GetLogEvents: (ctx, input) => events.getLogEvents(ctx, input),
    FilterLogEvents: (ctx, input) => events.filterLogEvents(ctx, input),
    PutRetentionPolicy: (ctx, input) => groups.putRetentionPolicy(ctx, input),
    DeleteRetentionPolicy: (ctx, input) => groups.deleteRetentionPolicy(ctx, input),
    TagResource: (ctx, input) => groups.tagResource(ctx, input),
    UntagResource: (ctx, input) => groups.untagResource(ctx, input),
    ListTagsForResource: (ctx, input) => groups.listTagsForResource(ctx, input),
    TagLogGroup: (ctx, input) => groups.tagLogGroup(ctx, input),
    UntagLogGroup: (ctx, input) => groups.untagLogGroup(ctx, input),
    ListTagsLogGroup: (ctx, input) => groups.listTagsLogGroup(ctx, input),
  };
}

const json = jsonProtocol(logsModel, {
  check: () => 'full',
  unknownOperation: (target) =>
    CommonErrors.UnknownOperationException(target ? `Operation ${target} is not supported.` : 'Missing X-Amz-Target header.'),
  malformed: (detail) => CommonErrors.SerializationException(`Malformed JSON in the request body: ${detail}`),
  internalError: () => LogsErrors.ServiceUnavailableException('The service cannot complete the request.'),
});

/**
 * CloudWatch Logs over AWS JSON 1.1. A value breaking the model's constraints is an
 * InvalidParameterException carrying the usual "1 validation error detected: …" text: Logs
 * names its validation failures so, where EventBridge says ValidationException.
 */
export const logsProtocol: Protocol = {
  ...json,
  read(request) {
    try {
      return json.read(request);
    } catch (err) {
      if (isServiceError(err) && err.code === 'ValidationException') throw LogsErrors.InvalidParameterException(err.message);
      throw err;
    }
  },
};

export const createLogsHandler = (logs: LogsService, onInternalError?: DispatchOptions['onInternalError']): ServiceHandler =>
  dispatch(logsProtocol, logsOperations(logs), { ...(onInternalError && { onInternalError }) });

export const logsError = logsProtocol.error;
