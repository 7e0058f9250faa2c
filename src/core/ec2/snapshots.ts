import type * as EC2 from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { SnapshotRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { checkSnapshotId, checkVolumeId } from './ids.js';
import { imageUsing } from './image-snapshots.js';
import { snapshotEventArn, volumeEventArn } from './snapshot-event.js';
import { pendingSnapshot } from './snapshot-state.js';
import { toSnapshot } from './snapshot-view.js';
import { checkRegionName, required, tagsFor } from './validation.js';

/**
 * CreateSnapshot, CopySnapshot and DeleteSnapshot. A new snapshot is `pending` for
 * `snapshotDurationMs`, then `completed` (or `error`, by its `amiwatch:fail` tag or a fault rule),
 * emitting "EBS Snapshot Notification" (`createSnapshot` / `copySnapshot`) on the default bus.
 */

/** The caller's snapshot with this id in `region`, or InvalidSnapshot.NotFound (others' are not revealed). */
export async function ownSnapshot(
  deps: Pick<Ec2Deps, 'store'>,
  accountId: string,
  region: string,
  id: string | undefined,
  parameter = 'SnapshotId',
): Promise<SnapshotRecord> {
  const snapshotId = checkSnapshotId(required(id, parameter));
  const found = await deps.store.getSnapshot(region, snapshotId);
  if (!found || found.accountId !== accountId) throw ec2Errors.snapshotNotFound(snapshotId);
  return found;
}

/** Descriptions: up to 255 characters, as AWS allows. */
function checkSnapshotDescription(description: string | undefined): string {
  if (description !== undefined && description.length > 255) {
    throw ec2Errors.invalidParameterValue('Value for parameter description is invalid. Length exceeds maximum of 255 characters.');
  }
  return description ?? '';
}

/** From a volume of one of the caller's instances that is not terminated (DescribeVolumes' volumes). */
export async function createSnapshot(deps: Ec2Deps, ctx: RequestContext, input: EC2.CreateSnapshotRequest): Promise<EC2.Snapshot> {
  const volumeId = checkVolumeId(required(input.VolumeId, 'VolumeId'));
  const description = checkSnapshotDescription(input.Description);
  const tags = tagsFor(input.TagSpecifications, 'snapshot');
  const volume = (await deps.store.listInstances(ctx.region))
    .filter((i) => i.accountId === ctx.accountId && i.state !== 'terminated')
    .flatMap((i) => i.volumes)
    .find((v) => v.volumeId === volumeId);
  if (!volume) throw ec2Errors.volumeNotFound(volumeId);
  if (input.DryRun) throw ec2Errors.dryRun();

  const failure = await deps.faults.planSnapshotFailure('CreateSnapshot', tags);
  const snapshot = pendingSnapshot(
    deps,
    ctx,
    {
      volumeId,
      volumeSize: volume.volumeSize,
      description,
      encrypted: volume.encrypted,
      sourceArn: volumeEventArn(ctx.region, volumeId),
    },
    tags,
    { dueAt: deps.clock.now() + (failure?.delayMs ?? deps.options.snapshotDurationMs), failure, event: 'createSnapshot' },
  );
  await deps.store.putSnapshotsWithEvents([snapshot], []);
  return toSnapshot(snapshot, deps.clock.now());
}

/**
 * Copies one of the caller's `completed` snapshots from `SourceRegion` (the same region or
 * another) into the region the request was signed for, where the copy and its event live.
 * AWS's default description of a copy: `[Copied snap-… from us-east-1]`.
 */
export async function copySnapshot(deps: Ec2Deps, ctx: RequestContext, input: EC2.CopySnapshotRequest): Promise<EC2.CopySnapshotResult> {
  const sourceRegion = checkRegionName(input.SourceRegion, 'SourceRegion');
  const description = checkSnapshotDescription(input.Description);
  const tags = tagsFor(input.TagSpecifications, 'snapshot');
  const source = await ownSnapshot(deps, ctx.accountId, sourceRegion, input.SourceSnapshotId, 'SourceSnapshotId');
  if (source.state !== 'completed') throw ec2Errors.snapshotIncorrectState(source.snapshotId, source.state);
  if (input.DryRun) throw ec2Errors.dryRun();

  const failure = await deps.faults.planSnapshotFailure('CopySnapshot', tags);
  const encrypted = source.encrypted || input.Encrypted === true;
  const kmsKeyId = input.KmsKeyId ?? source.kmsKeyId;
  const copy = pendingSnapshot(
    deps,
    ctx,
    {
      volumeId: 'vol-ffffffff',
      volumeSize: source.volumeSize,
      description: description || `[Copied ${source.snapshotId} from ${sourceRegion}]`,
      encrypted,
      ...(kmsKeyId !== undefined && { kmsKeyId }),
      sourceArn: snapshotEventArn(sourceRegion, source.snapshotId),
      sourceSnapshotId: source.snapshotId,
      sourceRegion,
    },
    tags,
    { dueAt: deps.clock.now() + (failure?.delayMs ?? deps.options.snapshotDurationMs), failure, event: 'copySnapshot' },
  );
  await deps.store.putSnapshotsWithEvents([copy], []);
  return { SnapshotId: copy.snapshotId, ...(tags.length > 0 && { Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) }) };
}

/** Refused while an image that is not deregistered uses the snapshot (AWS's InvalidSnapshot.InUse). */
export async function deleteSnapshot(deps: Ec2Deps, ctx: RequestContext, input: EC2.DeleteSnapshotRequest): Promise<void> {
  const snapshot = await ownSnapshot(deps, ctx.accountId, ctx.region, input.SnapshotId);
  const user = await imageUsing(deps, ctx.region, snapshot.snapshotId);
  if (user) throw ec2Errors.snapshotInUse(snapshot.snapshotId, user.imageId);
  if (input.DryRun) throw ec2Errors.dryRun();
  await deps.store.deleteSnapshot(ctx.region, snapshot.snapshotId);
}
