import type { RequestContext } from '../shared/request-context.js';
import type { ImageRecord } from '../../storage/ports/ec2-store.js';
import { ec2Errors } from './errors.js';
import { checkAmiId } from './ids.js';
import type { Ec2Deps } from './ec2-context.js';

/** Images a caller may see: their own, public ones, and those shared with their account. */
export function canSee(image: ImageRecord, accountId: string): boolean {
  return image.accountId === accountId || image.launchPermissions.some((p) => p.group === 'all' || p.userId === accountId);
}

/** The caller's own image, or InvalidAMIID.NotFound (AWS does not reveal other owners' images). */
export async function ownImage(
  deps: Ec2Deps,
  ctx: RequestContext,
  imageId: string | undefined,
  parameter = 'ImageId',
): Promise<ImageRecord> {
  if (imageId === undefined || imageId === '') throw ec2Errors.missingParameter(parameter);
  checkAmiId(imageId);
  const image = await deps.store.getImage(ctx.region, imageId);
  if (!image || image.accountId !== ctx.accountId) throw ec2Errors.amiNotFound([imageId]);
  return image;
}

/** An image the caller can see, or InvalidAMIID.NotFound. */
export async function visibleImage(deps: Ec2Deps, region: string, accountId: string, imageId: string): Promise<ImageRecord> {
  checkAmiId(imageId);
  const image = await deps.store.getImage(region, imageId);
  if (!image || !canSee(image, accountId)) throw ec2Errors.amiNotFound([imageId]);
  return image;
}

/** AMI names are unique per account and region among images not deregistered. */
export async function checkNameFree(deps: Ec2Deps, ctx: RequestContext, name: string): Promise<void> {
  const images = await deps.store.listImages(ctx.region);
  const holder = images.find((i) => i.accountId === ctx.accountId && i.name === name && i.state !== 'deregistered');
  if (holder) throw ec2Errors.nameDuplicate(name, holder.imageId);
}
