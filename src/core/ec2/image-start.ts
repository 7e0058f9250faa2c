import type { RequestContext } from '../shared/request-context.js';
import type { ImageOrigin, ImageRecord, TagRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import type { PlannedFailure } from './faults.js';
import { newImageId } from './ids.js';

/** The fields an operation decides; the rest is filled the same way for all four. */
export type ImageDraft = Omit<
  ImageRecord,
  | 'imageId'
  | 'accountId'
  | 'region'
  | 'state'
  | 'origin'
  | 'requestId'
  | 'creationDate'
  | 'imageLocation'
  | 'tags'
  | 'launchPermissions'
  | 'transition'
> & { imageLocation?: string; launchPermissions?: ImageRecord['launchPermissions'] };

/**
 * Stores a new image `pending`, due to leave that state after the operation's configured
 * duration (or a fault's delay): `available`, or `failed` when the request's `amiwatch:fail` tag
 * or a fault rule says so (`planned`). Emits nothing now; the lifecycle emits at the due time.
 */
export async function startImage(
  deps: Ec2Deps,
  ctx: RequestContext,
  origin: ImageOrigin,
  draft: ImageDraft,
  tags: TagRecord[],
  planned: PlannedFailure | undefined,
): Promise<ImageRecord> {
  const now = deps.clock.now();
  const dueAt = now + (planned?.delayMs ?? deps.options.durations[origin]);
  const image: ImageRecord = {
    ...draft,
    imageId: newImageId(deps.random),
    accountId: ctx.accountId,
    region: ctx.region,
    state: 'pending',
    origin,
    requestId: ctx.requestId,
    creationDate: new Date(now).toISOString(),
    imageLocation: draft.imageLocation ?? `${ctx.accountId}/${draft.name}`,
    launchPermissions: draft.launchPermissions ?? [],
    tags,
    transition: planned
      ? { dueAt, outcome: 'failed', reasonMessage: planned.message, ...(planned.code !== undefined && { reasonCode: planned.code }) }
      : { dueAt, outcome: 'available' },
  };
  await deps.store.putImage(image);
  return image;
}
