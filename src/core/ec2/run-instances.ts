import type { RunInstancesRequest, Reservation } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { ImageRecord, InstanceRecord, InstanceVolumeRecord, TagRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { mappingsFromInput, overlayMappings } from './block-devices.js';
import { defaultNetwork, type DefaultSubnet } from './default-network.js';
import { ec2Errors } from './errors.js';
import { checkSnapshotsExist } from './image-snapshots.js';
import { visibleImage } from './image-access.js';
import { newId } from './ids.js';
import { commitInstanceStates, enter } from './instance-state.js';
import { checkKeyName } from './key-pairs.js';
import { resolveGroups } from './security-groups.js';
import { toReservations } from './instance-view.js';
import { required, tagsFor } from './validation.js';

/** A new account's On-Demand limit, in instances per request (AWS's default vCPU quota allows ~20). */
export const instanceLimit = 20;

/** AWS launches `m1.small` when RunInstances names no InstanceType. */
const defaultInstanceType = 'm1.small';
const instanceTypePattern = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/**
 * RunInstances: MaxCount instances (at least MinCount, at most the limit) of an image the caller
 * can see that is `available`, in the default VPC (the subnet asked for, or the first zone's).
 * Each starts `pending` with its "EC2 Instance State-change Notification"; the lifecycle makes it
 * `running` after the configured time — or, when a RunInstances fault (or the `amiwatch:fail`
 * tag) matches, `shutting-down` then `terminated` with the fault's StateReason.
 */
export async function runInstances(deps: Ec2Deps, ctx: RequestContext, input: RunInstancesRequest): Promise<Reservation> {
  const { min, max } = counts(input);
  const image = await visibleImage(deps, ctx.region, ctx.accountId, required(input.ImageId, 'ImageId'));
  if (image.state !== 'available') throw ec2Errors.amiUnavailable(image.imageId, image.state);
  if (input.ClientToken) {
    const earlier = (await deps.store.listInstances(ctx.region)).filter(
      (i) => i.accountId === ctx.accountId && i.clientToken === input.ClientToken,
    );
    if (earlier.length > 0) return toReservations(earlier)[0]!;
  }
  const instanceType = input.InstanceType ?? defaultInstanceType;
  if (!instanceTypePattern.test(instanceType)) throw ec2Errors.invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
  const network = defaultNetwork(ctx.accountId, ctx.region);
  const subnet = pickSubnet(network.subnets, input);
  const groups = await securityGroups(deps, ctx, input);
  const tags = tagsFor(input.TagSpecifications, 'instance');
  const requested = mappingsFromInput(input.BlockDeviceMappings);
  // A snapshot the request names must exist (the image's own are its business, as on AWS).
  await checkSnapshotsExist(deps, ctx, requested);
  const mappings = overlayMappings(image.blockDeviceMappings, requested, deps.random);
  await checkKeyName(deps, ctx, input.KeyName);
  if (min > instanceLimit) throw ec2Errors.instanceLimit(min, instanceLimit);
  if (input.DryRun) throw ec2Errors.dryRun();

  const now = deps.clock.now();
  const failure = await deps.faults.planLaunchFailure(tags);
  const reservationId = newId('r', deps.random);
  const launched: InstanceRecord[] = [];
  for (let n = 0; n < Math.min(max, instanceLimit); n++) {
    const draft = instanceDraft(deps, ctx, {
      input,
      image,
      instanceType,
      subnet,
      groups,
      tags,
      mappings,
      reservationId,
      index: n,
      vpcId: network.vpcId,
      now,
    });
    launched.push(
      enter(deps, draft, 'pending', now, {
        reason: { code: 'pending', message: 'pending' },
        ...(failure && {
          ...(failure.delayMs !== undefined && { delayMs: failure.delayMs }),
          next: { to: 'shutting-down', reasonCode: failure.code ?? 'Server.InternalError', reasonMessage: failure.message },
        }),
      }),
    );
  }
  await commitInstanceStates(deps, launched);
  return { ...toReservations(launched)[0]!, Groups: [] };
}

function counts(input: RunInstancesRequest): { min: number; max: number } {
  const min = required(input.MinCount, 'MinCount');
  const max = required(input.MaxCount, 'MaxCount');
  if (!Number.isInteger(min) || min < 1)
    throw ec2Errors.invalidParameterValue(`Value (${min}) for parameter minCount is invalid. Expected a positive integer.`);
  if (!Number.isInteger(max) || max < 1)
    throw ec2Errors.invalidParameterValue(`Value (${max}) for parameter maxCount is invalid. Expected a positive integer.`);
  if (min > max)
    throw ec2Errors.invalidParameterValue(
      `Value (${min}) for parameter minCount is invalid. Expected a value less than or equal to maxCount (${max}).`,
    );
  return { min, max };
}

function pickSubnet(subnets: readonly DefaultSubnet[], input: RunInstancesRequest): DefaultSubnet {
  // Empty values (Packer sends `SubnetId=` and an empty zone) mean "not chosen", as on AWS.
  const id = input.SubnetId || input.NetworkInterfaces?.[0]?.SubnetId || undefined;
  const zone = input.Placement?.AvailabilityZone || undefined;
  if (id === undefined) {
    const inZone = zone === undefined ? subnets[0] : subnets.find((s) => s.availabilityZone === zone);
    if (!inZone) throw ec2Errors.invalidParameterValue(`Invalid availability zone: [${zone}]`);
    return inZone;
  }
  if (!/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw ec2Errors.subnetMalformed(id);
  const found = subnets.find((s) => s.subnetId === id);
  if (!found) throw ec2Errors.subnetNotFound(id);
  return found;
}

/** SecurityGroupIds / SecurityGroups (names), each an existing group, else the default VPC's `default` group. */
async function securityGroups(deps: Ec2Deps, ctx: RequestContext, input: RunInstancesRequest): Promise<string[]> {
  const ids = [...(input.SecurityGroupIds ?? []), ...(input.NetworkInterfaces?.[0]?.Groups ?? [])];
  for (const id of ids) if (!/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw ec2Errors.groupMalformed(id);
  const names = input.SecurityGroups ?? [];
  if (ids.length === 0 && names.length === 0) return resolveGroups(deps, ctx, [], ['default']);
  return resolveGroups(deps, ctx, ids, names);
}

interface DraftInput {
  input: RunInstancesRequest;
  image: ImageRecord;
  instanceType: string;
  subnet: DefaultSubnet;
  groups: string[];
  tags: TagRecord[];
  mappings: ImageRecord['blockDeviceMappings'];
  reservationId: string;
  index: number;
  vpcId: string;
  now: number;
}

function instanceDraft(deps: Ec2Deps, ctx: RequestContext, d: DraftInput): InstanceRecord {
  const launchTime = new Date(d.now).toISOString();
  const volumes: InstanceVolumeRecord[] = d.mappings
    .filter((m) => m.ebs && m.noDevice === undefined)
    .map((m) => ({
      deviceName: m.deviceName,
      volumeId: newId('vol', deps.random),
      ...(m.ebs!.snapshotId !== undefined && { snapshotId: m.ebs!.snapshotId }),
      volumeSize: m.ebs!.volumeSize ?? 8,
      volumeType: m.ebs!.volumeType ?? 'gp2',
      deleteOnTermination: m.ebs!.deleteOnTermination ?? true,
      encrypted: m.ebs!.encrypted ?? false,
      ...(m.ebs!.iops !== undefined && { iops: m.ebs!.iops }),
      ...(m.ebs!.throughput !== undefined && { throughput: m.ebs!.throughput }),
      attachTime: launchTime,
    }));
  const profile = d.input.IamInstanceProfile;
  return {
    instanceId: newId('i', deps.random),
    accountId: ctx.accountId,
    region: ctx.region,
    reservationId: d.reservationId,
    requestId: ctx.requestId,
    imageId: d.image.imageId,
    instanceType: d.instanceType,
    amiLaunchIndex: d.index,
    state: 'pending',
    stateTransitionReason: '',
    launchTime,
    availabilityZone: d.subnet.availabilityZone,
    vpcId: d.vpcId,
    subnetId: d.subnet.subnetId,
    privateIpAddress: `172.31.${d.subnet.octet + Math.floor(deps.random.float() * 16)}.${2 + Math.floor(deps.random.float() * 250)}`,
    securityGroupIds: d.groups,
    ...(d.input.KeyName !== undefined && { keyName: d.input.KeyName }),
    ...(d.input.UserData !== undefined && { userData: d.input.UserData }),
    ...(profile && { iamInstanceProfileArn: profile.Arn ?? `arn:aws:iam::${ctx.accountId}:instance-profile/${profile.Name}` }),
    architecture: d.image.architecture,
    platformDetails: d.image.platformDetails,
    rootDeviceName: d.image.rootDeviceName ?? '/dev/xvda',
    volumes,
    tags: d.tags,
    disableApiTermination: d.input.DisableApiTermination ?? false,
    disableApiStop: d.input.DisableApiStop ?? false,
    instanceInitiatedShutdownBehavior: d.input.InstanceInitiatedShutdownBehavior === 'terminate' ? 'terminate' : 'stop',
    ebsOptimized: d.input.EbsOptimized ?? false,
    sourceDestCheck: true,
    rebootCount: 0,
    ...(d.input.ClientToken && { clientToken: d.input.ClientToken }),
  };
}
