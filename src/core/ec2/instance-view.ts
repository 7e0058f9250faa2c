import type { Instance, InstanceStateChange, Reservation } from '@aws-sdk/client-ec2';
import type { InstanceRecord, InstanceStateName } from '../../storage/ports/ec2-store.js';
import { stateCodes } from './instance-state.js';

/** `ip-172-31-16-5.ec2.internal` in us-east-1, `ip-….<region>.compute.internal` elsewhere (AWS's naming). */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

const state = (name: InstanceStateName) => ({ Code: stateCodes[name], Name: name });

/** An instance as DescribeInstances and RunInstances show it. */
export function toInstance(i: InstanceRecord): Instance {
  const gone = i.state === 'terminated';
  return {
    InstanceId: i.instanceId,
    ImageId: i.imageId,
    State: state(i.state),
    // A terminated instance has given back its network interface: no address, no DNS name.
    PrivateDnsName: gone ? '' : privateDnsName(i.privateIpAddress, i.region),
    PublicDnsName: '',
    StateTransitionReason: i.stateTransitionReason,
    ...(i.keyName !== undefined && { KeyName: i.keyName }),
    AmiLaunchIndex: i.amiLaunchIndex,
    ProductCodes: [],
    InstanceType: i.instanceType as Instance['InstanceType'],
    LaunchTime: new Date(i.launchTime),
    Placement: { AvailabilityZone: i.availabilityZone, GroupName: '', Tenancy: 'default' },
    ...(!gone && { SubnetId: i.subnetId, VpcId: i.vpcId, PrivateIpAddress: i.privateIpAddress }),
    Architecture: i.architecture as Instance['Architecture'],
    RootDeviceType: 'ebs',
    RootDeviceName: i.rootDeviceName,
    BlockDeviceMappings: gone
      ? []
      : i.volumes.map((v) => ({
          DeviceName: v.deviceName,
          Ebs: { AttachTime: new Date(v.attachTime), DeleteOnTermination: v.deleteOnTermination, Status: 'attached', VolumeId: v.volumeId },
        })),
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    ...(i.clientToken !== undefined && { ClientToken: i.clientToken }),
    ...(i.tags.length > 0 && { Tags: i.tags.map((t) => ({ Key: t.key, Value: t.value })) }),
    SecurityGroups: gone ? [] : i.securityGroupIds.map((id) => ({ GroupId: id, GroupName: id })),
    SourceDestCheck: i.sourceDestCheck,
    EbsOptimized: i.ebsOptimized,
    EnaSupport: true,
    ...(i.iamInstanceProfileArn !== undefined && {
      IamInstanceProfile: { Arn: i.iamInstanceProfileArn, Id: profileId(i.iamInstanceProfileArn) },
    }),
    ...(i.stateReason && { StateReason: { Code: i.stateReason.code, Message: i.stateReason.message } }),
    PlatformDetails: i.platformDetails,
    UsageOperation: 'RunInstances',
  };
}

/** A stable `AIPA…` id for a profile ARN (IAM is not modelled). */
function profileId(arn: string): string {
  let h = 0;
  for (const c of arn) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `AIPA${h.toString(16).toUpperCase().padStart(8, '0')}EXAMPLE`.slice(0, 21);
}

/** Instances grouped into their reservations, in the order the instances come. */
export function toReservations(instances: readonly InstanceRecord[]): Reservation[] {
  const byId = new Map<string, Reservation & { Instances: Instance[] }>();
  for (const i of instances) {
    let r = byId.get(i.reservationId);
    if (!r) {
      r = { ReservationId: i.reservationId, OwnerId: i.accountId, Groups: [], Instances: [] };
      byId.set(i.reservationId, r);
    }
    r.Instances.push(toInstance(i));
  }
  return [...byId.values()];
}

export function stateChange(before: InstanceRecord, after: InstanceRecord): InstanceStateChange {
  return { InstanceId: after.instanceId, CurrentState: state(after.state), PreviousState: state(before.state) };
}
