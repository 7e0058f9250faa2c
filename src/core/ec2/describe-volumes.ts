import type * as EC2 from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { InstanceRecord, InstanceVolumeRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { checkMaxResults, paginate } from './paging.js';
import { compileFilters } from './simple-filters.js';

/**
 * DescribeVolumes for the EBS volumes of instances: each instance that is not terminated has its
 * volumes `in-use`, attached at its devices (a terminated instance's volumes were deleted with it:
 * DeleteOnTermination is the default of every mapping amiwatch creates).
 */
type Row = { instance: InstanceRecord; volume: InstanceVolumeRecord };

function toVolume({ instance, volume }: Row): EC2.Volume {
  return {
    VolumeId: volume.volumeId,
    Size: volume.volumeSize,
    VolumeType: volume.volumeType as EC2.VolumeType,
    Encrypted: volume.encrypted,
    ...(volume.snapshotId !== undefined && { SnapshotId: volume.snapshotId }),
    ...(volume.iops !== undefined && { Iops: volume.iops }),
    ...(volume.throughput !== undefined && { Throughput: volume.throughput }),
    AvailabilityZone: instance.availabilityZone,
    State: 'in-use',
    CreateTime: new Date(volume.attachTime),
    MultiAttachEnabled: false,
    Attachments: [
      {
        AttachTime: new Date(volume.attachTime),
        Device: volume.deviceName,
        InstanceId: instance.instanceId,
        State: 'attached',
        VolumeId: volume.volumeId,
        DeleteOnTermination: volume.deleteOnTermination,
      },
    ],
  };
}

const volumeFilters: Record<string, (r: Row) => readonly (string | undefined)[]> = {
  'volume-id': (r) => [r.volume.volumeId],
  'attachment.instance-id': (r) => [r.instance.instanceId],
  'attachment.device': (r) => [r.volume.deviceName],
  'attachment.status': () => ['attached'],
  'attachment.delete-on-termination': (r) => [String(r.volume.deleteOnTermination)],
  'availability-zone': (r) => [r.instance.availabilityZone],
  'snapshot-id': (r) => [r.volume.snapshotId],
  size: (r) => [String(r.volume.volumeSize)],
  status: () => ['in-use'],
  'volume-type': (r) => [r.volume.volumeType],
  encrypted: (r) => [String(r.volume.encrypted)],
};

export async function describeVolumes(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DescribeVolumesRequest,
): Promise<EC2.DescribeVolumesResult> {
  const maxResults = checkMaxResults(input.MaxResults, 5, 500);
  const matches = compileFilters(input.Filters, volumeFilters, (name) =>
    name.startsWith('tag:') || name === 'tag-key' ? () => [] : undefined,
  );
  if (input.DryRun) throw ec2Errors.dryRun();
  const rows: Row[] = (await deps.store.listInstances(ctx.region))
    .filter((i) => i.accountId === ctx.accountId && i.state !== 'terminated')
    .flatMap((instance) => instance.volumes.map((volume) => ({ instance, volume })))
    .sort((a, b) => (a.volume.volumeId < b.volume.volumeId ? -1 : 1));
  for (const id of input.VolumeIds ?? []) if (!rows.some((r) => r.volume.volumeId === id)) throw ec2Errors.volumeNotFound(id);
  const chosen = rows.filter((r) => (!input.VolumeIds?.length || input.VolumeIds.includes(r.volume.volumeId)) && matches(r));
  const page = paginate(chosen, (r) => r.volume.volumeId, maxResults, input.NextToken);
  return { Volumes: page.items.map(toVolume), ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
}
