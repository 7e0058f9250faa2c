import { randomUUID } from 'node:crypto';
import type { KV } from '@nats-io/kv';
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
import type { ResourceChange } from '../store.js';
import type { JetStreamConnection } from './connection.js';
import { ResourceBucket } from './resource-bucket.js';

const IMAGE = 'image';
const OUTBOX = 'outbox';
const TASK = 'task';
const FAULT = 'fault';
const INSTANCE = 'instance';
const KEY_PAIR = 'keypair';
const GROUP = 'sg';
const SNAPSHOT = 'snapshot';
const imageKey = (region: string, imageId: string): string => `${region}/${imageId}`;
const taskKey = (region: string, bucket: string, objectKey: string): string => `${region}/${bucket}/${objectKey}`;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ec2Store on JetStream: images, instances, snapshots, key pairs, security groups, outbox events,
 * store-image tasks and fault rules as documents of the `amiwatch_ec2` KV bucket (resource-bucket.ts), so an
 * image or instances and their state-change events are one atomic group (an intent), as SQLite's
 * transaction makes them.
 *
 * Once in the cluster: every node's lifecycle asks for due transitions (images and instances) and
 * tasks; each due item
 * is handed to ONE node, the one that creates its claim key in the `amiwatch_ec2_claims` bucket
 * (KV create fails when the key exists). Claims expire with the bucket's max age (60 s): when the
 * node that claimed a transition dies before committing it, another node takes it after that.
 * Outbox events are relayed by any node; they carry their event id as idempotency key, so the
 * events stream's dedup window keeps one copy.
 */
export class JetStreamEc2Store implements Ec2Store {
  private seq = 0;

  private constructor(
    private readonly docs: ResourceBucket,
    private readonly claims: KV,
    private readonly nodeId: string,
  ) {}

  static async open(c: JetStreamConnection, options: { claimMs?: number } = {}): Promise<JetStreamEc2Store> {
    const kv = await c.bucket('ec2');
    const claims = await c.bucket('ec2_claims', { ttl: options.claimMs ?? 60_000 });
    return new JetStreamEc2Store(new ResourceBucket(kv, c.name('ec2'), c.requests, c.jsm, randomUUID), claims, randomUUID());
  }

  /** Every document change made by other nodes (remote-changes.ts feeds the console's change stream from it). */
  watchAllDocs(onChange: (change: ResourceChange) => void): Promise<() => void> {
    return this.docs.watchAll(onChange);
  }

  private async all<T>(kind: string): Promise<T[]> {
    return (await this.docs.load(kind)).map((r) => JSON.parse(r.doc) as T);
  }

  private async one<T>(kind: string, key: string): Promise<T | undefined> {
    const got = await this.docs.get(kind, key);
    return got ? (JSON.parse(got.doc) as T) : undefined;
  }

  /** True for the one node that claims `what` first (until the claim expires). */
  private async claim(what: string): Promise<boolean> {
    try {
      await this.claims.create(Buffer.from(what).toString('base64url'), this.nodeId);
      return true;
    } catch {
      return false;
    }
  }

  getImage(region: string, imageId: string): Promise<ImageRecord | undefined> {
    return this.one(IMAGE, imageKey(region, imageId));
  }

  async listImages(region: string): Promise<ImageRecord[]> {
    return (await this.all<ImageRecord>(IMAGE)).filter((i) => i.region === region).sort((a, b) => cmp(a.imageId, b.imageId));
  }

  putImage(image: ImageRecord): Promise<void> {
    return this.docs.write([{ kind: IMAGE, key: imageKey(image.region, image.imageId), doc: JSON.stringify(image) }]);
  }

  putImageWithEvent(image: ImageRecord, event: OutboxEventRecord): Promise<void> {
    return this.docs.write([
      { kind: IMAGE, key: imageKey(image.region, image.imageId), doc: JSON.stringify(image) },
      this.outboxWrite(event),
    ]);
  }

  /** An outbox event's write; insertion order across nodes: time first, then this node's counter. */
  private outboxWrite(event: OutboxEventRecord): { kind: string; key: string; doc: string } {
    const seq = Date.now() * 1000 + (++this.seq % 1000);
    return { kind: OUTBOX, key: event.id, doc: JSON.stringify({ ...event, seq }) };
  }

  deleteImage(region: string, imageId: string): Promise<void> {
    return this.docs.write([{ kind: IMAGE, key: imageKey(region, imageId), doc: null }]);
  }

  async dueTransitions(now: number, limit: number): Promise<ImageRecord[]> {
    const due = (await this.all<ImageRecord>(IMAGE))
      .filter((i) => i.state === 'pending' && i.transition !== undefined && i.transition.dueAt <= now)
      .sort((a, b) => a.transition!.dueAt - b.transition!.dueAt || cmp(a.imageId, b.imageId));
    const mine: ImageRecord[] = [];
    for (const i of due) {
      if (mine.length >= limit) break;
      if (await this.claim(`transition/${i.region}/${i.imageId}/${i.transition!.dueAt}`)) mine.push(i);
    }
    return mine;
  }

  async deregisteredBefore(before: number): Promise<ImageRecord[]> {
    return (await this.all<ImageRecord>(IMAGE)).filter(
      (i) => i.state === 'deregistered' && i.deregisteredAt !== undefined && i.deregisteredAt <= before,
    );
  }

  async nextDueAt(): Promise<number | undefined> {
    const dues = [
      ...(await this.all<ImageRecord>(IMAGE)).filter((i) => i.state === 'pending' && i.transition).map((i) => i.transition!.dueAt),
      ...(await this.all<StoreImageTaskRecord>(TASK)).filter((t) => t.state === 'InProgress').map((t) => t.dueAt),
      ...(await this.all<InstanceRecord>(INSTANCE)).filter((i) => i.transition).map((i) => i.transition!.dueAt),
      ...(await this.all<SnapshotRecord>(SNAPSHOT)).filter((s) => s.state === 'pending' && s.transition).map((s) => s.transition!.dueAt),
    ];
    return dues.length === 0 ? undefined : Math.min(...dues);
  }

  async outboxEvents(limit: number): Promise<OutboxEventRecord[]> {
    return (await this.all<OutboxEventRecord>(OUTBOX)).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)).slice(0, limit);
  }

  deleteOutboxEvent(id: string): Promise<void> {
    return this.docs.write([{ kind: OUTBOX, key: id, doc: null }]);
  }

  putStoreTask(task: StoreImageTaskRecord): Promise<void> {
    return this.docs.write([{ kind: TASK, key: taskKey(task.region, task.bucket, task.objectKey), doc: JSON.stringify(task) }]);
  }

  getStoreTask(region: string, bucket: string, objectKey: string): Promise<StoreImageTaskRecord | undefined> {
    return this.one(TASK, taskKey(region, bucket, objectKey));
  }

  async listStoreTasks(accountId: string, region: string): Promise<StoreImageTaskRecord[]> {
    return (await this.all<StoreImageTaskRecord>(TASK))
      .filter((t) => t.accountId === accountId && t.region === region)
      .sort((a, b) => cmp(a.imageId, b.imageId) || cmp(a.objectKey, b.objectKey));
  }

  async dueStoreTasks(now: number): Promise<StoreImageTaskRecord[]> {
    const due = (await this.all<StoreImageTaskRecord>(TASK)).filter((t) => t.state === 'InProgress' && t.dueAt <= now);
    const mine: StoreImageTaskRecord[] = [];
    for (const t of due) if (await this.claim(`task/${t.region}/${t.bucket}/${t.objectKey}/${t.dueAt}`)) mine.push(t);
    return mine;
  }

  putFaultRule(rule: FaultRuleRecord): Promise<void> {
    return this.docs.write([{ kind: FAULT, key: rule.id, doc: JSON.stringify(rule) }]);
  }

  async listFaultRules(): Promise<FaultRuleRecord[]> {
    return (await this.all<FaultRuleRecord>(FAULT)).sort((a, b) => a.createdAt - b.createdAt || cmp(a.id, b.id));
  }

  deleteFaultRule(id: string): Promise<boolean> {
    return this.deleteDoc(FAULT, id);
  }

  getInstance(region: string, instanceId: string): Promise<InstanceRecord | undefined> {
    return this.one(INSTANCE, imageKey(region, instanceId));
  }

  async listInstances(region: string): Promise<InstanceRecord[]> {
    return (await this.all<InstanceRecord>(INSTANCE)).filter((i) => i.region === region).sort((a, b) => cmp(a.instanceId, b.instanceId));
  }

  putInstancesWithEvents(instances: readonly InstanceRecord[], events: readonly OutboxEventRecord[]): Promise<void> {
    return this.writeWithEvents(
      instances.map((i) => ({ kind: INSTANCE, key: imageKey(i.region, i.instanceId), doc: JSON.stringify(i) })),
      events,
    );
  }

  /** Documents and their events as one intent; an event already queued keeps its place (the other adapters ignore a repeat). */
  private async writeWithEvents(
    docs: Array<{ kind: string; key: string; doc: string }>,
    events: readonly OutboxEventRecord[],
  ): Promise<void> {
    const queued = await Promise.all(events.map((e) => this.docs.get(OUTBOX, e.id)));
    await this.docs.write([...docs, ...events.filter((_, n) => queued[n] === null).map((e) => this.outboxWrite(e))]);
  }

  getSnapshot(region: string, snapshotId: string): Promise<SnapshotRecord | undefined> {
    return this.one(SNAPSHOT, imageKey(region, snapshotId));
  }

  async listSnapshots(region: string): Promise<SnapshotRecord[]> {
    return (await this.all<SnapshotRecord>(SNAPSHOT)).filter((s) => s.region === region).sort((a, b) => cmp(a.snapshotId, b.snapshotId));
  }

  putSnapshotsWithEvents(snapshots: readonly SnapshotRecord[], events: readonly OutboxEventRecord[]): Promise<void> {
    return this.writeWithEvents(
      snapshots.map((s) => ({ kind: SNAPSHOT, key: imageKey(s.region, s.snapshotId), doc: JSON.stringify(s) })),
      events,
    );
  }

  deleteSnapshot(region: string, snapshotId: string): Promise<boolean> {
    return this.deleteDoc(SNAPSHOT, imageKey(region, snapshotId));
  }

  /** Like `dueTransitions`: each due snapshot transition goes to the one node that claims it. */
  async dueSnapshotTransitions(now: number, limit: number): Promise<SnapshotRecord[]> {
    const due = (await this.all<SnapshotRecord>(SNAPSHOT))
      .filter((s) => s.state === 'pending' && s.transition !== undefined && s.transition.dueAt <= now)
      .sort((a, b) => a.transition!.dueAt - b.transition!.dueAt || cmp(a.snapshotId, b.snapshotId));
    const mine: SnapshotRecord[] = [];
    for (const s of due) {
      if (mine.length >= limit) break;
      if (await this.claim(`snapshot/${s.region}/${s.snapshotId}/${s.transition!.dueAt}`)) mine.push(s);
    }
    return mine;
  }

  deleteInstance(region: string, instanceId: string): Promise<void> {
    return this.docs.write([{ kind: INSTANCE, key: imageKey(region, instanceId), doc: null }]);
  }

  /** Like `dueTransitions`: each due instance transition goes to the one node that claims it. */
  async dueInstanceTransitions(now: number, limit: number): Promise<InstanceRecord[]> {
    const due = (await this.all<InstanceRecord>(INSTANCE))
      .filter((i) => i.transition !== undefined && i.transition.dueAt <= now)
      .sort((a, b) => a.transition!.dueAt - b.transition!.dueAt || cmp(a.instanceId, b.instanceId));
    const mine: InstanceRecord[] = [];
    for (const i of due) {
      if (mine.length >= limit) break;
      const t = i.transition!;
      if (await this.claim(`instance/${i.region}/${i.instanceId}/${t.to}/${t.dueAt}`)) mine.push(i);
    }
    return mine;
  }

  async terminatedBefore(before: number): Promise<InstanceRecord[]> {
    return (await this.all<InstanceRecord>(INSTANCE)).filter(
      (i) => i.state === 'terminated' && i.terminatedAt !== undefined && i.terminatedAt <= before,
    );
  }

  putKeyPair(keyPair: KeyPairRecord): Promise<void> {
    return this.docs.write([
      { kind: KEY_PAIR, key: taskKey(keyPair.accountId, keyPair.region, keyPair.keyName), doc: JSON.stringify(keyPair) },
    ]);
  }

  async listKeyPairs(accountId: string, region: string): Promise<KeyPairRecord[]> {
    return (await this.all<KeyPairRecord>(KEY_PAIR))
      .filter((k) => k.accountId === accountId && k.region === region)
      .sort((a, b) => cmp(a.keyName, b.keyName));
  }

  deleteKeyPair(accountId: string, region: string, keyName: string): Promise<boolean> {
    return this.deleteDoc(KEY_PAIR, taskKey(accountId, region, keyName));
  }

  putSecurityGroup(group: SecurityGroupRecord): Promise<void> {
    return this.docs.write([{ kind: GROUP, key: imageKey(group.region, group.groupId), doc: JSON.stringify(group) }]);
  }

  async listSecurityGroups(accountId: string, region: string): Promise<SecurityGroupRecord[]> {
    return (await this.all<SecurityGroupRecord>(GROUP))
      .filter((g) => g.accountId === accountId && g.region === region)
      .sort((a, b) => cmp(a.groupId, b.groupId));
  }

  deleteSecurityGroup(region: string, groupId: string): Promise<boolean> {
    return this.deleteDoc(GROUP, imageKey(region, groupId));
  }

  /** True when this call deleted the document (compare-and-set: one of two racing deletes wins). */
  private async deleteDoc(kind: string, key: string): Promise<boolean> {
    const current = await this.docs.get(kind, key);
    return current !== null && this.docs.compareAndSet(this.docs.key(kind, key), current.revision, null);
  }
}
