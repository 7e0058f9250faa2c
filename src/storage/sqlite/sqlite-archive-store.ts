import type { Database, Statement } from 'better-sqlite3';
import type { ArchiveRead, ArchiveStats, ArchiveStore, ArchivedEvent, ArchivedEventInput } from '../ports/archive-store.js';
import { migrateModule } from './module-migrations.js';

/**
 * The archive tables, self-contained like Lambda's: their own version table so they share the
 * SQLite file. Rowid keys (appends go to the B-tree's right edge); one index serves replays
 * (archive, time, seq) and one keeps a copy per (archive, event id). Size is kept per row so
 * DescribeArchive's SizeBytes is a SUM over an index range, not a re-read of the bodies.
 * Append migrations; never edit a released one.
 */
const migrations: readonly string[] = [
  `CREATE TABLE archive_events (
     seq INTEGER PRIMARY KEY,
     archive_arn TEXT NOT NULL,
     event_id TEXT NOT NULL,
     time INTEGER NOT NULL,
     archived_at INTEGER NOT NULL,
     size INTEGER NOT NULL,
     body TEXT NOT NULL
   );
   CREATE UNIQUE INDEX archive_events_id ON archive_events (archive_arn, event_id);
   CREATE INDEX archive_events_time ON archive_events (archive_arn, time, seq);`,
];

const migrate = (db: Database): void => migrateModule(db, 'archive', 'Archive', migrations);

type Row = { seq: number; archiveArn: string; eventId: string; time: number; archivedAt: number; body: string };
const COLUMNS = 'seq, archive_arn AS archiveArn, event_id AS eventId, time, archived_at AS archivedAt, body';

/** ArchiveStore on SQLite (better-sqlite3, synchronous; the async signatures are the port's). */
export class SqliteArchiveStore implements ArchiveStore {
  private readonly s: Record<'insert' | 'read' | 'readAfter' | 'stats' | 'prunable' | 'delete' | 'drop', Statement>;
  private readonly appendTx: (events: readonly ArchivedEventInput[]) => void;

  constructor(private readonly db: Database) {
    migrate(db);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insert: p('INSERT OR IGNORE INTO archive_events (archive_arn, event_id, time, archived_at, size, body) VALUES (?, ?, ?, ?, ?, ?)'),
      read: p(`SELECT ${COLUMNS} FROM archive_events WHERE archive_arn = ? AND time >= ? AND time < ? ORDER BY time, seq LIMIT ?`),
      // The range starts at the cursor's time (not the window's start), so the index seeks to
      // it instead of walking every row already replayed: a replay's steps stay O(batch).
      readAfter: p(
        `SELECT ${COLUMNS} FROM archive_events WHERE archive_arn = ? AND time >= ? AND time < ? AND (time > ? OR seq > ?)
          ORDER BY time, seq LIMIT ?`,
      ),
      stats: p('SELECT COUNT(*) AS eventCount, COALESCE(SUM(size), 0) AS sizeBytes FROM archive_events WHERE archive_arn = ?'),
      prunable: p('SELECT seq FROM archive_events WHERE archive_arn = ? AND archived_at < ? ORDER BY seq LIMIT ?').pluck(),
      delete: p('DELETE FROM archive_events WHERE seq IN (SELECT value FROM json_each(?))'),
      drop: p('DELETE FROM archive_events WHERE archive_arn = ?'),
    };
    this.appendTx = db.transaction((events: readonly ArchivedEventInput[]) => {
      for (const e of events) this.s.insert.run(e.archiveArn, e.eventId, e.time, e.archivedAt, Buffer.byteLength(e.body, 'utf8'), e.body);
    });
  }

  async append(events: readonly ArchivedEventInput[]): Promise<void> {
    if (events.length > 0) this.appendTx(events);
  }

  async read(q: ArchiveRead): Promise<ArchivedEvent[]> {
    const rows = q.after
      ? this.s.readAfter.all(q.archiveArn, Math.max(q.from, q.after.time), q.to, q.after.time, q.after.seq, q.limit)
      : this.s.read.all(q.archiveArn, q.from, q.to, q.limit);
    return rows as Row[];
  }

  async stats(archiveArn: string): Promise<ArchiveStats> {
    return this.s.stats.get(archiveArn) as ArchiveStats;
  }

  async prune(archiveArn: string, before: number, limit: number): Promise<number> {
    return this.db.transaction(() => {
      const seqs = this.s.prunable.all(archiveArn, before, limit) as number[];
      if (seqs.length > 0) this.s.delete.run(JSON.stringify(seqs));
      return seqs.length;
    })();
  }

  async drop(archiveArn: string): Promise<void> {
    this.s.drop.run(archiveArn);
  }

  /** The connection belongs to whoever opened it (the server shares one file between modules). */
  close(): void {}
}
