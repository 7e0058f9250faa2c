import type { CloudTrailService } from '../../core/cloudtrail/cloudtrail-service.js';
import { dispatch, type DispatchOptions } from '../dispatch.js';
import { cloudtrailModel, type CloudtrailOperations } from '../generated/cloudtrail.js';
import { jsonProtocol } from '../protocols/json.js';
import type { ServiceHandler } from '../service-handler.js';
import { CommonErrors } from '../../core/generated/errors.js';

/** CloudTrail's operations (`X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>`). */
export function cloudtrailOperations(s: CloudTrailService): CloudtrailOperations {
  const { trails, history } = s;
  return {
    CreateTrail: (ctx, input) => trails.createTrail(ctx, input),
    UpdateTrail: (ctx, input) => trails.updateTrail(ctx, input),
    DeleteTrail: (ctx, input) => trails.deleteTrail(ctx, input),
    DescribeTrails: (ctx, input) => trails.describeTrails(ctx, input),
    GetTrail: (ctx, input) => trails.getTrail(ctx, input),
    ListTrails: (ctx, input) => trails.listTrails(ctx, input),
    GetTrailStatus: (ctx, input) => trails.getTrailStatus(ctx, input),
    StartLogging: (ctx, input) => trails.startLogging(ctx, input),
    StopLogging: (ctx, input) => trails.stopLogging(ctx, input),
    LookupEvents: (ctx, input) => history.lookupEvents(ctx, input),
  };
}

/** The target prefix the SDK v3 sends (its Smithy service name); CLI v2 sends the model's long one. */
const SHORT_TARGET_PREFIX = 'CloudTrail_20131101';

/**
 * CloudTrail over AWS JSON 1.1. Values are checked by the service in CloudTrail's own exceptions
 * (InvalidTrailNameException, InvalidMaxResultsException, …), not the model's ValidationException.
 */
export const cloudtrailProtocol = jsonProtocol(cloudtrailModel, {
  check: () => 'types',
  targetAliases: [SHORT_TARGET_PREFIX],
  unknownOperation: (target) =>
    CommonErrors.UnknownOperationException(target ? `Operation ${target} is not supported.` : 'Missing X-Amz-Target header.'),
  malformed: (detail) => CommonErrors.SerializationException(`Malformed JSON in the request body: ${detail}`),
  internalError: () => CommonErrors.InternalException('An internal error occurred.'),
});

export const CLOUDTRAIL_TARGET_PREFIXES = [cloudtrailModel.targetPrefix!, SHORT_TARGET_PREFIX];

export const createCloudTrailHandler = (s: CloudTrailService, onInternalError?: DispatchOptions['onInternalError']): ServiceHandler =>
  dispatch(cloudtrailProtocol, cloudtrailOperations(s), { ...(onInternalError && { onInternalError }) });

export const cloudtrailError = cloudtrailProtocol.error;
