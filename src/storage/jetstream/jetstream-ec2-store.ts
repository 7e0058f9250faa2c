import { randomUUID } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import type {
  Ec2Store,
  FaultRuleRecord,
  ImageRecord,
  OutboxEventRecord,
  StoreImageTaskRecord,
} from '../ports/ec2-store.js';
import type { JetStreamConnection } from './connection.js';
import { ResourceBucket } from './resource-bucket.js';

const IMAGE = 'image';
const OUTBOX = 'outbox';
const TASK = 'task';
const FAULT = 'fault';
const imageKey = (region: string, imageId: string): string => `${region}/${imageId}`;
const taskKey = (region: string, bucket: string, objectKey: string): string => `${region}/${bucket}/${objectKey}`;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ec2Store on JetStream: images, outbox events, store-image tasks and fault rules as documents of
 * the `amiwatch_ec2` KV bucket (resource-bucket.ts), so an image and its state-change event are
 * one atomic group (an intent), as SQLite's transaction makes them.
 *
 * Once in the cluster: every node's lifecycle asks for due transitions and tasks; each due item
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
    // Insertion order across nodes: time first, then this node's counter.
    const seq = Date.now() * 1000 + (++this.seq % 1000);
    return this.docs.write([
      { kind: IMAGE, key: imageKey(image.region, image.imageId), doc: JSON.stringify(image) },
      { kind: OUTBOX, key: event.id, doc: JSON.stringify({ ...event, seq }) },
    ]);
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
    return (await this.all<ImageRecord>(IMAGE)).filter((i) => i.state === 'deregistered' && i.deregisteredAt !== undefined && i.deregisteredAt <= before);
  }

  async nextDueAt(): Promise<number | undefined> {
    const dues = [
      ...(await this.all<ImageRecord>(IMAGE)).filter((i) => i.state === 'pending' && i.transition).map((i) => i.transition!.dueAt),
      ...(await this.all<StoreImageTaskRecord>(TASK)).filter((t) => t.state === 'InProgress').map((t) => t.dueAt),
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

  async deleteFaultRule(id: string): Promise<boolean> {
    const current = await this.docs.get(FAULT, id);
    return current !== null && this.docs.compareAndSet(this.docs.key(FAULT, id), current.revision, null);
  }
}
