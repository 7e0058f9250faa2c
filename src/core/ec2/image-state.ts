import type {
  DeregisterImageRequest,
  DeregisterImageResult,
  DisableImageRequest,
  DisableImageResult,
  EnableImageRequest,
  EnableImageResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import { ServiceError } from '../shared/service-error.js';
import type { ImageRecord } from '../../storage/ports/ec2-store.js';
import { commitStateChange, type Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import type { FaultOperation } from './faults.js';
import { ownImage } from './image-access.js';
import { deleteImageSnapshots } from './image-snapshots.js';
import { Ec2Errors } from '../generated/errors.js';

/**
 * DeregisterImage is synchronous (guide: "Any failure is known immediately"): the image is
 * `deregistered` at once and the event is queued in the same transaction; a failing call changes
 * nothing and emits nothing. A pending image may be deregistered: it then never completes.
 * With DeleteAssociatedSnapshots its snapshots are deleted too, unless another image uses one
 * (`skipped`); DeleteSnapshotResults says what became of each.
 */
export async function deregisterImage(deps: Ec2Deps, ctx: RequestContext, input: DeregisterImageRequest): Promise<DeregisterImageResult> {
  const image = await ownImage(deps, ctx, input.ImageId);
  if (image.state === 'deregistered') throw ec2Errors.amiUnavailable(image.imageId, image.state);
  if (image.deregistrationProtection?.startsWith('enabled')) {
    throw Ec2Errors.OperationNotPermitted(`Image ${image.imageId} has deregistration protection enabled.`);
  }
  if (input.DryRun) throw ec2Errors.dryRun();
  await failIfFaulted(deps, 'DeregisterImage', image);

  const { transition: _dropped, stateReason: _reason, ...rest } = image;
  await commitStateChange(deps, { ...rest, state: 'deregistered', deregisteredAt: deps.clock.now() }, ctx.requestId);
  const snapshots = input.DeleteAssociatedSnapshots ? await deleteImageSnapshots(deps, ctx, image) : undefined;
  return { Return: true, ...(snapshots && { DeleteSnapshotResults: snapshots }) };
}

/**
 * DisableImage: `available` → `disabled` (AWS's current page lists a `disabled` event). A disabled
 * AMI is made private, as AWS does; its other launch permissions are kept.
 */
export async function disableImage(deps: Ec2Deps, ctx: RequestContext, input: DisableImageRequest): Promise<DisableImageResult> {
  const image = await ownImage(deps, ctx, input.ImageId);
  if (image.state !== 'available') throw ec2Errors.incorrectState(image.imageId, image.state);
  if (input.DryRun) throw ec2Errors.dryRun();
  await failIfFaulted(deps, 'DisableImage', image);
  const launchPermissions = image.launchPermissions.filter((p) => p.group !== 'all');
  await commitStateChange(deps, { ...image, state: 'disabled', launchPermissions }, ctx.requestId);
  return { Return: true };
}

/** EnableImage: `disabled` → `available`, with an `available` event (AWS's current page). */
export async function enableImage(deps: Ec2Deps, ctx: RequestContext, input: EnableImageRequest): Promise<EnableImageResult> {
  const image = await ownImage(deps, ctx, input.ImageId);
  if (image.state !== 'disabled') throw ec2Errors.incorrectState(image.imageId, image.state);
  if (input.DryRun) throw ec2Errors.dryRun();
  await failIfFaulted(deps, 'EnableImage', image);
  await commitStateChange(deps, { ...image, state: 'available' }, ctx.requestId);
  return { Return: true };
}

async function failIfFaulted(deps: Ec2Deps, operation: FaultOperation, image: ImageRecord): Promise<void> {
  const rule = await deps.faults.match(operation, image.name, image.tags);
  if (rule) throw new ServiceError(rule.errorCode ?? 'OperationNotPermitted', rule.errorMessage);
}
