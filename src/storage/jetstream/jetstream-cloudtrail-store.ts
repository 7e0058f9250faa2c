import { randomUUID } from 'node:crypto';
import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import {
  callBefore,
  hasAttribute,
  newestFirst,
  type ApiCallQuery,
  type ApiCallRecord,
  type CloudTrailStore,
  type TrailChange,
  type TrailRecord,
} from '../ports/cloudtrail-store.js';
import type { JetStreamConnection } from './connection.js';
import { ResourceBucket } from './resource-bucket.js';
import { scanSubject, settledProbe, token } from './scan.js';

const TRAIL = 'trail';
const trailKey = (accountId: string, region: string, name: string): string => `${accountId}/${region}/${name}`;
/** CloudTrail's event history keeps 90 days; the stream drops older records by itself (its max age). */
const HISTORY_NS = 90 * 24 * 3_600 * 1e9;

/**
 * CloudTrailStore on JetStream. Trails are documents of the `amiwatch_cloudtrail` KV bucket:
 * CreateTrail is a KV create (a name is taken once, whichever node asks), updates and deletes
 * compare-and-set on the document's revision. Recorded calls are messages of the
 * `amiwatch_cloudtrail_calls` stream on `amiwatch.ct.<account>.<region>`, so a lookup reads one
 * account and region's subject (scan.ts) and filters and orders in the node (linear in that
 * history: a page of LookupEvents, not a query engine). The stream's max age is the history's
 * 90 days; `pruneCalls` deletes by event time for what arrived with older times.
 * `followTrails` is the KV watch: every node's recorder knows every trail's logging state.
 */
export class JetStreamCloudTrailStore implements CloudTrailStore {
  private constructor(
    private readonly c: JetStreamConnection,
    private readonly docs: ResourceBucket,
    private readonly stream: string,
    private readonly prefix: string,
  ) {}

  static async open(c: JetStreamConnection): Promise<JetStreamCloudTrailStore> {
    const prefix = `${c.options.prefix ?? 'amiwatch'}.ct`;
    const stream = c.name('cloudtrail_calls');
    await c.ensureStream({
      name: stream,
      subjects: [`${prefix}.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: HISTORY_NS,
    });
    await settledProbe(c, stream, prefix);
    const kv = await c.bucket('cloudtrail');
    const docs = new ResourceBucket(kv, c.name('cloudtrail'), c.requests, c.jsm, randomUUID);
    await c.settled('bucket cloudtrail', () => docs.load('amiwatch.probe'));
    return new JetStreamCloudTrailStore(c, docs, stream, prefix);
  }

  async allTrails(): Promise<TrailRecord[]> {
    return (await this.docs.load(TRAIL)).map((r) => JSON.parse(r.doc) as TrailRecord);
  }

  createTrail(trail: TrailRecord): Promise<boolean> {
    return this.docs.create(TRAIL, trailKey(trail.accountId, trail.region, trail.name), JSON.stringify(trail));
  }

  async updateTrail(trail: TrailRecord): Promise<boolean> {
    return this.replace(trailKey(trail.accountId, trail.region, trail.name), JSON.stringify(trail));
  }

  async deleteTrail(accountId: string, region: string, name: string): Promise<boolean> {
    return this.replace(trailKey(accountId, region, name), null);
  }

  /** Writes over an existing trail (compare-and-set, again when another node got there first); false when there is none. */
  private async replace(key: string, doc: string | null): Promise<boolean> {
    for (;;) {
      const current = await this.docs.get(TRAIL, key);
      if (!current) return false;
      if (await this.docs.compareAndSet(this.docs.key(TRAIL, key), current.revision, doc)) return true;
    }
  }

  async appendCalls(records: readonly ApiCallRecord[]): Promise<void> {
    await Promise.all(
      records.map((r) => this.c.requests.publish(`${this.prefix}.${token(r.accountId)}.${token(r.region)}`, JSON.stringify(r))),
    );
  }

  async lookupCalls(q: ApiCallQuery): Promise<ApiCallRecord[]> {
    const found = await scanSubject<ApiCallRecord>(this.c, this.stream, `${this.prefix}.${token(q.accountId)}.${token(q.region)}`);
    return found
      .map((m) => m.value)
      .filter((r) => r.eventTime >= q.startTime && r.eventTime <= q.endTime)
      .filter((r) => (q.attribute ? hasAttribute(r, q.attribute) : true) && (q.before ? callBefore(r, q.before) : true))
      .sort(newestFirst)
      .slice(0, q.limit);
  }

  async pruneCalls(before: number, limit: number): Promise<number> {
    const old = (await scanSubject<ApiCallRecord>(this.c, this.stream, `${this.prefix}.>`))
      .filter((m) => m.value.eventTime < before)
      .sort((a, b) => a.value.eventTime - b.value.eventTime)
      .slice(0, limit);
    for (const m of old) await this.c.jsm.streams.deleteMessage(this.stream, m.seq, false);
    return old.length;
  }

  followTrails(onChange: (change: TrailChange) => void): Promise<() => void> {
    return this.docs.watch(TRAIL, (c) => {
      const [accountId = '', region = '', name = ''] = c.key.split('/');
      onChange({ accountId, region, name, trail: c.doc === null ? null : (JSON.parse(c.doc) as TrailRecord) });
    });
  }

  /** The connection belongs to the node. */
  close(): void {}
}
