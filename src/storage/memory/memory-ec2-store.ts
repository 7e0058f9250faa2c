import type {
  Ec2Store,
  FaultRuleRecord,
  ImageRecord,
  InstanceRecord,
  KeyPairRecord,
  OutboxEventRecord,
  SecurityGroupRecord,
  SnapshotRecord,
  StoreImageTaskRecord,
} from '../ports/ec2-store.js';

/** Code-point order, as SQLite's default BINARY collation sorts. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Records are copied in and out, so callers never share mutable state with the store. */
const copy = <T>(value: T): T => structuredClone(value);
const imageKey = (region: string, imageId: string): string => `${region}\u0000${imageId}`;
const taskKey = (region: string, bucket: string, objectKey: string): string => `${region}\u0000${bucket}\u0000${objectKey}`;

/** The in-memory Ec2Store: for tests and for runs that need no durability. */
export class MemoryEc2Store implements Ec2Store {
  private readonly images = new Map<string, ImageRecord>();
  private readonly outbox: OutboxEventRecord[] = [];
  private readonly tasks = new Map<string, StoreImageTaskRecord>();
  private readonly faults = new Map<string, FaultRuleRecord>();
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly keyPairs = new Map<string, KeyPairRecord>();
  private readonly groups = new Map<string, SecurityGroupRecord>();
  private readonly snapshots = new Map<string, SnapshotRecord>();
  private seq = 0;

  async getImage(region: string, imageId: string): Promise<ImageRecord | undefined> {
    const found = this.images.get(imageKey(region, imageId));
    return found && copy(found);
  }

  async listImages(region: string): Promise<ImageRecord[]> {
    return [...this.images.values()]
      .filter((i) => i.region === region)
      .sort((a, b) => cmp(a.imageId, b.imageId))
      .map(copy);
  }

  async putImage(image: ImageRecord): Promise<void> {
    this.images.set(imageKey(image.region, image.imageId), copy(image));
  }

  async putImageWithEvent(image: ImageRecord, event: OutboxEventRecord): Promise<void> {
    this.images.set(imageKey(image.region, image.imageId), copy(image));
    this.outbox.push({ ...event, seq: ++this.seq });
  }

  async deleteImage(region: string, imageId: string): Promise<void> {
    this.images.delete(imageKey(region, imageId));
  }

  async dueTransitions(now: number, limit: number): Promise<ImageRecord[]> {
    return [...this.images.values()]
      .filter((i) => i.state === 'pending' && i.transition !== undefined && i.transition.dueAt <= now)
      .sort((a, b) => a.transition!.dueAt - b.transition!.dueAt || cmp(a.imageId, b.imageId))
      .slice(0, limit)
      .map(copy);
  }

  async deregisteredBefore(before: number): Promise<ImageRecord[]> {
    return [...this.images.values()]
      .filter((i) => i.state === 'deregistered' && i.deregisteredAt !== undefined && i.deregisteredAt <= before)
      .map(copy);
  }

  async nextDueAt(): Promise<number | undefined> {
    const dues = [
      ...[...this.images.values()].filter((i) => i.state === 'pending' && i.transition).map((i) => i.transition!.dueAt),
      ...[...this.tasks.values()].filter((t) => t.state === 'InProgress').map((t) => t.dueAt),
      ...[...this.instances.values()].filter((i) => i.transition).map((i) => i.transition!.dueAt),
      ...[...this.snapshots.values()].filter((s) => s.state === 'pending' && s.transition).map((s) => s.transition!.dueAt),
    ];
    return dues.length === 0 ? undefined : Math.min(...dues);
  }

  async outboxEvents(limit: number): Promise<OutboxEventRecord[]> {
    return this.outbox.slice(0, limit).map(copy);
  }

  async deleteOutboxEvent(id: string): Promise<void> {
    const at = this.outbox.findIndex((e) => e.id === id);
    if (at >= 0) this.outbox.splice(at, 1);
  }

  async putStoreTask(task: StoreImageTaskRecord): Promise<void> {
    this.tasks.set(taskKey(task.region, task.bucket, task.objectKey), copy(task));
  }

  async getStoreTask(region: string, bucket: string, objectKey: string): Promise<StoreImageTaskRecord | undefined> {
    const found = this.tasks.get(taskKey(region, bucket, objectKey));
    return found && copy(found);
  }

  async listStoreTasks(accountId: string, region: string): Promise<StoreImageTaskRecord[]> {
    return [...this.tasks.values()]
      .filter((t) => t.accountId === accountId && t.region === region)
      .sort((a, b) => cmp(a.imageId, b.imageId) || cmp(a.objectKey, b.objectKey))
      .map(copy);
  }

  async dueStoreTasks(now: number): Promise<StoreImageTaskRecord[]> {
    return [...this.tasks.values()].filter((t) => t.state === 'InProgress' && t.dueAt <= now).map(copy);
  }

  async putFaultRule(rule: FaultRuleRecord): Promise<void> {
    this.faults.set(rule.id, copy(rule));
  }

  async listFaultRules(): Promise<FaultRuleRecord[]> {
    return [...this.faults.values()].sort((a, b) => a.createdAt - b.createdAt || cmp(a.id, b.id)).map(copy);
  }

  async deleteFaultRule(id: string): Promise<boolean> {
    return this.faults.delete(id);
  }

  async getInstance(region: string, instanceId: string): Promise<InstanceRecord | undefined> {
    const found = this.instances.get(imageKey(region, instanceId));
    return found && copy(found);
  }

  async listInstances(region: string): Promise<InstanceRecord[]> {
    return [...this.instances.values()]
      .filter((i) => i.region === region)
      .sort((a, b) => cmp(a.instanceId, b.instanceId))
      .map(copy);
  }

  async putInstancesWithEvents(instances: readonly InstanceRecord[], events: readonly OutboxEventRecord[]): Promise<void> {
    for (const i of instances) this.instances.set(imageKey(i.region, i.instanceId), copy(i));
    this.queue(events);
  }

  /** Appends events not queued yet (a repeated id is kept once). */
  private queue(events: readonly OutboxEventRecord[]): void {
    for (const e of events) if (!this.outbox.some((o) => o.id === e.id)) this.outbox.push({ ...e, seq: ++this.seq });
  }

  async getSnapshot(region: string, snapshotId: string): Promise<SnapshotRecord | undefined> {
    const found = this.snapshots.get(imageKey(region, snapshotId));
    return found && copy(found);
  }

  async listSnapshots(region: string): Promise<SnapshotRecord[]> {
    return [...this.snapshots.values()]
      .filter((s) => s.region === region)
      .sort((a, b) => cmp(a.snapshotId, b.snapshotId))
      .map(copy);
  }

  async putSnapshotsWithEvents(snapshots: readonly SnapshotRecord[], events: readonly OutboxEventRecord[]): Promise<void> {
    for (const s of snapshots) this.snapshots.set(imageKey(s.region, s.snapshotId), copy(s));
    this.queue(events);
  }

  async deleteSnapshot(region: string, snapshotId: string): Promise<boolean> {
    return this.snapshots.delete(imageKey(region, snapshotId));
  }

  async dueSnapshotTransitions(now: number, limit: number): Promise<SnapshotRecord[]> {
    return [...this.snapshots.values()]
      .filter((s) => s.state === 'pending' && s.transition !== undefined && s.transition.dueAt <= now)
      .sort((a, b) => a.transition!.dueAt - b.transition!.dueAt || cmp(a.snapshotId, b.snapshotId))
      .slice(0, limit)
      .map(copy);
  }

  async deleteInstance(region: string, instanceId: string): Promise<void> {
    this.instances.delete(imageKey(region, instanceId));
  }

  async dueInstanceTransitions(now: number, limit: number): Promise<InstanceRecord[]> {
    return [...this.instances.values()]
      .filter((i) => i.transition !== undefined && i.transition.dueAt <= now)
      .sort((a, b) => a.transition!.dueAt - b.transition!.dueAt || cmp(a.instanceId, b.instanceId))
      .slice(0, limit)
      .map(copy);
  }

  async terminatedBefore(before: number): Promise<InstanceRecord[]> {
    return [...this.instances.values()]
      .filter((i) => i.state === 'terminated' && i.terminatedAt !== undefined && i.terminatedAt <= before)
      .map(copy);
  }

  async putKeyPair(keyPair: KeyPairRecord): Promise<void> {
    this.keyPairs.set(taskKey(keyPair.accountId, keyPair.region, keyPair.keyName), copy(keyPair));
  }

  async listKeyPairs(accountId: string, region: string): Promise<KeyPairRecord[]> {
    return [...this.keyPairs.values()]
      .filter((k) => k.accountId === accountId && k.region === region)
      .sort((a, b) => cmp(a.keyName, b.keyName))
      .map(copy);
  }

  async deleteKeyPair(accountId: string, region: string, keyName: string): Promise<boolean> {
    return this.keyPairs.delete(taskKey(accountId, region, keyName));
  }

  async putSecurityGroup(group: SecurityGroupRecord): Promise<void> {
    this.groups.set(imageKey(group.region, group.groupId), copy(group));
  }

  async listSecurityGroups(accountId: string, region: string): Promise<SecurityGroupRecord[]> {
    return [...this.groups.values()]
      .filter((g) => g.accountId === accountId && g.region === region)
      .sort((a, b) => cmp(a.groupId, b.groupId))
      .map(copy);
  }

  async deleteSecurityGroup(region: string, groupId: string): Promise<boolean> {
    return this.groups.delete(imageKey(region, groupId));
  }
}
