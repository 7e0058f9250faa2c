import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  ClaimedDelivery,
  DeliveryCounts,
  DeliveryOutcome,
  DeliveryView,
  EventQuery,
  EventView,
  NewEvent,
  ResourceRecord,
  ResourceWrite,
  Store,
} from '../store.js';
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
}

/**
 * The embedded adapter: one SQLite file in WAL mode, better-sqlite3 (synchronous, so every
 * method completes before it returns; the Promise is only the port's shape).
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.durability === 'power' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(schema);
    const version = this.db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).pluck().get() as string | undefined;
    if (version === undefined) {
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('schema', ?)`).run(String(schemaVersion));
    } else if (version !== String(schemaVersion)) {
      throw new Error(`${options.path}: schema version ${version}, this amiwatch reads version ${schemaVersion}`);
    }
    this.stmt = this.prepare();
    this.writeTransaction = this.db.transaction(this.writeTx);
    this.appendTransaction = this.db.transaction(this.appendTx);
    this.claimTransaction = this.db.transaction(this.claimTx);
    this.settleTransaction = this.db.transaction(this.settleTx);
  }

  private readonly settleTransaction: (now: number, outcomes: readonly DeliveryOutcome[]) => void;

  private readonly writeTransaction: (writes: readonly ResourceWrite[]) => void;
  private readonly appendTransaction: (events: readonly NewEvent[]) => void;
  private readonly claimTransaction: (now: number, limit: number, leaseMs: number) => ClaimedDelivery[];

  private prepare() {
    const db = this.db;
    return {
      loadResources: db.prepare(`SELECT kind, key, doc FROM resources WHERE kind = ? ORDER BY key`),
      putResource: db.prepare(`INSERT INTO resources (kind, key, doc) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET doc = excluded.doc`),
      deleteResource: db.prepare(`DELETE FROM resources WHERE kind = ? AND key = ?`),
      insertEvent: db.prepare(`INSERT INTO events (event_id, bus_arn, ingested_at, rules, body) VALUES (?, ?, ?, ?, ?)`),
      insertDelivery: db.prepare(
        `INSERT INTO deliveries (event_seq, rule_arn, target, status, due_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?)`,
      ),
      selectDue: db.prepare(
        `SELECT d.id, d.rule_arn AS ruleArn, d.target, d.attempts, e.event_id AS eventId, e.bus_arn AS busArn,
                e.ingested_at AS ingestedAt, e.body
           FROM deliveries d JOIN events e ON e.seq = d.event_seq
          WHERE d.status = 'pending' AND d.due_at <= ?
          ORDER BY d.due_at LIMIT ?`,
      ),
      lease: db.prepare(`UPDATE deliveries SET due_at = ?, leased = 1 WHERE id = ?`),
      complete: db.prepare(`UPDATE deliveries SET status = 'delivered', attempts = ?, leased = 0, updated_at = ? WHERE id = ?`),
      retryAt: db.prepare(
        `UPDATE deliveries SET due_at = ?, attempts = ?, leased = 0, last_error = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
      ),
      fail: db.prepare(`UPDATE deliveries SET status = 'failed', attempts = ?, leased = 0, last_error = ?, updated_at = ? WHERE id = ?`),
      nextDue: db.prepare(`SELECT MIN(due_at) FROM deliveries WHERE status = 'pending'`).pluck(),
      releaseLeases: db.prepare(`UPDATE deliveries SET due_at = ?, leased = 0 WHERE status = 'pending' AND leased = 1`),
      counts: db.prepare(`SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status`),
      deliveriesOf: db.prepare(
        `SELECT id, rule_arn AS ruleArn, target, status, attempts, due_at AS dueAt, last_error AS lastError, updated_at AS updatedAt
           FROM deliveries WHERE event_seq = ? ORDER BY id`,
      ),
    };
  }

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

  private readonly appendTx = (events: readonly NewEvent[]) => {
    for (const e of events) {
      const seq = this.stmt.insertEvent.run(e.eventId, e.busArn, e.ingestedAt, JSON.stringify(e.rules), e.body).lastInsertRowid;
      for (const d of e.deliveries) this.stmt.insertDelivery.run(seq, d.ruleArn, d.target, d.dueAt, e.ingestedAt);
    }
  };

  async appendEvents(events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.appendTransaction(events);
  }

  async readEvents(query: EventQuery): Promise<EventView[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.busArn !== undefined) (where.push('bus_arn = ?'), args.push(query.busArn));
    if (query.from !== undefined) (where.push('ingested_at >= ?'), args.push(query.from));
    if (query.to !== undefined) (where.push('ingested_at <= ?'), args.push(query.to));
    if (query.beforeSeq !== undefined) (where.push('seq < ?'), args.push(query.beforeSeq));
    const sql = `SELECT seq, event_id AS eventId, bus_arn AS busArn, ingested_at AS ingestedAt, rules, body FROM events
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, query.limit) as (Omit<EventView, 'rules' | 'deliveries'> & { rules: string })[];
    return rows.map((r) => ({
      ...r,
      rules: JSON.parse(r.rules) as string[],
      deliveries: this.stmt.deliveriesOf.all(r.seq) as DeliveryView[],
    }));
  }

  private readonly claimTx = (now: number, limit: number, leaseMs: number): ClaimedDelivery[] => {
    const rows = this.stmt.selectDue.all(now, limit) as ClaimedDelivery[];
    for (const r of rows) this.stmt.lease.run(now + leaseMs, r.id);
    return rows;
  };

  async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.claimTransaction(now, limit, leaseMs);
  }

  private readonly settleTx = (now: number, outcomes: readonly DeliveryOutcome[]) => {
    for (const o of outcomes) {
      if (o.status === 'delivered') this.stmt.complete.run(o.attempts, now, o.id);
      else if (o.status === 'retry') this.stmt.retryAt.run(o.dueAt, o.attempts, o.error, now, o.id);
      else this.stmt.fail.run(o.attempts, o.error, now, o.id);
    }
  };

  async settle(now: number, outcomes: readonly DeliveryOutcome[]): Promise<void> {
    if (outcomes.length > 0) this.settleTransaction(now, outcomes);
  }

  async nextDueAt(): Promise<number | null> {
    return (this.stmt.nextDue.get() as number | null | undefined) ?? null;
  }

  async releaseLeases(now: number): Promise<void> {
    this.stmt.releaseLeases.run(now);
  }

  async countDeliveries(): Promise<DeliveryCounts> {
    const counts = { pending: 0, delivered: 0, failed: 0 };
    for (const row of this.stmt.counts.all() as { status: keyof DeliveryCounts; n: number }[]) counts[row.status] = row.n;
    return counts;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
