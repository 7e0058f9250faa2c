/**
 * The EC2 image store port: plain records and the domain-speaking operations the AMI lifecycle
 * needs. It lives under storage/ (not core/) so that adapters can implement it without importing
 * the domain; core/ec2 imports these types.
 *
 * Every method is one atomic store operation. Adapters: `memory-ec2-store.ts` (tests, ephemeral
 * runs), `sqlite/sqlite-ec2-store.ts` (durable) and `jetstream/jetstream-ec2-store.ts` (a cluster
 * of nodes). The contract suite in test/ec2 runs against all three.
 */

import type { InstanceRecord, KeyPairRecord, SecurityGroupRecord } from './ec2-instance-records.js';
import type { SnapshotRecord } from './ec2-snapshot-records.js';

export type * from './ec2-instance-records.js';
export type * from './ec2-snapshot-records.js';

/** AWS `ImageState`. */
export type ImageStateName = 'pending' | 'available' | 'invalid' | 'deregistered' | 'transient' | 'failed' | 'error' | 'disabled';

/** The operations that create an image (the guide's four). */
export type ImageOrigin = 'CreateImage' | 'CopyImage' | 'RegisterImage' | 'CreateRestoreImageTask';

export interface EbsRecord {
  snapshotId?: string;
  volumeSize?: number;
  volumeType?: string;
  deleteOnTermination?: boolean;
  encrypted?: boolean;
  iops?: number;
  throughput?: number;
  kmsKeyId?: string;
}

export interface BlockDeviceMappingRecord {
  deviceName: string;
  virtualName?: string;
  noDevice?: string;
  ebs?: EbsRecord;
}

export interface TagRecord {
  key: string;
  value: string;
}

/** A launch permission: an account id, or the group `all` (= public). */
export interface LaunchPermissionRecord {
  userId?: string;
  group?: 'all';
}

/** Where a pending image goes, and when. */
export interface PendingTransitionRecord {
  /** Epoch ms at which the image leaves `pending`. */
  dueAt: number;
  outcome: 'available' | 'failed';
  /** StateReason when the outcome is `failed`. */
  reasonCode?: string;
  reasonMessage?: string;
}

export interface ImageRecord {
  imageId: string;
  /** The owner. */
  accountId: string;
  /** `amazon` for the public images AWS publishes (DescribeImages `ImageOwnerAlias`, `--owners amazon`). */
  ownerAlias?: string;
  region: string;
  name: string;
  description?: string;
  state: ImageStateName;
  stateReason?: { code: string; message: string };
  origin: ImageOrigin;
  /** The id of the request that started the operation; AMI events carry it as `RequestId`. */
  requestId: string;
  /** ISO-8601 with milliseconds, as DescribeImages writes it. */
  creationDate: string;
  imageLocation: string;
  imageType: string;
  architecture: string;
  platform?: string;
  platformDetails: string;
  usageOperation: string;
  rootDeviceType: string;
  rootDeviceName?: string;
  blockDeviceMappings: BlockDeviceMappingRecord[];
  virtualizationType: string;
  hypervisor: string;
  enaSupport?: boolean;
  sriovNetSupport?: string;
  bootMode?: string;
  tpmSupport?: string;
  imdsSupport?: string;
  kernelId?: string;
  ramdiskId?: string;
  sourceInstanceId?: string;
  sourceImageId?: string;
  sourceImageRegion?: string;
  deprecationTime?: string;
  deregistrationProtection?: string;
  launchPermissions: LaunchPermissionRecord[];
  tags: TagRecord[];
  /** Set while `pending`. */
  transition?: PendingTransitionRecord;
  /** Epoch ms of DeregisterImage: the image stays listed for a short while after it. */
  deregisteredAt?: number;
  /** CopyImage's idempotency token: a retry with the same token returns the same image. */
  clientToken?: string;
}

/** An event waiting to be handed to the event sink (transactional outbox). */
export interface OutboxEventRecord {
  /** The event's `id` (a UUID): stable across re-sends, so the sink can de-duplicate. */
  id: string;
  /** Insertion order; the adapter assigns it. */
  seq?: number;
  /** The event as JSON text. */
  json: string;
}

export type StoreTaskState = 'InProgress' | 'Completed' | 'Failed';

export interface StoreImageTaskRecord {
  accountId: string;
  region: string;
  imageId: string;
  bucket: string;
  objectKey: string;
  state: StoreTaskState;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms at which the task completes. */
  dueAt: number;
  failureReason?: string;
  /** Set when a fault rule makes the task fail at `dueAt`. */
  plannedFailureReason?: string;
  s3ObjectTags: TagRecord[];
  /** The image as it was stored: what CreateRestoreImageTask restores. */
  image: ImageRecord;
}

export interface FaultRuleRecord {
  id: string;
  /** An operation name (`CreateImage`, …, `DeregisterImage`) or `*`. */
  operation: string;
  /** `*`/`?` wildcard on the image name; absent = any name. */
  namePattern?: string;
  /** Matches requests tagging the image with this key (and value, if set). */
  tagKey?: string;
  tagValue?: string;
  errorMessage: string;
  /** StateReason code (failed images) or error code (synchronous operations). */
  errorCode?: string;
  /** How long the image stays pending before failing; absent = the operation's duration. */
  delayMs?: number;
  /** Epoch ms. */
  createdAt: number;
}

export interface Ec2Store {
  /** The image with this id in the region, whoever owns it (AMI ids are unique). */
  getImage(region: string, imageId: string): Promise<ImageRecord | undefined>;
  /** Every image in the region, all owners, ordered by image id. */
  listImages(region: string): Promise<ImageRecord[]>;
  /** Inserts or replaces the image. */
  putImage(image: ImageRecord): Promise<void>;
  /** Saves the image and appends its state-change event to the outbox, in one transaction. */
  putImageWithEvent(image: ImageRecord, event: OutboxEventRecord): Promise<void>;
  deleteImage(region: string, imageId: string): Promise<void>;
  /**
   * Pending images whose transition is due at or before `now`, earliest first. A store shared by
   * several nodes (JetStream) hands each due transition to ONE caller (a claim that expires, so
   * another node takes over when the claimer dies before committing it).
   */
  dueTransitions(now: number, limit: number): Promise<ImageRecord[]>;
  /** Deregistered images whose `deregisteredAt` is at or before `before`. */
  deregisteredBefore(before: number): Promise<ImageRecord[]>;
  /** The earliest due time of any pending image, snapshot, instance transition or store task, if any. */
  nextDueAt(): Promise<number | undefined>;

  /** The instance with this id in the region, whoever owns it. */
  getInstance(region: string, instanceId: string): Promise<InstanceRecord | undefined>;
  /** Every instance in the region, all owners, ordered by instance id. */
  listInstances(region: string): Promise<InstanceRecord[]>;
  /**
   * Saves the instances and appends their state-change events to the outbox, in one
   * transaction (`events` may be empty: a change no event is emitted for).
   */
  putInstancesWithEvents(instances: readonly InstanceRecord[], events: readonly OutboxEventRecord[]): Promise<void>;
  deleteInstance(region: string, instanceId: string): Promise<void>;
  /** Instances whose transition is due at or before `now`, earliest first. */
  dueInstanceTransitions(now: number, limit: number): Promise<InstanceRecord[]>;
  /** Terminated instances whose `terminatedAt` is at or before `before`. */
  terminatedBefore(before: number): Promise<InstanceRecord[]>;

  /** The snapshot with this id in the region, whoever owns it. */
  getSnapshot(region: string, snapshotId: string): Promise<SnapshotRecord | undefined>;
  /** Every snapshot in the region, all owners, ordered by snapshot id. */
  listSnapshots(region: string): Promise<SnapshotRecord[]>;
  /**
   * Saves the snapshots and appends their events to the outbox, in one transaction (`events` may
   * be empty; an event id already queued is kept once, as for instances).
   */
  putSnapshotsWithEvents(snapshots: readonly SnapshotRecord[], events: readonly OutboxEventRecord[]): Promise<void>;
  /** True when a snapshot was deleted. */
  deleteSnapshot(region: string, snapshotId: string): Promise<boolean>;
  /**
   * Pending snapshots whose transition is due at or before `now`, earliest first; a shared store
   * hands each to one caller, as `dueTransitions` does.
   */
  dueSnapshotTransitions(now: number, limit: number): Promise<SnapshotRecord[]>;

  /** Inserts or replaces the key pair (names are unique per account and region). */
  putKeyPair(keyPair: KeyPairRecord): Promise<void>;
  /** The account's key pairs in the region, ordered by name. */
  listKeyPairs(accountId: string, region: string): Promise<KeyPairRecord[]>;
  /** True when a key pair was deleted. */
  deleteKeyPair(accountId: string, region: string, keyName: string): Promise<boolean>;

  /** Inserts or replaces the security group. */
  putSecurityGroup(group: SecurityGroupRecord): Promise<void>;
  /** The account's security groups in the region, ordered by group id. */
  listSecurityGroups(accountId: string, region: string): Promise<SecurityGroupRecord[]>;
  /** True when a group was deleted. */
  deleteSecurityGroup(region: string, groupId: string): Promise<boolean>;

  /** Outbox events in insertion order. */
  outboxEvents(limit: number): Promise<OutboxEventRecord[]>;
  deleteOutboxEvent(id: string): Promise<void>;

  putStoreTask(task: StoreImageTaskRecord): Promise<void>;
  getStoreTask(region: string, bucket: string, objectKey: string): Promise<StoreImageTaskRecord | undefined>;
  /** The account's tasks in the region, ordered by image id. */
  listStoreTasks(accountId: string, region: string): Promise<StoreImageTaskRecord[]>;
  /** Due tasks; a shared store hands each to one caller, as `dueTransitions` does. */
  dueStoreTasks(now: number): Promise<StoreImageTaskRecord[]>;

  putFaultRule(rule: FaultRuleRecord): Promise<void>;
  listFaultRules(): Promise<FaultRuleRecord[]>;
  /** True when a rule was deleted. */
  deleteFaultRule(id: string): Promise<boolean>;
}
