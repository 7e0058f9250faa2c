import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type {
  ClaimedDelivery,
  DeliveryCounts,
  DeliveryOutcome,
  DeliveryView,
  EventQuery,
  EventView,
  NewEvent,
  ResourceChange,
  ResourceRecord,
  ResourceWrite,
  Store,
} from '../store.js';
import { Checkpointer } from './checkpointer.js';
import { ClaimQueue, type Queued } from './claim-queue.js';
import { OwnerLock } from './owner-lock.js';
import { DeliveryCounter, kindOf } from './delivery-counts.js';
import { DiskFullError, isDiskFull } from '../store-errors.js';
import { schema, schemaVersion } from './schema.js';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for throwaway runs. */
  readonly path: string;
  /**
   * `process` (default): WAL with synchronous=NORMAL — a killed process loses nothing that was
   * committed; a power cut may lose the last transactions. `power`: synchronous=FULL, every
   * commit is fsynced.
   */
  readonly durability?: 'process' | 'power';
  /** Most deliveries held in the memory queue (beyond it they wait in the table). */
  readonly queueCapacity?: number;
}

interface PendingAppend {
  readonly events: readonly NewEvent[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * The embedded adapter: one SQLite file in WAL mode through better-sqlite3, owned by one
 * process at a time. Three measured costs shape it (bench/put-events, BENCHMARKS.md):
 *  - commits, not inserts: appendEvents is group-committed — the appends of one event-loop turn
 *    (concurrent PutEvents requests) share one transaction, committed in a setImmediate; each
 *    caller's promise resolves only after that commit;
 *  - checkpoints: run on another thread (Checkpointer), never inside a commit;
 *  - claiming: the deliveries this process appends go, after the commit, into a memory queue
 *    (status `queued` in the table), so the worker claims them without a query; leases are held
 *    in memory. A crash loses only the memory: on open every `queued` row is `pending` again and
 *    every lease is gone — at-least-once, as the port promises.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly checkpointer: Checkpointer | null;
  private readonly lock: OwnerLock | null;
  /** Delivery counts by status, kept as rows change (delivery-counts.ts). */
  private readonly counter: DeliveryCounter;
  private readonly capacity: number;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** Deliveries appended by this process and not yet claimed, and every lease. */
  private readonly queue = new ClaimQueue();
  /** rule ARN → target → targets row id. */
  private readonly targetIds = new Map<string, Map<string, number>>();
  /** Targets inserted by the transaction in progress (forgotten if it rolls back). */
  private pendingTargets: [string, string][] = [];
  /** No `pending` row of the table is due before this (Infinity: none is pending). */
  private tableDue: number;

  private readonly writeTransaction: (writes: readonly ResourceWrite[]) => void;
  private readonly appendTransaction: (events: readonly NewEvent[], queued: boolean) => Queued[];
  private readonly settleTransaction: (now: number, outcomes: readonly DeliveryOutcome[]) => void;

  constructor(options: SqliteStoreOptions) {
    const file = options.path !== ':memory:';
    const diskFull = (err: unknown) =>
      new DiskFullError(
        `the disk holding ${options.path} is full (${(err as Error).message}): free some space and start again; nothing stored was lost`,
      );
    try {
      // Made private: the database holds every account's state (a function run as another user must not read it).
      if (file) mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
      this.lock = file ? OwnerLock.acquire(options.path) : null;
    } catch (err) {
      throw isDiskFull(err) ? diskFull(err) : err;
    }
    this.capacity = options.queueCapacity ?? 100_000;
    try {
      this.db = new Database(options.path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.durability === 'power' ? 'FULL' : 'NORMAL'}`);
      this.db.pragma('busy_timeout = 5000');
      if (file) this.db.pragma('wal_autocheckpoint = 0');
      this.db.exec(schema);
      const version = this.db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).pluck().get() as string | undefined;
      if (version === undefined) {
        this.db.prepare(`INSERT INTO meta (key, value) VALUES ('schema', ?)`).run(String(schemaVersion));
      } else if (version !== String(schemaVersion)) {
        throw new Error(`${options.path}: schema version ${version}, this amiwatch reads version ${schemaVersion}`);
      }
      // The previous owner's memory queue is gone: its deliveries wait in the table again.
      this.db.prepare(`UPDATE deliveries SET status = 'pending' WHERE status = 'queued'`).run();
      this.stmt = this.prepare();
      this.counter = new DeliveryCounter(this.db);
    } catch (err) {
      this.lock?.release();
      throw isDiskFull(err) ? diskFull(err) : err;
    }
    this.tableDue = this.queryTableDue(-Infinity);
    for (const t of this.stmt.loadTargets.all() as { id: number; ruleArn: string; target: string }[]) {
      let byTarget = this.targetIds.get(t.ruleArn);
      if (!byTarget) this.targetIds.set(t.ruleArn, (byTarget = new Map()));
      byTarget.set(t.target, t.id);
    }
    this.writeTransaction = this.db.transaction(this.writeTx);
    this.appendTransaction = this.db.transaction(this.appendTx);
    this.settleTransaction = this.db.transaction(this.settleTx);
    this.checkpointer = file ? new Checkpointer(options.path, createRequire(import.meta.url).resolve('better-sqlite3')) : null;
  }

  private prepare() {
    const db = this.db;
    return {
      loadResources: db.prepare(`SELECT kind, key, doc FROM resources WHERE kind = ? ORDER BY key`),
      putResource: db.prepare(
        `INSERT INTO resources (kind, key, doc) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET doc = excluded.doc`,
      ),
      deleteResource: db.prepare(`DELETE FROM resources WHERE kind = ? AND key = ?`),
      insertKey: db.prepare(`INSERT OR IGNORE INTO event_keys (key) VALUES (?)`),
      insertEvent: db.prepare(`INSERT INTO events (event_id, bus_arn, ingested_at, rules, body) VALUES (?, ?, ?, ?, ?)`),
      insertDelivery: db.prepare(`INSERT INTO deliveries (event_seq, target_id, status, due_at, updated_at) VALUES (?, ?, ?, ?, ?)`),
      insertTarget: db.prepare(`INSERT INTO targets (rule_arn, target) VALUES (?, ?)`),
      loadTargets: db.prepare(`SELECT id, rule_arn AS ruleArn, target FROM targets`),
      selectDue: db.prepare(
        `SELECT d.id, t.rule_arn AS ruleArn, t.target, d.attempts, d.due_at AS dueAt, e.event_id AS eventId, e.bus_arn AS busArn,
                e.ingested_at AS ingestedAt, e.body
           FROM deliveries d JOIN events e ON e.seq = d.event_seq JOIN targets t ON t.id = d.target_id
          WHERE d.status = 'pending' AND d.due_at <= ?
          ORDER BY d.due_at LIMIT ?`,
      ),
      tableDue: db.prepare(`SELECT MIN(due_at) FROM deliveries WHERE status = 'pending' AND due_at > ?`).pluck(),
      complete: db.prepare(`UPDATE deliveries SET status = 'delivered', attempts = ?, updated_at = ? WHERE id = ?`),
      completeMany: db.prepare(
        `UPDATE deliveries SET status = 'delivered', attempts = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))`,
      ),
      retryAt: db.prepare(
        `UPDATE deliveries SET status = 'pending', due_at = ?, attempts = ?, last_error = ?, updated_at = ? WHERE id = ?`,
      ),
      fail: db.prepare(`UPDATE deliveries SET status = 'failed', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?`),
      statusOf: db.prepare(`SELECT status FROM deliveries WHERE id = ?`).pluck(),
      prunedCounts: db.prepare(
        `SELECT status, COUNT(*) AS n FROM deliveries WHERE event_seq IN (SELECT value FROM json_each(?)) GROUP BY status`,
      ),
      // Oldest first by rowid (ingestion order), stopping at the age limit.
      prunable: db
        .prepare(
          `SELECT seq FROM events e WHERE e.ingested_at < ?
              AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND d.status IN ('pending', 'queued'))
            ORDER BY seq LIMIT ?`,
        )
        .pluck(),
      deleteEvents: db.prepare(`DELETE FROM events WHERE seq IN (SELECT value FROM json_each(?))`),
      deleteDeliveries: db.prepare(`DELETE FROM deliveries WHERE event_seq IN (SELECT value FROM json_each(?))`),
      deliveriesOf: db.prepare(
        `SELECT d.id, t.rule_arn AS ruleArn, t.target, CASE d.status WHEN 'queued' THEN 'pending' ELSE d.status END AS status,
                d.attempts, d.due_at AS dueAt, d.last_error AS lastError, d.updated_at AS updatedAt
           FROM deliveries d JOIN targets t ON t.id = d.target_id WHERE d.event_seq = ? ORDER BY d.id`,
      ),
    };
  }

  private queryTableDue(after: number): number {
    return (this.stmt.tableDue.get(after) as number | null) ?? Infinity;
  }

  // ---- keyed resource state ----

  async loadResources(kind: string): Promise<ResourceRecord[]> {
    return this.stmt.loadResources.all(kind) as ResourceRecord[];
  }

  private readonly writeTx = (writes: readonly ResourceWrite[]) => {
    for (const w of writes) {
      if (w.doc === null) this.stmt.deleteResource.run(w.kind, w.key);
      else this.stmt.putResource.run(w.kind, w.key, w.doc);
    }
  };

  async writeResources(writes: readonly ResourceWrite[]): Promise<void> {
    this.writeTransaction(writes);
  }

  /** One process owns the file (OwnerLock): no other writer, so no change ever comes. */
  async watchResources(_kind: string, _onChange: (change: ResourceChange) => void): Promise<() => void> {
    return () => undefined;
  }

  // ---- event log ----

  private readonly appendTx = (events: readonly NewEvent[], queued: boolean): Queued[] => {
    const status = queued ? 'queued' : 'pending';
    const out: Queued[] = [];
    for (const e of events) {
      if (e.idempotencyKey !== undefined && this.stmt.insertKey.run(e.idempotencyKey).changes === 0) continue;
      const seq = this.stmt.insertEvent.run(e.eventId, e.busArn, e.ingestedAt, JSON.stringify(e.rules), e.body).lastInsertRowid;
      for (const d of e.deliveries) {
        const id = Number(
          this.stmt.insertDelivery.run(seq, this.targetId(d.ruleArn, d.target), status, d.dueAt, e.ingestedAt).lastInsertRowid,
        );
        out.push({
          id,
          eventId: e.eventId,
          busArn: e.busArn,
          ingestedAt: e.ingestedAt,
          body: e.body,
          ruleArn: d.ruleArn,
          target: d.target,
          attempts: 0,
          dueAt: d.dueAt,
        });
      }
    }
    return out;
  };

  /**
   * The id of a (rule, target) row, inserted on first use (inside the append transaction).
   * Two-level lookup: the callers pass the same string objects for every event of a rule
   * version, so their hashes are cached and no key is concatenated per delivery.
   */
  private targetId(ruleArn: string, target: string): number {
    let byTarget = this.targetIds.get(ruleArn);
    if (!byTarget) this.targetIds.set(ruleArn, (byTarget = new Map()));
    let id = byTarget.get(target);
    if (id === undefined) {
      id = Number(this.stmt.insertTarget.run(ruleArn, target).lastInsertRowid);
      this.pendingTargets.push([ruleArn, target]);
      byTarget.set(target, id);
    }
    return id;
  }

  appendEvents(events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ events, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  /** Commits every append of this turn in one transaction (each on its own if that fails). */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      this.commitAppend(batch.length === 1 ? batch[0]!.events : batch.flatMap((p) => p.events));
      for (const p of batch) p.resolve();
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const p of batch) {
        try {
          this.commitAppend(p.events);
          p.resolve();
        } catch (e) {
          p.reject(e);
        }
      }
    }
  };

  private commitAppend(events: readonly NewEvent[]): void {
    const room = this.queue.unclaimed < this.capacity;
    let added: Queued[];
    this.pendingTargets = [];
    try {
      added = this.appendTransaction(events, room);
      this.counter.add('pending', added.length);
    } catch (err) {
      for (const [ruleArn, target] of this.pendingTargets) this.targetIds.get(ruleArn)?.delete(target);
      throw err;
    }
    if (room) this.queue.push(added);
    else for (const q of added) this.tableDue = Math.min(this.tableDue, q.dueAt);
  }

  async readEvents(query: EventQuery): Promise<EventView[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.busArn !== undefined) where.push('bus_arn = ?'), args.push(query.busArn);
    // Bus ARNs are arn:aws:events:REGION:ACCOUNT:event-bus/NAME; the account is digits only, so LIKE is exact here.
    if (query.account !== undefined) where.push('bus_arn LIKE ?'), args.push(`arn:aws:events:%:${query.account}:%`);
    if (query.from !== undefined) where.push('ingested_at >= ?'), args.push(query.from);
    if (query.to !== undefined) where.push('ingested_at <= ?'), args.push(query.to);
    if (query.beforeSeq !== undefined) where.push('seq < ?'), args.push(query.beforeSeq);
    const sql = `SELECT seq, event_id AS eventId, bus_arn AS busArn, ingested_at AS ingestedAt, rules, body FROM events
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, query.limit) as (Omit<EventView, 'rules' | 'deliveries'> & { rules: string })[];
    return rows.map((r) => ({
      ...r,
      rules: JSON.parse(r.rules) as string[],
      deliveries: this.stmt.deliveriesOf.all(r.seq) as DeliveryView[],
    }));
  }

  // ---- delivery queue ----

  async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const out: ClaimedDelivery[] = [];
    const until = now + leaseMs;
    // 1. Leases that ran out (a transport that never answered): due again.
    this.queue.takeExpired(now, until, limit, out);
    // 2. Table rows due now (retries, and what a previous process left), oldest first.
    if (out.length < limit && this.tableDue <= now) {
      const want = limit - out.length;
      const fetched = want + this.queue.inFlight;
      const rows = this.stmt.selectDue.all(now, fetched) as Queued[];
      let taken = 0;
      for (const r of rows) {
        if (taken >= want) break;
        if (this.queue.isLeased(r.id)) continue;
        this.queue.lease(r, until, true, out);
        taken++;
      }
      if (rows.length < fetched) this.tableDue = this.queryTableDue(now);
    }
    // 3. The memory queue, in append order.
    this.queue.takeDue(now, until, limit, out);
    return out;
  }

  private readonly settleTx = (now: number, outcomes: readonly DeliveryOutcome[]) => {
    // The common case, delivered at the first attempt, is one statement for the whole round.
    const firstTry: number[] = [];
    for (const o of outcomes) {
      if (o.status === 'delivered' && o.attempts === 1) firstTry.push(o.id);
      else if (o.status === 'delivered') this.stmt.complete.run(o.attempts, now, o.id);
      else if (o.status === 'retry') this.stmt.retryAt.run(o.dueAt, o.attempts, o.error, now, o.id);
      else this.stmt.fail.run(o.attempts, o.error, now, o.id);
    }
    if (firstTry.length === 1) this.stmt.complete.run(1, now, firstTry[0]!);
    else if (firstTry.length > 1) this.stmt.completeMany.run(1, now, JSON.stringify(firstTry));
  };

  async settle(now: number, outcomes: readonly DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    // A leased delivery was pending when claimed; anything else (a late second settle) is looked up.
    const before = outcomes.map((o) => {
      if (this.queue.isLeased(o.id)) return 'pending';
      const status = this.stmt.statusOf.get(o.id) as string | undefined;
      return status === undefined ? null : kindOf(status); // null: no such row, the update changes nothing
    });
    this.settleTransaction(now, outcomes);
    outcomes.forEach((o, i) => {
      const from = before[i];
      if (from) this.counter.move(from, o.status === 'retry' ? 'pending' : o.status);
    });
    for (const o of outcomes) {
      this.queue.settled(o.id);
      if (o.status === 'retry') this.tableDue = Math.min(this.tableDue, o.dueAt);
    }
  }

  async nextDueAt(): Promise<number | null> {
    const next = Math.min(this.tableDue, this.queue.nextDue());
    return next === Infinity ? null : next;
  }

  async releaseLeases(now: number): Promise<void> {
    if (this.queue.releaseAll()) this.tableDue = Math.min(this.tableDue, now);
  }

  async countDeliveries(): Promise<DeliveryCounts> {
    return this.counter.get();
  }

  async pruneEvents(before: number, limit: number): Promise<number> {
    const { n, removed } = this.db.transaction(() => {
      const seqs = this.stmt.prunable.all(before, limit) as number[];
      if (seqs.length === 0) return { n: 0, removed: [] };
      const list = JSON.stringify(seqs);
      const counts = this.stmt.prunedCounts.all(list) as { status: string; n: number }[];
      this.stmt.deleteDeliveries.run(list);
      this.stmt.deleteEvents.run(list);
      return { n: seqs.length, removed: counts };
    })();
    for (const r of removed) this.counter.add(kindOf(r.status), -r.n);
    return n;
  }

  async usedBytes(): Promise<number> {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return (pages - free) * size;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.flush();
    this.counter.persist();
    this.db.close();
    await this.checkpointer?.stop();
    this.lock?.release();
  }
}
