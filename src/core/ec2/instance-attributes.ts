import type * as EC2 from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { InstanceRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { ownInstance } from './instance-access.js';

/**
 * ModifyInstanceAttribute / DescribeInstanceAttribute for what a bake or a pipeline touches:
 * instanceType and userData (only while `stopped`, as AWS requires), disableApiTermination,
 * disableApiStop, instanceInitiatedShutdownBehavior, sourceDestCheck, ebsOptimized, groupSet and
 * the volumes' DeleteOnTermination.
 */
type Change = (i: InstanceRecord) => InstanceRecord;

const bool = (v: EC2.AttributeBooleanValue | undefined) => v?.Value;
const blobText = (v: Uint8Array | string | undefined): string | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? v : Buffer.from(v).toString('base64');

function changesFrom(input: EC2.ModifyInstanceAttributeRequest): Change[] {
  const changes: Change[] = [];
  const plain = attributeValue(input);
  const type = input.InstanceType?.Value ?? plain.instanceType;
  if (type !== undefined) changes.push(stoppedOnly((i) => ({ ...i, instanceType: type })));
  const userData = blobText(input.UserData?.Value) ?? plain.userData;
  if (userData !== undefined) changes.push(stoppedOnly((i) => ({ ...i, userData })));
  const flags: Array<[keyof InstanceRecord, boolean | undefined]> = [
    ['disableApiTermination', bool(input.DisableApiTermination) ?? asBool(plain.disableApiTermination)],
    ['disableApiStop', bool(input.DisableApiStop) ?? asBool(plain.disableApiStop)],
    ['sourceDestCheck', bool(input.SourceDestCheck) ?? asBool(plain.sourceDestCheck)],
    ['ebsOptimized', bool(input.EbsOptimized) ?? asBool(plain.ebsOptimized)],
  ];
  for (const [key, value] of flags) if (value !== undefined) changes.push((i) => ({ ...i, [key]: value }));
  const behaviour = input.InstanceInitiatedShutdownBehavior?.Value ?? plain.instanceInitiatedShutdownBehavior;
  if (behaviour !== undefined) {
    if (behaviour !== 'stop' && behaviour !== 'terminate')
      throw ec2Errors.invalidParameterValue(`Value (${behaviour}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
    changes.push((i) => ({ ...i, instanceInitiatedShutdownBehavior: behaviour }));
  }
  if (input.Groups && input.Groups.length > 0) {
    for (const g of input.Groups) if (!/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(g)) throw ec2Errors.groupMalformed(g);
    changes.push((i) => ({ ...i, securityGroupIds: [...new Set(input.Groups)] }));
  }
  for (const m of input.BlockDeviceMappings ?? []) changes.push(deleteOnTermination(m));
  return changes;
}

/** The older form: `Attribute=instanceType&Value=t3.micro`. */
function attributeValue(input: EC2.ModifyInstanceAttributeRequest): Record<string, string> {
  if (input.Attribute === undefined) return {};
  if (input.Value === undefined) throw ec2Errors.missingParameter('Value');
  return { [input.Attribute]: input.Value };
}

const asBool = (v: string | undefined) => (v === undefined ? undefined : v === 'true');

function stoppedOnly(change: Change): Change {
  return (i) => {
    if (i.state !== 'stopped') throw ec2Errors.notStopped(i.instanceId);
    return change(i);
  };
}

function deleteOnTermination(m: EC2.InstanceBlockDeviceMappingSpecification): Change {
  return (i) => {
    const volume = i.volumes.find((v) => v.deviceName === m.DeviceName);
    if (!volume) throw ec2Errors.invalidParameterValue(`No device is currently mapped at ${m.DeviceName}`);
    const value = m.Ebs?.DeleteOnTermination;
    if (value === undefined) return i;
    return { ...i, volumes: i.volumes.map((v) => (v === volume ? { ...v, deleteOnTermination: value } : v)) };
  };
}

export async function modifyInstanceAttribute(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.ModifyInstanceAttributeRequest,
): Promise<void> {
  const instance = await ownInstance(deps, ctx, input.InstanceId);
  const changes = changesFrom(input);
  if (changes.length === 0) throw ec2Errors.missingParameter('Attribute');
  const updated = changes.reduce((i, change) => change(i), instance);
  if (input.DryRun) throw ec2Errors.dryRun();
  await deps.store.putInstancesWithEvents([updated], []);
}

export async function describeInstanceAttribute(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DescribeInstanceAttributeRequest,
): Promise<EC2.InstanceAttribute> {
  const i = await ownInstance(deps, ctx, input.InstanceId);
  if (input.Attribute === undefined) throw ec2Errors.missingParameter('Attribute');
  if (input.DryRun) throw ec2Errors.dryRun();
  const base = { InstanceId: i.instanceId };
  switch (input.Attribute) {
    case 'instanceType':
      return { ...base, InstanceType: { Value: i.instanceType } };
    case 'userData':
      return { ...base, UserData: i.userData !== undefined ? { Value: i.userData } : {} };
    case 'disableApiTermination':
      return { ...base, DisableApiTermination: { Value: i.disableApiTermination } };
    case 'disableApiStop':
      return { ...base, DisableApiStop: { Value: i.disableApiStop } };
    case 'instanceInitiatedShutdownBehavior':
      return { ...base, InstanceInitiatedShutdownBehavior: { Value: i.instanceInitiatedShutdownBehavior } };
    case 'sourceDestCheck':
      return { ...base, SourceDestCheck: { Value: i.sourceDestCheck } };
    case 'ebsOptimized':
      return { ...base, EbsOptimized: { Value: i.ebsOptimized } };
    case 'rootDeviceName':
      return { ...base, RootDeviceName: { Value: i.rootDeviceName } };
    case 'groupSet':
      return { ...base, Groups: i.securityGroupIds.map((id) => ({ GroupId: id, GroupName: id })) };
    case 'blockDeviceMapping':
      return {
        ...base,
        BlockDeviceMappings: i.volumes.map((v) => ({
          DeviceName: v.deviceName,
          Ebs: { AttachTime: new Date(v.attachTime), DeleteOnTermination: v.deleteOnTermination, Status: 'attached', VolumeId: v.volumeId },
        })),
      };
    default:
      throw ec2Errors.invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
}
