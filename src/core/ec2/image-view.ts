import type { BlockDeviceMapping, Image, Tag } from '@aws-sdk/client-ec2';
import type { BlockDeviceMappingRecord, ImageRecord, TagRecord } from '../../storage/ports/ec2-store.js';

/** An image record as DescribeImages returns it (the SDK's `Image` shape). */
export function toSdkImage(r: ImageRecord): Image {
  return dropUndefined({
    ImageId: r.imageId,
    ImageLocation: r.imageLocation,
    State: r.state,
    OwnerId: r.accountId,
    ...(r.ownerAlias !== undefined && { ImageOwnerAlias: r.ownerAlias }),
    CreationDate: r.creationDate,
    Public: isPublic(r),
    Architecture: r.architecture,
    ImageType: r.imageType,
    Platform: r.platform,
    PlatformDetails: r.platformDetails,
    UsageOperation: r.usageOperation,
    Name: r.name,
    Description: r.description,
    RootDeviceType: r.rootDeviceType,
    RootDeviceName: r.rootDeviceName,
    BlockDeviceMappings: r.blockDeviceMappings.map(toSdkBlockDeviceMapping),
    VirtualizationType: r.virtualizationType,
    Hypervisor: r.hypervisor,
    EnaSupport: r.enaSupport,
    SriovNetSupport: r.sriovNetSupport,
    BootMode: r.bootMode,
    TpmSupport: r.tpmSupport,
    ImdsSupport: r.imdsSupport,
    KernelId: r.kernelId,
    RamdiskId: r.ramdiskId,
    SourceInstanceId: r.sourceInstanceId,
    SourceImageId: r.sourceImageId,
    SourceImageRegion: r.sourceImageRegion,
    DeprecationTime: r.deprecationTime,
    DeregistrationProtection: r.deregistrationProtection,
    StateReason: r.stateReason && { Code: r.stateReason.code, Message: r.stateReason.message },
    Tags: r.tags.length > 0 ? r.tags.map(toSdkTag) : undefined,
  }) as Image;
}

export const isPublic = (r: ImageRecord): boolean => r.launchPermissions.some((p) => p.group === 'all');

export const toSdkTag = (t: TagRecord): Tag => ({ Key: t.key, Value: t.value });

export function toSdkBlockDeviceMapping(m: BlockDeviceMappingRecord): BlockDeviceMapping {
  return dropUndefined({
    DeviceName: m.deviceName,
    VirtualName: m.virtualName,
    NoDevice: m.noDevice,
    Ebs:
      m.ebs &&
      dropUndefined({
        SnapshotId: m.ebs.snapshotId,
        VolumeSize: m.ebs.volumeSize,
        VolumeType: m.ebs.volumeType,
        DeleteOnTermination: m.ebs.deleteOnTermination,
        Encrypted: m.ebs.encrypted,
        Iops: m.ebs.iops,
        Throughput: m.ebs.throughput,
        KmsKeyId: m.ebs.kmsKeyId,
      }),
  }) as BlockDeviceMapping;
}

export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
