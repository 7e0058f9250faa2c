import type { DeleteSnapshotReturnCode } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { BlockDeviceMappingRecord, ImageRecord, SnapshotRecord, TagRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { snapshotEventArn, volumeEventArn } from './snapshot-event.js';
import { pendingSnapshot } from './snapshot-state.js';

/**
 * The snapshots behind images: the ones CreateImage, CopyImage and CreateRestoreImageTask make,
 * the check that RegisterImage's exist, the in-use rule of DeleteSnapshot, and
 * DeregisterImage's DeleteAssociatedSnapshots.
 */

/** An image that is not deregistered and has this snapshot in its block device mappings. */
export async function imageUsing(deps: Pick<Ec2Deps, 'store'>, region: string, snapshotId: string): Promise<ImageRecord | undefined> {
  return (await deps.store.listImages(region)).find(
    (i) => i.state !== 'deregistered' && i.blockDeviceMappings.some((m) => m.ebs?.snapshotId === snapshotId),
  );
}

/** How each of an image's snapshots came to be. */
export interface ImageSnapshotOrigin {
  /** CreateImage: the instance's volume per device (a device added by the request has none). */
  volumes?: ReadonlyMap<string, string>;
  instanceId?: string;
  /** CopyImage: the source image, its region, and its mappings' snapshots per device. */
  copiedFrom?: { imageId: string; region: string; snapshots: ReadonlyMap<string, string> };
  /** Tags from the request's TagSpecifications of type `snapshot`. */
  tags: TagRecord[];
}

/**
 * Stores a pending snapshot for every EBS mapping of a new image, due with the image: they end
 * `completed` with it, or `error` when the image is planned to fail. CreateImage's emit
 * `createSnapshot` events (EBS reports them for the snapshots an AMI is made of); the copies
 * CopyImage makes and a restore's emit none. Descriptions are AWS's:
 * `Created by CreateImage(i-…) for ami-…`, `Copied for DestinationAmi ami-… from SourceAmi ami-…
 * for SourceSnapshot snap-…. Task created on <epoch ms>.`
 */
export async function createImageSnapshots(
  deps: Ec2Deps,
  ctx: RequestContext,
  image: ImageRecord,
  origin: ImageSnapshotOrigin,
): Promise<void> {
  const t = image.transition;
  if (!t) return;
  const failure = t.outcome === 'failed' ? { message: t.reasonMessage ?? 'Image creation failed' } : undefined;
  const made: SnapshotRecord[] = [];
  for (const m of image.blockDeviceMappings) {
    if (!m.ebs?.snapshotId) continue;
    const volumeId = origin.volumes?.get(m.deviceName) ?? 'vol-ffffffff';
    const sourceSnapshot = origin.copiedFrom?.snapshots.get(m.deviceName);
    const draft = pendingSnapshot(
      deps,
      ctx,
      {
        volumeId,
        volumeSize: m.ebs.volumeSize ?? 8,
        description: describe(image, origin, sourceSnapshot),
        encrypted: m.ebs.encrypted ?? false,
        ...(m.ebs.kmsKeyId !== undefined && { kmsKeyId: m.ebs.kmsKeyId }),
        sourceArn:
          origin.copiedFrom && sourceSnapshot
            ? snapshotEventArn(origin.copiedFrom.region, sourceSnapshot)
            : volumeEventArn(ctx.region, volumeId),
        imageId: image.imageId,
      },
      origin.tags,
      { dueAt: t.dueAt, failure, ...(origin.instanceId && { event: 'createSnapshot' as const }) },
    );
    made.push({ ...draft, snapshotId: m.ebs.snapshotId });
  }
  await deps.store.putSnapshotsWithEvents(made, []);
}

function describe(image: ImageRecord, origin: ImageSnapshotOrigin, sourceSnapshot: string | undefined): string {
  if (origin.instanceId) return `Created by CreateImage(${origin.instanceId}) for ${image.imageId}`;
  if (origin.copiedFrom) {
    const from = `Copied for DestinationAmi ${image.imageId} from SourceAmi ${origin.copiedFrom.imageId}`;
    return `${from} for SourceSnapshot ${sourceSnapshot ?? 'unknown'}. Task created on ${Date.parse(image.creationDate)}.`;
  }
  return `Created by ${image.origin} for ${image.imageId}`;
}

/** RegisterImage: every snapshot a mapping names must be one of the caller's in the region. */
export async function checkSnapshotsExist(
  deps: Pick<Ec2Deps, 'store'>,
  ctx: RequestContext,
  mappings: readonly BlockDeviceMappingRecord[],
): Promise<void> {
  for (const m of mappings) {
    const id = m.ebs?.snapshotId;
    if (id === undefined) continue;
    const found = await deps.store.getSnapshot(ctx.region, id);
    if (!found || found.accountId !== ctx.accountId) throw ec2Errors.snapshotNotFound(id);
  }
}

/**
 * DeregisterImage's DeleteAssociatedSnapshots, after the image is deregistered: each snapshot is
 * deleted (`success`) unless another image still uses it (`skipped`, as the API reference says:
 * "If a snapshot is associated with multiple AMIs, it is not deleted") or it is gone or not the
 * caller's (`client-error`).
 */
export async function deleteImageSnapshots(deps: Ec2Deps, ctx: RequestContext, image: ImageRecord): Promise<DeleteSnapshotReturnCode[]> {
  const results: DeleteSnapshotReturnCode[] = [];
  for (const m of image.blockDeviceMappings) {
    const id = m.ebs?.snapshotId;
    if (id === undefined || results.some((r) => r.SnapshotId === id)) continue;
    const found = await deps.store.getSnapshot(ctx.region, id);
    if (!found || found.accountId !== ctx.accountId) results.push({ SnapshotId: id, ReturnCode: 'client-error' });
    else if (await imageUsing(deps, ctx.region, id)) results.push({ SnapshotId: id, ReturnCode: 'skipped' });
    else {
      await deps.store.deleteSnapshot(ctx.region, id);
      results.push({ SnapshotId: id, ReturnCode: 'success' });
    }
  }
  return results;
}
