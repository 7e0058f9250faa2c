import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DataInUseError } from '../store-errors.js';

/**
 * One process owns a database file: the SQLite adapter keeps its delivery queue and leases in
 * memory, so a second process on the same file would deliver what the first has in flight.
 *
 * The lock is an exclusive SQLite lock (a POSIX record lock underneath) on `<file>.owner`, held
 * for the life of the process. The kernel drops it the moment the owner exits — also on kill -9,
 * before the dead process is reaped — so a restart right after a crash takes it at once; the
 * pid file beside it, `<file>.owner.pid`, only names the owner in the message. (The former lock,
 * a pid file alone, was refused for ~2 s after kill -9 while the old process was a zombie whose
 * pid still answered.)
 */
export class OwnerLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly pidPath: string,
  ) {}

  static acquire(dbPath: string): OwnerLock {
    const lockPath = `${dbPath}.owner`;
    const pidPath = `${lockPath}.pid`;
    const db = new Database(lockPath, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      // The first write under EXCLUSIVE locking keeps the file locked until the connection closes.
      db.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      let owner = '';
      try {
        owner = ` (pid ${readFileSync(pidPath, 'utf8').trim()})`;
      } catch {
        // The owner has not written its pid yet.
      }
      throw new DataInUseError(`${dbPath} is in use by another amiwatch${owner}: stop it first, or give this one another --data-dir`);
    }
    writeFileSync(pidPath, String(process.pid));
    return new OwnerLock(db, pidPath);
  }

  release(): void {
    rmSync(this.pidPath, { force: true });
    if (this.db.open) this.db.close();
  }
}
