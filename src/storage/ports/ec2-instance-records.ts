/**
 * Instance records of the EC2 store port (see ec2-store.ts). Plain data: the domain (core/ec2)
 * decides what the fields mean; adapters only store them and select on the columns named in
 * the port's methods.
 */

/** A tag (the same shape as ec2-store's TagRecord; restated so the two files do not import each other). */
interface TagRecord {
  key: string;
  value: string;
}

/** AWS `InstanceStateName`. */
export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

/** Where an instance in a transient state goes, and when. */
export interface InstanceTransitionRecord {
  /** Epoch ms at which the instance moves to `to`. */
  dueAt: number;
  to: InstanceStateName;
  /** StateReason the instance gets when it arrives (a launch that fails, a stop). */
  reasonCode?: string;
  reasonMessage?: string;
}

/** One EBS volume attached to the instance (created from the image's mappings at launch). */
export interface InstanceVolumeRecord {
  deviceName: string;
  volumeId: string;
  /** The snapshot the volume was created from, if any. */
  snapshotId?: string;
  volumeSize: number;
  volumeType: string;
  deleteOnTermination: boolean;
  encrypted: boolean;
  iops?: number;
  throughput?: number;
  /** ISO-8601. */
  attachTime: string;
}

export interface InstanceRecord {
  instanceId: string;
  accountId: string;
  region: string;
  reservationId: string;
  /** The id of the RunInstances request. */
  requestId: string;
  imageId: string;
  instanceType: string;
  amiLaunchIndex: number;
  state: InstanceStateName;
  stateReason?: { code: string; message: string };
  /** AWS's free-text `StateTransitionReason`, e.g. `User initiated (2026-12-07 20:00:00 GMT)`. */
  stateTransitionReason: string;
  /** ISO-8601 of the last launch or start. */
  launchTime: string;
  availabilityZone: string;
  vpcId: string;
  subnetId: string;
  privateIpAddress: string;
  securityGroupIds: string[];
  keyName?: string;
  userData?: string;
  iamInstanceProfileArn?: string;
  architecture: string;
  platformDetails: string;
  rootDeviceName: string;
  volumes: InstanceVolumeRecord[];
  tags: TagRecord[];
  disableApiTermination: boolean;
  disableApiStop: boolean;
  instanceInitiatedShutdownBehavior: 'stop' | 'terminate';
  ebsOptimized: boolean;
  sourceDestCheck: boolean;
  /** How many times the instance was rebooted (RebootInstances, CreateImage without NoReboot). */
  rebootCount: number;
  /** Set while the instance is in a transient state. */
  transition?: InstanceTransitionRecord;
  /** Epoch ms at which the instance reached `terminated`: it stays listed for a while after. */
  terminatedAt?: number;
  /** RunInstances' idempotency token. */
  clientToken?: string;
}

/** A key pair: amiwatch keeps the public key only (AWS keeps no private key either). */
export interface KeyPairRecord {
  accountId: string;
  region: string;
  keyName: string;
  keyPairId: string;
  keyType: 'rsa' | 'ed25519';
  keyFingerprint: string;
  /** OpenSSH form: `ssh-rsa AAAA…`. */
  publicKey: string;
  /** ISO-8601. */
  createTime: string;
  tags: TagRecord[];
}

/** One rule of a security group: a protocol, a port range and one source (or destination). */
export interface SecurityGroupRuleRecord {
  /** `tcp`, `udp`, `icmp`, `-1` (all), or a protocol number. */
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIp?: string;
  cidrIpv6?: string;
  /** Another group of the account (a group as source). */
  groupId?: string;
  description?: string;
}

export interface SecurityGroupRecord {
  accountId: string;
  region: string;
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ingress: SecurityGroupRuleRecord[];
  egress: SecurityGroupRuleRecord[];
  tags: TagRecord[];
}
