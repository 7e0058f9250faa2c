import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runStoreContract } from '../../src/storage/contract/store-contract.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { DataInUseError } from '../../src/storage/store-errors.js';
import { spawn } from 'node:child_process';

const dir = mkdtempSync(join(tmpdir(), 'amiwatch-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStoreContract('sqlite file', {
  async open() {
    return new SqliteStore({ path: join(dir, `s${++n}`, 'amiwatch.db') });
  },
  async reopen(store) {
    await store.close();
    return new SqliteStore({ path: join(dir, `s${n}`, 'amiwatch.db') });
  },
});

runStoreContract('sqlite :memory:', { open: async () => new SqliteStore({ path: ':memory:' }) });

test('one process owns a database file: a second is refused, naming the owner; released on close', async () => {
  const path = join(dir, 'locked', 'amiwatch.db');
  const first = new SqliteStore({ path });
  assert.throws(() => new SqliteStore({ path }), (e: Error) => e instanceof DataInUseError && new RegExp(`is in use by another amiwatch \\(pid ${process.pid}\\)`).test(e.message));
  await first.close();
  assert.equal(existsSync(`${path}.owner.pid`), false);
  const second = new SqliteStore({ path });
  assert.equal(readFileSync(`${path}.owner.pid`, 'utf8'), String(process.pid));
  await second.close();
});

test('a restart right after kill -9 takes the lock at once, while the killed owner is still an unreaped zombie', { timeout: 30_000 }, async () => {
  const path = join(dir, 'zombie', 'amiwatch.db');
  const store = new URL('../../src/storage/sqlite/sqlite-store.ts', import.meta.url).pathname;
  const holder = join(dir, 'holder.mts');
  writeFileSync(holder, `const m = await import(${JSON.stringify(store)});\nnew m.SqliteStore({ path: ${JSON.stringify(path)} });\nconsole.log('held ' + process.pid);\nsetInterval(() => {}, 1000);\n`);
  // sh starts the holder, then becomes `sleep`, which never reaps it: killed, it stays a zombie.
  const sh = spawn('sh', ['-c', `"${process.execPath}" --import tsx "${holder}" & exec sleep 20`], { stdio: ['ignore', 'pipe', 'inherit'], cwd: new URL('../../', import.meta.url).pathname });
  try {
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      sh.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /held (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      sh.once('exit', () => reject(new Error(`holder did not start: ${out}`)));
    });
    assert.throws(() => new SqliteStore({ path }), DataInUseError);
    process.kill(pid, 'SIGKILL');
    // The killed holder is a zombie (`sleep` never reaps it) — the old pid-file lock refused
    // until it was reaped; the kernel's lock is free as soon as its threads are gone.
    let next: SqliteStore | undefined;
    for (let i = 0; i < 100 && !next; i++) {
      try {
        next = new SqliteStore({ path });
      } catch (err) {
        if (!(err instanceof DataInUseError)) throw err;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    assert.ok(next, 'the lock was not free within a second of the kill');
    assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^State:\s+Z/m, 'still an unreaped zombie');
    await next!.close();
  } finally {
    sh.kill('SIGKILL');
  }
});
