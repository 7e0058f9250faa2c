import type { BlockDeviceMapping } from '@aws-sdk/client-ec2';
import type { Random } from '../shared/random.js';
import type { BlockDeviceMappingRecord } from '../../storage/ports/ec2-store.js';
import { ec2Errors } from './errors.js';
import { checkSnapshotId, newSnapshotId } from './ids.js';
import { required } from './validation.js';

const volumeTypes = ['standard', 'io1', 'io2', 'gp2', 'gp3', 'sc1', 'st1'];

/** Request BlockDeviceMappings → records, validating ids, sizes and volume types. */
export function mappingsFromInput(input: readonly BlockDeviceMapping[] | undefined): BlockDeviceMappingRecord[] {
  return (input ?? []).map((m) => {
    const deviceName = required(m.DeviceName, 'BlockDeviceMapping.DeviceName');
    const record: BlockDeviceMappingRecord = { deviceName };
    if (m.VirtualName !== undefined) record.virtualName = m.VirtualName;
    if (m.NoDevice !== undefined) record.noDevice = m.NoDevice;
    if (m.Ebs) {
      const e = m.Ebs;
      if (e.SnapshotId !== undefined) checkSnapshotId(e.SnapshotId);
      if (e.VolumeSize !== undefined && (!Number.isInteger(e.VolumeSize) || e.VolumeSize < 1 || e.VolumeSize > 65536)) {
        throw ec2Errors.invalidParameterValue(`Value (${e.VolumeSize}) for parameter volumeSize is invalid.`);
      }
      if (e.VolumeType !== undefined && !volumeTypes.includes(e.VolumeType)) {
        throw ec2Errors.invalidParameterValue(`Value (${e.VolumeType}) for parameter volumeType is invalid.`);
      }
      record.ebs = dropUndefinedEbs({
        snapshotId: e.SnapshotId,
        volumeSize: e.VolumeSize,
        volumeType: e.VolumeType,
        deleteOnTermination: e.DeleteOnTermination,
        encrypted: e.Encrypted,
        iops: e.Iops,
        throughput: e.Throughput,
        kmsKeyId: e.KmsKeyId,
      });
    }
    return record;
  });
}

/**
 * CreateImage's BlockDeviceMappings amend the instance's: a mapping for an existing device
 * overrides its fields, NoDevice removes it, a new device is added.
 */
export function overlayMappings(
  base: BlockDeviceMappingRecord[],
  overrides: BlockDeviceMappingRecord[],
  random: Random,
): BlockDeviceMappingRecord[] {
  const result = new Map(base.map((m) => [m.deviceName, m]));
  for (const o of overrides) {
    if (o.noDevice !== undefined) {
      result.delete(o.deviceName);
      continue;
    }
    const current = result.get(o.deviceName);
    const ebs = o.ebs || current?.ebs ? { ...current?.ebs, ...o.ebs } : undefined;
    if (ebs && !ebs.snapshotId && !o.virtualName) ebs.snapshotId = newSnapshotId(random);
    result.set(o.deviceName, { ...current, ...o, ...(ebs && { ebs }) });
  }
  return [...result.values()];
}

/** Copies get their own snapshots (CopyImage copies the backing snapshots). */
export function withNewSnapshots(
  mappings: readonly BlockDeviceMappingRecord[],
  random: Random,
  encrypted?: boolean,
): BlockDeviceMappingRecord[] {
  return mappings.map((m) =>
    m.ebs ? { ...m, ebs: { ...m.ebs, snapshotId: newSnapshotId(random), ...(encrypted && { encrypted: true }) } } : { ...m },
  );
}

function dropUndefinedEbs<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
