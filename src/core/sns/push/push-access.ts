import { parseArn } from '../../shared/arn.js';
import { authorize, type OwnedResource } from '../../shared/resource-access.js';
import type { RequestContext } from '../../shared/request-context.js';
import { SnsErrors } from '../../generated/errors.js';

/**
 * An ARN a request names must be of the caller's Region: AWS's regional endpoint refuses another
 * Region's ARN as a bad parameter ("Invalid parameter: TopicArn" for Publish and Subscribe from a
 * client of another Region, boto3 #646/#1084), whether or not the resource exists there.
 */
export function checkRegion(ctx: Pick<RequestContext, 'region'>, arn: string | undefined, param: string): void {
  const region = arn ? parseArn(arn)?.region : undefined;
  if (region !== undefined && region !== ctx.region) throw SnsErrors.InvalidParameter(`Invalid parameter: ${param}`);
}

/**
 * Platform applications and endpoints have no resource policy: only their account may use them.
 * Another account is answered as SNS answers a topic it may not use (AuthorizationError, 403).
 */
export function authorizePush<R extends OwnedResource>(ctx: RequestContext, resource: R, operation: string, param: string): R {
  return authorize(
    ctx,
    resource,
    { action: `SNS:${operation}`, policy: [] },
    {
      notFound: () => SnsErrors.InvalidParameter(`Invalid parameter: ${param}`),
      denied: (principal, action) =>
        SnsErrors.AuthorizationError(`User: ${principal} is not authorized to perform: ${action} on resource: ${resource.arn}`),
    },
  );
}
