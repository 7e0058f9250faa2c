import { list, struct, type Spec } from './form-params.js';

/**
 * Query keys of each operation's input, as the botocore model and the SDK's ec2 query serializer
 * write them (captured in shared/wire/*ec2*.http): member name → key, lists flattened.
 */
const dryRun = { DryRun: 'bool' } as const;
const tag = struct({ Key: 'string', Value: 'string' });
const filters: Spec = { Filters: ['Filter', list(struct({ Name: 'string', Values: ['Value', list('string')] }))] };
const tagSpecifications: Spec = {
  TagSpecifications: ['TagSpecification', list(struct({ ResourceType: 'string', Tags: ['Tag', list(tag)] }))],
};
const ebs = struct({
  DeleteOnTermination: 'bool',
  Iops: 'int',
  SnapshotId: 'string',
  VolumeSize: 'int',
  VolumeType: 'string',
  KmsKeyId: 'string',
  Throughput: 'int',
  OutpostArn: 'string',
  Encrypted: 'bool',
});
const blockDeviceMappings: Spec = {
  BlockDeviceMappings: ['BlockDeviceMapping', list(struct({ DeviceName: 'string', VirtualName: 'string', NoDevice: 'string', Ebs: ebs }))],
};
const launchPermissions = list(struct({ UserId: 'string', Group: 'string', OrganizationArn: 'string', OrganizationalUnitArn: 'string' }));

export const inputSpecs: Readonly<Record<string, Spec>> = {
  CreateImage: {
    InstanceId: 'string', Name: 'string', Description: 'string', NoReboot: 'bool', SnapshotLocation: 'string',
    BootModeOverride: 'string', ...blockDeviceMappings, ...tagSpecifications, ...dryRun,
  },
  CopyImage: {
    SourceImageId: 'string', SourceRegion: 'string', Name: 'string', Description: 'string', ClientToken: 'string',
    Encrypted: 'bool', KmsKeyId: 'string', DestinationOutpostArn: 'string', CopyImageTags: 'bool',
    SnapshotCopyCompletionDurationMinutes: 'int', DestinationAvailabilityZone: 'string', DestinationAvailabilityZoneId: 'string',
    ...tagSpecifications, ...dryRun,
  },
  RegisterImage: {
    Name: 'string', ImageLocation: 'string', Description: 'string', Architecture: 'string', KernelId: 'string', RamdiskId: 'string',
    RootDeviceName: 'string', VirtualizationType: 'string', SriovNetSupport: 'string', EnaSupport: 'bool', BootMode: 'string',
    TpmSupport: 'string', UefiData: 'string', ImdsSupport: 'string', BillingProducts: ['BillingProduct', list('string')],
    ...blockDeviceMappings, ...tagSpecifications, ...dryRun,
  },
  CreateRestoreImageTask: { Bucket: 'string', ObjectKey: 'string', Name: 'string', ...tagSpecifications, ...dryRun },
  CreateStoreImageTask: { ImageId: 'string', Bucket: 'string', S3ObjectTags: ['S3ObjectTag', list(tag)], ...dryRun },
  DescribeStoreImageTasks: { ImageIds: ['ImageId', list('string')], NextToken: 'string', MaxResults: 'int', ...filters, ...dryRun },
  DeregisterImage: { ImageId: 'string', DeleteAssociatedSnapshots: 'bool', ...dryRun },
  EnableImage: { ImageId: 'string', ...dryRun },
  DisableImage: { ImageId: 'string', ...dryRun },
  DescribeImages: {
    ImageIds: ['ImageId', list('string')], Owners: ['Owner', list('string')], ExecutableUsers: ['ExecutableBy', list('string')],
    IncludeDeprecated: 'bool', IncludeDisabled: 'bool', MaxResults: 'int', NextToken: 'string', ...filters, ...dryRun,
  },
  DescribeImageAttribute: { ImageId: 'string', Attribute: 'string', ...dryRun },
  ModifyImageAttribute: {
    ImageId: 'string', Attribute: 'string', Value: 'string', OperationType: 'string',
    Description: struct({ Value: 'string' }),
    LaunchPermission: struct({ Add: launchPermissions, Remove: launchPermissions }),
    UserIds: ['UserId', list('string')], UserGroups: ['UserGroup', list('string')], ProductCodes: ['ProductCode', list('string')],
    OrganizationArns: ['OrganizationArn', list('string')], OrganizationalUnitArns: ['OrganizationalUnitArn', list('string')],
    ImdsSupport: struct({ Value: 'string' }), ...dryRun,
  },
  CreateTags: { Resources: ['ResourceId', list('string')], Tags: ['Tag', list(tag)], ...dryRun },
  DeleteTags: { Resources: ['ResourceId', list('string')], Tags: ['Tag', list(tag)], ...dryRun },
  DescribeTags: { MaxResults: 'int', NextToken: 'string', ...filters, ...dryRun },
};
