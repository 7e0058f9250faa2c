import type { Database, Statement } from 'better-sqlite3';
import type { ApiCallQuery, ApiCallRecord, CloudTrailStore, LookupKey, TrailRecord } from '../ports/cloudtrail-store.js';
import { migrateModule } from './module-migrations.js';

/**
 * The CloudTrail tables, self-contained like EC2's and Lambda's (their own version table in the
 * shared SQLite file). Calls are kept one row each with the columns LookupEvents filters on,
 * indexed newest first per account and region (migrated by module-migrations.ts).
 */
const migrations: readonly string[] = [
  `CREATE TABLE cloudtrail_trails (
     account_id TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (account_id, region, name)
   ) WITHOUT ROWID;
   CREATE TABLE cloudtrail_calls (
     account_id TEXT NOT NULL,
     region TEXT NOT NULL,
     event_time INTEGER NOT NULL,
     event_id TEXT NOT NULL,
     event_name TEXT NOT NULL,
     event_source TEXT NOT NULL,
     read_only TEXT NOT NULL,
     username TEXT NOT NULL,
     access_key_id TEXT NOT NULL,
     resources TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (account_id, region, event_time, event_id)
   );
   CREATE INDEX cloudtrail_calls_time ON cloudtrail_calls (event_time);`,
];

/** The SQL condition of each lookup attribute (one `?` for its value). */
const ATTRIBUTE_SQL: Record<LookupKey, string> = {
  EventId: 'event_id = ?',
  EventName: 'event_name = ?',
  ReadOnly: 'read_only = ?',
  Username: 'username = ?',
  ResourceType: "EXISTS (SELECT 1 FROM json_each(resources) WHERE json_extract(value, '$.type') = ?)",
  ResourceName: "EXISTS (SELECT 1 FROM json_each(resources) WHERE json_extract(value, '$.name') = ?)",
  EventSource: 'event_source = ?',
  AccessKeyId: 'access_key_id = ?',
};

interface CallRow {
  account_id: string;
  region: string;
  event_time: number;
  event_id: string;
  event_name: string;
  event_source: string;
  read_only: string;
  username: string;
  access_key_id: string;
  resources: string;
  body: string;
}

const fromRow = (r: CallRow): ApiCallRecord => ({
  accountId: r.account_id,
  region: r.region,
  eventId: r.event_id,
  eventTime: r.event_time,
  eventName: r.event_name,
  eventSource: r.event_source,
  readOnly: r.read_only === 'true',
  username: r.username,
  accessKeyId: r.access_key_id,
  resources: JSON.parse(r.resources) as ApiCallRecord['resources'],
  body: r.body,
});

/** CloudTrailStore on SQLite (better-sqlite3, synchronous; the async signatures are the port's). */
export class SqliteCloudTrailStore implements CloudTrailStore {
  private readonly s: Record<'all' | 'insert' | 'update' | 'delete' | 'append' | 'prune', Statement>;
  private readonly lookups = new Map<string, Statement>();

  constructor(private readonly db: Database) {
    migrateModule(db, 'cloudtrail', 'CloudTrail', migrations);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      all: p('SELECT record FROM cloudtrail_trails'),
      insert: p('INSERT OR IGNORE INTO cloudtrail_trails (account_id, region, name, record) VALUES (?, ?, ?, ?)'),
      update: p('UPDATE cloudtrail_trails SET record = ? WHERE account_id = ? AND region = ? AND name = ?'),
      delete: p('DELETE FROM cloudtrail_trails WHERE account_id = ? AND region = ? AND name = ?'),
      append: p(
        'INSERT OR IGNORE INTO cloudtrail_calls (account_id, region, event_time, event_id, event_name, event_source, read_only, username, access_key_id, resources, body) ' +
          'VALUES (@accountId, @region, @eventTime, @eventId, @eventName, @eventSource, @readOnly, @username, @accessKeyId, @resources, @body)',
      ),
      prune: p(
        'DELETE FROM cloudtrail_calls WHERE rowid IN (SELECT rowid FROM cloudtrail_calls WHERE event_time < ? ORDER BY event_time LIMIT ?)',
      ),
    };
  }

  async allTrails(): Promise<TrailRecord[]> {
    return (this.s.all.all() as { record: string }[]).map((r) => JSON.parse(r.record) as TrailRecord);
  }

  async createTrail(t: TrailRecord): Promise<boolean> {
    return this.s.insert.run(t.accountId, t.region, t.name, JSON.stringify(t)).changes === 1;
  }

  async updateTrail(t: TrailRecord): Promise<boolean> {
    return this.s.update.run(JSON.stringify(t), t.accountId, t.region, t.name).changes === 1;
  }

  async deleteTrail(accountId: string, region: string, name: string): Promise<boolean> {
    return this.s.delete.run(accountId, region, name).changes === 1;
  }

  async appendCalls(records: readonly ApiCallRecord[]): Promise<void> {
    const insert = this.db.transaction((rs: readonly ApiCallRecord[]) => {
      for (const r of rs) this.s.append.run({ ...r, readOnly: String(r.readOnly), resources: JSON.stringify(r.resources) });
    });
    insert(records);
  }

  async lookupCalls(q: ApiCallQuery): Promise<ApiCallRecord[]> {
    const args: unknown[] = [q.accountId, q.region, q.startTime, q.endTime];
    if (q.attribute) args.push(q.attribute.value);
    if (q.before) args.push(q.before.eventTime, q.before.eventTime, q.before.eventId);
    args.push(q.limit);
    return (this.lookup(q.attribute?.key, q.before !== undefined).all(...args) as CallRow[]).map(fromRow);
  }

  async pruneCalls(before: number, limit: number): Promise<number> {
    return this.s.prune.run(before, limit).changes;
  }

  close(): void {}

  /** One prepared statement per shape of query (attribute key × paged or not). */
  private lookup(key: LookupKey | undefined, paged: boolean): Statement {
    const id = `${key ?? ''}/${paged}`;
    let statement = this.lookups.get(id);
    if (!statement) {
      const where = ['account_id = ?', 'region = ?', 'event_time >= ?', 'event_time <= ?'];
      if (key) where.push(ATTRIBUTE_SQL[key]);
      if (paged) where.push('(event_time < ? OR (event_time = ? AND event_id < ?))');
      statement = this.db.prepare(
        `SELECT * FROM cloudtrail_calls WHERE ${where.join(' AND ')} ORDER BY event_time DESC, event_id DESC LIMIT ?`,
      );
      this.lookups.set(id, statement);
    }
    return statement;
  }
}
