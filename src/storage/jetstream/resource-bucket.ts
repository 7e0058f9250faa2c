import type { JetStreamManager } from '@nats-io/jetstream';
import type { Requests } from './requests.js';
import { KvWatchInclude, type KV, type KvEntry } from '@nats-io/kv';
import type { ResourceChange, ResourceRecord, ResourceWrite } from '../store.js';

/** KV keys allow `[-/_=.a-zA-Z0-9]`: kinds and keys (ARNs, names) go in as base64url, after a letter so none is empty. */
const enc = (s: string): string => `k${Buffer.from(s, 'utf8').toString('base64url')}`;
const dec = (s: string): string => Buffer.from(s.slice(1), 'base64url').toString('utf8');
const resourceKey = (kind: string, key: string): string => `r.${enc(kind)}.${enc(key)}`;
const INTENT = 't.';
/** Header naming the revision of the intent a value was written by (see `applyOne`). */
const ORIGIN = 'Amiwatch-Origin';
/** Code-point order, as SQLite's BINARY collation sorts the same keys. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Intent {
  readonly writes: readonly ResourceWrite[];
}

/**
 * Keyed resource state in one KV bucket (`amiwatch_resources`, history 1): each document at
 * `r.<kind>.<key>`, its revision the KV revision.
 *
 * `writeResources` must apply every write or none, and nats-server 2.9 has no multi-subject
 * atomic publish (atomic batches came in 2.12). So a group of two or more writes is first
 * stored as ONE message, an intent at `t.<id>` in the same bucket (one atomic, replicated
 * publish: from then on the group is decided), then applied key by key, then the intent is
 * removed. If the node dies in between, any node replays the intent (`recover`, at start and
 * every few seconds for intents older than `staleMs`). Replays are safe because every write of an
 * intent is applied with a compare-and-set on the key's revision (KV's optimistic concurrency)
 * and skipped when the key's value was decided after the intent (`applyOne`). What this does
 * not give is isolation: a reader on another node may, for the few milliseconds of the apply,
 * see part of a group.
 * A single write needs no intent: one KV put is atomic.
 */
export class ResourceBucket {
  /** The newest revision this node has seen per key (own writes and the change feed). */
  private readonly seen = new Map<string, number>();
  /** This node's writes under way, by KV key. */
  private readonly inflight = new Map<string, Promise<void>>();
  /** While `watchAll` runs: this node's own writes (key → revision) whose echo it skips. */
  private own: Map<string, number> | null = null;

  constructor(
    private readonly kv: KV,
    /** The bucket's name (`amiwatch_resources`): delete markers are published to `$KV.<name>.<key>`. */
    private readonly bucketName: string,
    private readonly requests: Requests,
    private readonly jsm: JetStreamManager,
    private readonly random: () => string,
  ) {}

  async load(kind: string): Promise<ResourceRecord[]> {
    const keys: string[] = [];
    for await (const k of await this.kv.keys(`r.${enc(kind)}.>`)) keys.push(k);
    const entries = await Promise.all(keys.map((k) => this.kv.get(k)));
    const out: ResourceRecord[] = [];
    for (const e of entries) {
      if (!e || e.operation !== 'PUT') continue;
      out.push({ kind, key: dec(e.key.split('.')[2]!), doc: e.string() });
    }
    return out.sort((a, b) => cmp(a.key, b.key));
  }

  /** One document with its revision (the compare-and-set token), or null. */
  async get(kind: string, key: string): Promise<{ doc: string; revision: number } | null> {
    const e = await this.kv.get(resourceKey(kind, key));
    return e && e.operation === 'PUT' ? { doc: e.string(), revision: e.revision } : null;
  }

  /** Writes only if the key holds no document (never written, or deleted); false when it does. */
  async create(kind: string, key: string, doc: string): Promise<boolean> {
    const k = resourceKey(kind, key);
    const current = await this.kv.get(k);
    if (current && current.operation === 'PUT') return false;
    return this.compareAndSet(k, current?.revision ?? 0, doc);
  }

  /**
   * Writes (or deletes, `doc: null`) only if the key is still at `revision`: KV's optimistic
   * concurrency. False when another writer got there first.
   */
  async compareAndSet(key: string, revision: number, doc: string | null): Promise<boolean> {
    try {
      await this.track(key, this.publish(key, doc, undefined, revision));
      return true;
    } catch (err) {
      if (/wrong last sequence/i.test(String((err as Error).message))) return false;
      throw err;
    }
  }

  key(kind: string, key: string): string {
    return resourceKey(kind, key);
  }

  async write(writes: readonly ResourceWrite[]): Promise<void> {
    if (writes.length === 0) return;
    if (writes.length === 1) {
      const w = writes[0]!;
      const k = resourceKey(w.kind, w.key);
      await this.track(k, this.publish(k, w.doc, undefined, undefined));
      return;
    }
    const id = `${INTENT}${this.random()}`;
    const intentRev = (await this.requests.publish(`$KV.${this.bucketName}.${id}`, JSON.stringify({ writes } satisfies Intent))).seq;
    await this.apply(intentRev, writes);
    await this.kv.purge(id).catch(() => undefined); // a left-over intent is replayed harmlessly
  }

  /** Applies an intent's writes, each unless the key's value was decided after the intent. */
  private async apply(intentRev: number, writes: readonly ResourceWrite[]): Promise<void> {
    await Promise.all(writes.map((w) => this.applyOne(intentRev, resourceKey(w.kind, w.key), w.doc)));
  }

  /**
   * Writes an intent's document unless the key holds a value decided later. A value's decision
   * point is its `Amiwatch-Origin` header (the revision of the intent that wrote it) or, for a
   * single write, its own revision. Comparing decision points rather than revisions makes two
   * groups that race over the same keys end in the state of the later-decided one on EVERY key,
   * whichever applies first; deletes leave a marker with their origin for the same reason.
   */
  private async applyOne(intentRev: number, key: string, doc: string | null): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.current(key);
      if (current && current.origin > intentRev) return; // decided after this intent: it wins
      try {
        await this.track(key, this.publish(key, doc, intentRev, current?.revision ?? 0));
        return;
      } catch (err) {
        // Another writer got there between our read and our write: read again and decide again.
        if (attempt >= 20 || !/wrong last sequence/i.test(String((err as Error).message))) throw err;
      }
    }
  }

  /** The key's last message: its revision and decision point (see applyOne), or null. */
  private async current(key: string): Promise<{ revision: number; origin: number } | null> {
    const m = await this.jsm.streams.getMessage(`KV_${this.bucketName}`, { last_by_subj: `$KV.${this.bucketName}.${key}` });
    if (!m) return null;
    const origin = Number(m.header?.get(ORIGIN) || m.seq);
    return { revision: m.seq, origin };
  }

  /**
   * Publishes a KV value or delete marker directly (the client's `delete` returns no revision, and
   * neither `put` nor `delete` carries headers): optionally with its origin and a compare-and-set
   * on the key's revision (0: the key has no message yet).
   */
  private async publish(key: string, doc: string | null, origin: number | undefined, previousSeq: number | undefined): Promise<number> {
    const headers: Record<string, string> = {};
    if (doc === null) headers['KV-Operation'] = 'DEL';
    if (origin !== undefined) headers[ORIGIN] = String(origin);
    const ack = await this.requests.publish(`$KV.${this.bucketName}.${key}`, doc ?? undefined, {
      headers,
      ...(previousSeq !== undefined && { lastSubjectSequence: previousSeq }),
    });
    return ack.seq;
  }

  /** Replays intents older than `staleMs` whose writer did not finish (it died). Returns how many. */
  async recover(now: number, staleMs: number): Promise<number> {
    const ids: string[] = [];
    for await (const k of await this.kv.keys(`${INTENT}>`)) ids.push(k);
    let replayed = 0;
    for (const id of ids) {
      const e = await this.kv.get(id);
      if (!e || e.operation !== 'PUT' || now - e.created.getTime() < staleMs) continue;
      await this.apply(e.revision, e.json<Intent>().writes);
      await this.kv.purge(id, { previousSeq: e.revision }).catch(() => undefined);
      replayed++;
    }
    return replayed;
  }

  /**
   * Calls `onChange` for every later change of `kind`'s documents made by any node, in the
   * bucket's order; changes this node already applied (its own writes) are skipped.
   */
  async watch(kind: string, onChange: (change: ResourceChange) => void): Promise<() => void> {
    const iter = await this.kv.watch({ key: `r.${enc(kind)}.>`, include: KvWatchInclude.UpdatesOnly });
    void (async () => {
      for await (const e of iter) {
        // The feed may bring this node's own write before the write's own answer does: wait for it.
        const own = this.inflight.get(e.key);
        if (own) await own;
        this.deliver(kind, e, onChange);
      }
    })().catch(() => undefined);
    return () => iter.stop();
  }

  /**
   * Every later change of any kind made by another node (this node's own writes are skipped), in
   * the bucket's order: what the console's change stream shows of the cluster. Independent of the
   * per-kind watches (it neither reads nor marks what they have seen).
   */
  async watchAll(onChange: (change: ResourceChange) => void): Promise<() => void> {
    this.own ??= new Map();
    const own = this.own;
    const iter = await this.kv.watch({ key: 'r.>', include: KvWatchInclude.UpdatesOnly });
    void (async () => {
      for await (const e of iter) {
        const pending = this.inflight.get(e.key);
        if (pending) await pending;
        if (own.get(e.key) === e.revision) {
          own.delete(e.key);
          continue;
        }
        const [, kind, key] = e.key.split('.');
        onChange({ kind: dec(kind!), key: dec(key!), doc: e.operation === 'PUT' ? e.string() : null });
      }
    })().catch(() => undefined);
    return () => iter.stop();
  }

  private deliver(kind: string, e: KvEntry, onChange: (change: ResourceChange) => void): void {
    const last = this.seen.get(e.key) ?? 0;
    if (e.revision <= last) return;
    this.saw(e.key, e.revision);
    onChange({ kind, key: dec(e.key.split('.')[2]!), doc: e.operation === 'PUT' ? e.string() : null });
  }

  /** Runs one write of this node to `key`, recording its revision; the change feed waits for it. */
  private async track(key: string, write: Promise<number>): Promise<void> {
    const recorded = write.then((rev) => {
      this.saw(key, rev);
      this.own?.set(key, rev);
    });
    const done = recorded.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.set(key, done);
    try {
      await recorded;
    } finally {
      if (this.inflight.get(key) === done) this.inflight.delete(key);
    }
  }

  private saw(key: string, revision: number): void {
    if ((this.seen.get(key) ?? 0) < revision) this.seen.set(key, revision);
  }
}
