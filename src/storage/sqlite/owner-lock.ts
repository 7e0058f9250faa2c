import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/**
 * One process owns a database file: the SQLite adapter keeps its delivery queue and leases in
 * memory, so a second process on the same file would deliver what the first has in flight. The
 * lock is `<file>.lock` holding the owner's pid, taken atomically; a lock whose process is gone
 * (kill -9, power loss) is taken over.
 */
export class OwnerLock {
  private constructor(private readonly path: string) {}

  static acquire(dbPath: string): OwnerLock {
    const path = `${dbPath}.lock`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new OwnerLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
          throw new Error(`${dbPath} is in use by another amiwatch (pid ${pid}); stop it first, or remove ${path} if that process is not amiwatch`);
        }
        unlinkSync(path); // stale: its owner is gone
      }
    }
    throw new Error(`could not take the lock ${path}`);
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
