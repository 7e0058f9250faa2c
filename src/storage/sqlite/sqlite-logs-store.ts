import type { Database, Statement } from 'better-sqlite3';
import { migrateModule } from './module-migrations.js';
import type {
  LogEventQuery,
  LogEventRecord,
  LogGroupRecord,
  LogScope,
  LogsStore,
  LogStreamRecord,
  NewLogEvent,
} from '../ports/logs-store.js';

/**
 * The CloudWatch Logs tables, self-contained like Lambda's (their own version table). Events are
 * rows keyed by an autoincrement `seq`, indexed by (group, timestamp, seq) for the reads every
 * Get/FilterLogEvents makes. Append migrations; never edit a released one.
 */
const migrations: readonly string[] = [
  `CREATE TABLE logs_groups (
     account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, record TEXT NOT NULL,
     retained INTEGER NOT NULL,
     PRIMARY KEY (account_id, region, name)
   ) WITHOUT ROWID;
   CREATE TABLE logs_streams (
     account_id TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, name TEXT NOT NULL, record TEXT NOT NULL,
     PRIMARY KEY (account_id, region, grp, name)
   ) WITHOUT ROWID;
   CREATE TABLE logs_events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     account_id TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, stream TEXT NOT NULL,
     ts INTEGER NOT NULL, ingested INTEGER NOT NULL, message TEXT NOT NULL
   );
   CREATE INDEX logs_events_order ON logs_events (account_id, region, grp, ts, seq);
   CREATE INDEX logs_events_stream ON logs_events (account_id, region, grp, stream, ts, seq);`,
];

interface EventRow {
  seq: number;
  stream: string;
  ts: number;
  ingested: number;
  message: string;
}

const toEvent = (r: EventRow): LogEventRecord => ({
  seq: r.seq,
  stream: r.stream,
  timestamp: r.ts,
  ingestionTime: r.ingested,
  message: r.message,
});

/** LogsStore on SQLite (better-sqlite3, synchronous; the async signatures are the port's). */
export class SqliteLogsStore implements LogsStore {
  private readonly s: Record<string, Statement>;
  private readonly append: (stream: LogStreamRecord, events: readonly NewLogEvent[], ingestionTime: number) => void;

  constructor(private readonly db: Database) {
    migrateModule(db, 'logs', 'Logs', migrations);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      getGroup: p('SELECT record FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?'),
      listGroups: p('SELECT record FROM logs_groups WHERE account_id = ? AND region = ? ORDER BY name'),
      retained: p('SELECT record FROM logs_groups WHERE retained = 1'),
      putGroup: p(
        'INSERT INTO logs_groups (account_id, region, name, record, retained) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET record = excluded.record, retained = excluded.retained',
      ),
      deleteGroup: p('DELETE FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?'),
      deleteGroupStreams: p('DELETE FROM logs_streams WHERE account_id = ? AND region = ? AND grp = ?'),
      deleteGroupEvents: p('DELETE FROM logs_events WHERE account_id = ? AND region = ? AND grp = ?'),
      getStream: p('SELECT record FROM logs_streams WHERE account_id = ? AND region = ? AND grp = ? AND name = ?'),
      listStreams: p('SELECT record FROM logs_streams WHERE account_id = ? AND region = ? AND grp = ? ORDER BY name'),
      putStream: p(
        'INSERT INTO logs_streams (account_id, region, grp, name, record) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET record = excluded.record',
      ),
      deleteStream: p('DELETE FROM logs_streams WHERE account_id = ? AND region = ? AND grp = ? AND name = ?'),
      deleteStreamEvents: p('DELETE FROM logs_events WHERE account_id = ? AND region = ? AND grp = ? AND stream = ?'),
      insertEvent: p('INSERT INTO logs_events (account_id, region, grp, stream, ts, ingested, message) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      expire: p('DELETE FROM logs_events WHERE account_id = ? AND region = ? AND grp = ? AND ts < ?'),
    };
    this.append = db.transaction((stream: LogStreamRecord, events: readonly NewLogEvent[], ingestionTime: number) => {
      for (const e of events)
        this.s.insertEvent!.run(stream.accountId, stream.region, stream.group, stream.name, e.timestamp, ingestionTime, e.message);
      this.s.putStream!.run(stream.accountId, stream.region, stream.group, stream.name, JSON.stringify(stream));
    });
  }

  async getGroup(scope: LogScope, name: string) {
    const row = this.s.getGroup!.get(scope.accountId, scope.region, name) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as LogGroupRecord) : undefined;
  }
  async listGroups(scope: LogScope) {
    return (this.s.listGroups!.all(scope.accountId, scope.region) as { record: string }[]).map(
      (r) => JSON.parse(r.record) as LogGroupRecord,
    );
  }
  async listRetainedGroups() {
    return (this.s.retained!.all() as { record: string }[]).map((r) => JSON.parse(r.record) as LogGroupRecord);
  }
  async putGroup(g: LogGroupRecord) {
    this.s.putGroup!.run(g.accountId, g.region, g.name, JSON.stringify(g), g.retentionInDays === null ? 0 : 1);
  }
  async deleteGroup(scope: LogScope, name: string) {
    return this.db.transaction(() => {
      this.s.deleteGroupEvents!.run(scope.accountId, scope.region, name);
      this.s.deleteGroupStreams!.run(scope.accountId, scope.region, name);
      return this.s.deleteGroup!.run(scope.accountId, scope.region, name).changes > 0;
    })();
  }
  async getStream(scope: LogScope, group: string, name: string) {
    const row = this.s.getStream!.get(scope.accountId, scope.region, group, name) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as LogStreamRecord) : undefined;
  }
  async listStreams(scope: LogScope, group: string) {
    return (this.s.listStreams!.all(scope.accountId, scope.region, group) as { record: string }[]).map(
      (r) => JSON.parse(r.record) as LogStreamRecord,
    );
  }
  async putStream(st: LogStreamRecord) {
    this.s.putStream!.run(st.accountId, st.region, st.group, st.name, JSON.stringify(st));
  }
  async deleteStream(scope: LogScope, group: string, name: string) {
    return this.db.transaction(() => {
      this.s.deleteStreamEvents!.run(scope.accountId, scope.region, group, name);
      return this.s.deleteStream!.run(scope.accountId, scope.region, group, name).changes > 0;
    })();
  }
  async appendEvents(stream: LogStreamRecord, events: readonly NewLogEvent[], ingestionTime: number) {
    this.append(stream, events, ingestionTime);
  }
  async queryEvents(scope: LogScope, q: LogEventQuery) {
    const where = ['account_id = ?', 'region = ?', 'grp = ?'];
    const args: (string | number)[] = [scope.accountId, scope.region, q.group];
    if (q.streams) {
      if (q.streams.length === 0) return [];
      where.push(`stream IN (${q.streams.map(() => '?').join(', ')})`);
      args.push(...q.streams);
    }
    if (q.start !== undefined) where.push('ts >= ?') && args.push(q.start);
    if (q.end !== undefined) where.push('ts <= ?') && args.push(q.end);
    if (q.after) where.push('(ts > ? OR (ts = ? AND seq > ?))') && args.push(q.after.timestamp, q.after.timestamp, q.after.seq);
    if (q.before) where.push('(ts < ? OR (ts = ? AND seq < ?))') && args.push(q.before.timestamp, q.before.timestamp, q.before.seq);
    const order = q.descending ? 'DESC' : 'ASC';
    const sql = `SELECT seq, stream, ts, ingested, message FROM logs_events WHERE ${where.join(' AND ')} ORDER BY ts ${order}, seq ${order} LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as EventRow[]).map(toEvent);
  }
  async expireEvents(scope: LogScope, group: string, before: number) {
    return this.s.expire!.run(scope.accountId, scope.region, group, before).changes;
  }
  close() {}
}
