import type { RegisterImageRequest, RegisterImageResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { Ec2Deps } from './ec2-context.js';
import { mappingsFromInput } from './block-devices.js';
import { ec2Errors } from './errors.js';
import { checkNameFree } from './image-access.js';
import { checkSnapshotsExist } from './image-snapshots.js';
import { startImage } from './image-start.js';
import { checkDescription, checkImageName, imageTagsFrom } from './validation.js';
import { Ec2Errors } from '../generated/errors.js';

const architectures = ['i386', 'x86_64', 'arm64', 'x86_64_mac', 'arm64_mac'];
const virtualizationTypes = ['hvm', 'paravirtual'];
const bootModes = ['legacy-bios', 'uefi', 'uefi-preferred'];

function oneOf(value: string | undefined, allowed: readonly string[], parameter: string): string | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw ec2Errors.invalidParameterValue(`Value (${value}) for parameter ${parameter} is invalid. Valid values: ${allowed.join(', ')}`);
  }
  return value;
}

/**
 * RegisterImage: from an instance-store manifest (ImageLocation) or from EBS snapshots
 * (RootDeviceName + a BlockDeviceMapping with a SnapshotId for that device). Defaults follow the
 * API reference: Architecture `i386`, VirtualizationType `paravirtual`. Every snapshot a mapping
 * names must be one of the caller's (InvalidSnapshot.NotFound otherwise); the image uses them as
 * they are (no copies), so DeleteSnapshot refuses them while it is registered.
 */
export async function registerImage(deps: Ec2Deps, ctx: RequestContext, input: RegisterImageRequest): Promise<RegisterImageResult> {
  const name = checkImageName(input.Name);
  const description = checkDescription(input.Description);
  const architecture = oneOf(input.Architecture, architectures, 'architecture') ?? 'i386';
  const virtualizationType = oneOf(input.VirtualizationType, virtualizationTypes, 'virtualizationType') ?? 'paravirtual';
  const bootMode = oneOf(input.BootMode, bootModes, 'bootMode');
  oneOf(input.TpmSupport, ['v2.0'], 'tpmSupport');
  oneOf(input.ImdsSupport, ['v2.0'], 'imdsSupport');
  const mappings = mappingsFromInput(input.BlockDeviceMappings);
  const ebsBacked = input.ImageLocation === undefined;
  if (ebsBacked) checkEbsRoot(input.RootDeviceName, mappings);
  const tags = imageTagsFrom(input.TagSpecifications);
  await checkSnapshotsExist(deps, ctx, mappings);
  await checkNameFree(deps, ctx, name);
  if (input.DryRun) throw ec2Errors.dryRun();

  const planned = await deps.faults.planFailure('RegisterImage', name, tags);
  const image = await startImage(
    deps,
    ctx,
    'RegisterImage',
    {
      name,
      ...(description !== undefined && { description }),
      ...(input.ImageLocation !== undefined && { imageLocation: input.ImageLocation }),
      imageType: 'machine',
      architecture,
      platformDetails: 'Linux/UNIX',
      usageOperation: 'RunInstances',
      rootDeviceType: ebsBacked ? 'ebs' : 'instance-store',
      ...(input.RootDeviceName !== undefined && { rootDeviceName: input.RootDeviceName }),
      blockDeviceMappings: mappings,
      virtualizationType,
      hypervisor: 'xen',
      ...(input.EnaSupport !== undefined && { enaSupport: input.EnaSupport }),
      ...(input.SriovNetSupport !== undefined && { sriovNetSupport: input.SriovNetSupport }),
      ...(bootMode !== undefined && { bootMode }),
      ...(input.TpmSupport !== undefined && { tpmSupport: input.TpmSupport }),
      ...(input.ImdsSupport !== undefined && { imdsSupport: input.ImdsSupport }),
      ...(input.KernelId !== undefined && { kernelId: input.KernelId }),
      ...(input.RamdiskId !== undefined && { ramdiskId: input.RamdiskId }),
      deregistrationProtection: 'disabled',
    },
    tags,
    planned,
  );
  return { ImageId: image.imageId };
}

function checkEbsRoot(rootDeviceName: string | undefined, mappings: ReturnType<typeof mappingsFromInput>): void {
  if (rootDeviceName === undefined || rootDeviceName === '') {
    throw ec2Errors.missingParameter(mappings.length === 0 ? 'ImageLocation' : 'RootDeviceName');
  }
  const root = mappings.find((m) => m.deviceName === rootDeviceName);
  if (!root?.ebs?.snapshotId) {
    throw Ec2Errors.InvalidBlockDeviceMapping(`The root device ${rootDeviceName} needs a block device mapping with an EBS snapshot.`);
  }
}
