import type { CopyImageRequest, CopyImageResult, CreateImageRequest, CreateImageResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { BlockDeviceMappingRecord, ImageRecord, InstanceRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { mappingsFromInput, overlayMappings, withNewSnapshots } from './block-devices.js';
import { ec2Errors } from './errors.js';
import { checkNameFree, visibleImage } from './image-access.js';
import { createImageSnapshots } from './image-snapshots.js';
import { startImage } from './image-start.js';
import { checkAmiId, checkInstanceId, newSnapshotId } from './ids.js';
import { ownInstance } from './instance-access.js';
import { checkDescription, checkImageName, checkRegionName, imageTagsFrom, mergeTags, required, tagsFor } from './validation.js';

/**
 * CreateImage: an EBS-backed image of one of the caller's instances that is `running` or
 * `stopped` (AWS: "You can create an AMI from an instance that's running or stopped"). Unknown →
 * InvalidInstanceID.NotFound; pending, stopping, shutting-down or terminated → IncorrectState.
 * Without NoReboot a running instance is rebooted first, as AWS does (it stays `running`: no
 * instance event). The image's block device mappings are the instance's volumes, each with a new
 * snapshot, amended by the request's BlockDeviceMappings. The snapshots are real (DescribeSnapshots
 * lists them, tagged with the request's `snapshot` TagSpecifications); each emits `createSnapshot`
 * when the image completes.
 */
export async function createImage(deps: Ec2Deps, ctx: RequestContext, input: CreateImageRequest): Promise<CreateImageResult> {
  const instanceId = checkInstanceId(required(input.InstanceId, 'InstanceId'));
  const name = checkImageName(input.Name);
  const description = checkDescription(input.Description);
  const overrides = mappingsFromInput(input.BlockDeviceMappings);
  const tags = imageTagsFrom(input.TagSpecifications);
  const snapshotTags = tagsFor(input.TagSpecifications, 'snapshot');
  const instance = await ownInstance(deps, ctx, instanceId);
  if (instance.state !== 'running' && instance.state !== 'stopped') throw ec2Errors.instanceIncorrectState(instanceId, instance.state);
  await checkNameFree(deps, ctx, name);
  if (input.DryRun) throw ec2Errors.dryRun();

  if (!input.NoReboot && instance.state === 'running') {
    await deps.store.putInstancesWithEvents([{ ...instance, rebootCount: instance.rebootCount + 1 }], []);
  }
  const source = await deps.store.getImage(ctx.region, instance.imageId);
  const planned = await deps.faults.planFailure('CreateImage', name, tags);
  const image = await startImage(
    deps,
    ctx,
    'CreateImage',
    {
      name,
      ...(description !== undefined && { description }),
      imageType: 'machine',
      architecture: instance.architecture,
      ...(source?.platform !== undefined && { platform: source.platform }),
      platformDetails: instance.platformDetails,
      usageOperation: source?.usageOperation ?? 'RunInstances',
      rootDeviceType: 'ebs',
      rootDeviceName: instance.rootDeviceName,
      blockDeviceMappings: overlayMappings(volumeMappings(instance, deps), overrides, deps.random),
      virtualizationType: 'hvm',
      hypervisor: 'xen',
      enaSupport: true,
      sriovNetSupport: 'simple',
      deregistrationProtection: 'disabled',
      sourceInstanceId: instanceId,
      ...((input.BootModeOverride ?? source?.bootMode) !== undefined && { bootMode: input.BootModeOverride ?? source?.bootMode }),
    },
    tags,
    planned,
  );
  const volumes = new Map(instance.volumes.map((v) => [v.deviceName, v.volumeId]));
  await createImageSnapshots(deps, ctx, image, { volumes, instanceId, tags: snapshotTags });
  return { ImageId: image.imageId };
}

/** The instance's volumes as the image's mappings: one new snapshot per volume. */
function volumeMappings(instance: InstanceRecord, deps: Ec2Deps): BlockDeviceMappingRecord[] {
  return instance.volumes.map((v) => ({
    deviceName: v.deviceName,
    ebs: {
      snapshotId: newSnapshotId(deps.random),
      volumeSize: v.volumeSize,
      volumeType: v.volumeType,
      deleteOnTermination: v.deleteOnTermination,
      encrypted: v.encrypted,
      ...(v.iops !== undefined && { iops: v.iops }),
      ...(v.throughput !== undefined && { throughput: v.throughput }),
    },
  }));
}

/**
 * CopyImage: the copy lives in the caller's (destination) region, so its `pending` →
 * `available`/`failed` events arrive there. The source must be visible to the caller and
 * `available`. A repeated ClientToken returns the first copy (AWS idempotency).
 */
export async function copyImage(deps: Ec2Deps, ctx: RequestContext, input: CopyImageRequest): Promise<CopyImageResult> {
  const sourceId = checkAmiId(required(input.SourceImageId, 'SourceImageId'));
  const sourceRegion = checkRegionName(input.SourceRegion, 'SourceRegion');
  const name = checkImageName(input.Name);
  const description = checkDescription(input.Description);
  const requestTags = imageTagsFrom(input.TagSpecifications);
  const snapshotTags = tagsFor(input.TagSpecifications, 'snapshot');
  if (input.ClientToken) {
    const earlier = (await deps.store.listImages(ctx.region)).find(
      (i) => i.accountId === ctx.accountId && i.clientToken === input.ClientToken,
    );
    if (earlier) return { ImageId: earlier.imageId };
  }
  await deps.publicImages.ensure(sourceRegion);
  const source = await visibleImage(deps, sourceRegion, ctx.accountId, sourceId);
  if (source.state !== 'available') throw ec2Errors.amiUnavailable(sourceId, source.state);
  await checkNameFree(deps, ctx, name);
  if (input.DryRun) throw ec2Errors.dryRun();

  const tags = input.CopyImageTags ? mergeTags(source.tags, requestTags) : requestTags;
  const planned = await deps.faults.planFailure('CopyImage', name, tags);
  const image = await startImage(
    deps,
    ctx,
    'CopyImage',
    {
      ...inheritedByCopy(source),
      name,
      ...(description !== undefined && { description }),
      blockDeviceMappings: withNewSnapshots(source.blockDeviceMappings, deps.random, input.Encrypted),
      sourceImageId: sourceId,
      sourceImageRegion: sourceRegion,
      ...(input.ClientToken && { clientToken: input.ClientToken }),
    },
    tags,
    planned,
  );
  const snapshots = new Map<string, string>();
  for (const m of source.blockDeviceMappings) if (m.ebs?.snapshotId) snapshots.set(m.deviceName, m.ebs.snapshotId);
  await createImageSnapshots(deps, ctx, image, { copiedFrom: { imageId: sourceId, region: sourceRegion, snapshots }, tags: snapshotTags });
  return { ImageId: image.imageId };
}

/** What a copy takes from its source: the machine's description, not its identity or history. */
function inheritedByCopy(source: ImageRecord) {
  const keys = [
    'imageType',
    'architecture',
    'platform',
    'platformDetails',
    'usageOperation',
    'rootDeviceType',
    'rootDeviceName',
    'virtualizationType',
    'hypervisor',
    'enaSupport',
    'sriovNetSupport',
    'bootMode',
    'tpmSupport',
    'imdsSupport',
    'kernelId',
    'ramdiskId',
    'deregistrationProtection',
  ] as const;
  const picked: Partial<Pick<ImageRecord, (typeof keys)[number]>> = {};
  for (const k of keys) if (source[k] !== undefined) Object.assign(picked, { [k]: source[k] });
  return picked as Pick<
    ImageRecord,
    'imageType' | 'architecture' | 'platformDetails' | 'usageOperation' | 'rootDeviceType' | 'virtualizationType' | 'hypervisor'
  > &
    typeof picked;
}
