import type { DescribeImageAttributeRequest, ImageAttribute, LaunchPermission, ModifyImageAttributeRequest } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { ImageRecord, LaunchPermissionRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { ownImage, visibleImage } from './image-access.js';
import { toSdkBlockDeviceMapping } from './image-view.js';
import { checkDescription, required } from './validation.js';
import { Ec2Errors } from '../generated/errors.js';

const value = (v: string | undefined) => (v === undefined ? {} : { Value: v });

/** DescribeImageAttribute: one attribute per call, as AWS answers it. */
const readers: Record<string, (i: ImageRecord) => Partial<ImageAttribute>> = {
  description: (i) => ({ Description: value(i.description) }),
  kernel: (i) => ({ KernelId: value(i.kernelId) }),
  ramdisk: (i) => ({ RamdiskId: value(i.ramdiskId) }),
  launchPermission: (i) => ({ LaunchPermissions: i.launchPermissions.map(toSdkPermission) }),
  productCodes: () => ({ ProductCodes: [] }),
  blockDeviceMapping: (i) => ({ BlockDeviceMappings: i.blockDeviceMappings.map(toSdkBlockDeviceMapping) }),
  sriovNetSupport: (i) => ({ SriovNetSupport: value(i.sriovNetSupport) }),
  bootMode: (i) => ({ BootMode: value(i.bootMode) }),
  tpmSupport: (i) => ({ TpmSupport: value(i.tpmSupport) }),
  uefiData: () => ({ UefiData: {} }),
  lastLaunchedTime: () => ({ LastLaunchedTime: {} }),
  imdsSupport: (i) => ({ ImdsSupport: value(i.imdsSupport) }),
  deregistrationProtection: (i) => ({ DeregistrationProtection: value(i.deregistrationProtection) }),
};

export async function describeImageAttribute(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: DescribeImageAttributeRequest,
): Promise<ImageAttribute> {
  const attribute = required(input.Attribute, 'Attribute');
  const imageId = required(input.ImageId, 'ImageId');
  const read = readers[attribute];
  if (!read) throw ec2Errors.invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  const image = await visibleImage(deps, ctx.region, ctx.accountId, imageId);
  if (attribute === 'launchPermission' && image.accountId !== ctx.accountId) throw notOwner(imageId);
  if (input.DryRun) throw ec2Errors.dryRun();
  return { ImageId: image.imageId, ...read(image) };
}

/**
 * ModifyImageAttribute: the description (Description.Value, or Attribute=description + Value)
 * and launch permissions (LaunchPermission.Add/Remove, or the older OperationType + UserId.N /
 * UserGroup.N form). Group `all` makes the image public.
 */
export async function modifyImageAttribute(deps: Ec2Deps, ctx: RequestContext, input: ModifyImageAttributeRequest): Promise<void> {
  const image = await ownImage(deps, ctx, input.ImageId);
  const attribute = input.Attribute;
  if (attribute !== undefined && attribute !== 'description' && attribute !== 'launchPermission') {
    throw ec2Errors.invalidParameterValue(`Value (${attribute}) for parameter attribute is not supported.`);
  }
  let description = input.Description?.Value;
  if (attribute === 'description' && description === undefined) description = required(input.Value, 'Value');
  checkDescription(description);
  const add = [...permissions(input.LaunchPermission?.Add), ...(input.OperationType === 'add' ? legacy(input) : [])];
  const remove = [...permissions(input.LaunchPermission?.Remove), ...(input.OperationType === 'remove' ? legacy(input) : [])];
  if (input.OperationType !== undefined && input.OperationType !== 'add' && input.OperationType !== 'remove') {
    throw ec2Errors.invalidParameterValue(`Value (${input.OperationType}) for parameter operationType is invalid.`);
  }
  if (description === undefined && add.length === 0 && remove.length === 0) {
    throw ec2Errors.missingParameter('LaunchPermission');
  }
  if (input.DryRun) throw ec2Errors.dryRun();

  const same = (a: LaunchPermissionRecord, b: LaunchPermissionRecord) => a.userId === b.userId && a.group === b.group;
  let launchPermissions = image.launchPermissions.filter((p) => !remove.some((r) => same(p, r)));
  for (const p of add) if (!launchPermissions.some((q) => same(p, q))) launchPermissions = [...launchPermissions, p];
  await deps.store.putImage({ ...image, launchPermissions, ...(description !== undefined && { description }) });
}

function permissions(list: readonly LaunchPermission[] | undefined): LaunchPermissionRecord[] {
  return (list ?? []).map((p) => {
    if (p.Group !== undefined) return group(p.Group);
    return user(required(p.UserId, 'LaunchPermission.UserId'));
  });
}

const legacy = (input: ModifyImageAttributeRequest): LaunchPermissionRecord[] => [
  ...(input.UserIds ?? []).map(user),
  ...(input.UserGroups ?? []).map(group),
];

function group(g: string): LaunchPermissionRecord {
  if (g !== 'all') throw ec2Errors.invalidParameterValue(`Value (${g}) for parameter group is invalid. Valid values: all`);
  return { group: 'all' };
}

function user(id: string): LaunchPermissionRecord {
  if (!/^\d{12}$/.test(id)) throw Ec2Errors.InvalidUserID_Malformed(`Invalid user id: "${id}"`);
  return { userId: id };
}

const toSdkPermission = (p: LaunchPermissionRecord): LaunchPermission => (p.group ? { Group: p.group } : { UserId: p.userId! });

const notOwner = (imageId: string) => Ec2Errors.AuthFailure(`Not authorized for image:${imageId}`);
