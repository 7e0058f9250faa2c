import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runStoreContract } from '../../src/storage/contract/store-contract.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { DataInUseError } from '../../src/storage/store-errors.js';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';

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
  assert.throws(
    () => new SqliteStore({ path }),
    (e: Error) => e instanceof DataInUseError && new RegExp(`is in use by another amiwatch \\(pid ${process.pid}\\)`).test(e.message),
  );
  await first.close();
  assert.equal(existsSync(`${path}.owner.pid`), false);
  const second = new SqliteStore({ path });
  assert.equal(readFileSync(`${path}.owner.pid`, 'utf8'), String(process.pid));
  await second.close();
});

test('a restart right after kill -9 takes the lock at once, while the killed owner is still an unreaped zombie', {
  timeout: 30_000,
}, async () => {
  const path = join(dir, 'zombie', 'amiwatch.db');
  const store = new URL('../../src/storage/sqlite/sqlite-store.ts', import.meta.url).pathname;
  const holder = join(dir, 'holder.mts');
  writeFileSync(
    holder,
    `const m = await import(${JSON.stringify(store)});\nnew m.SqliteStore({ path: ${JSON.stringify(path)} });\nconsole.log('held ' + process.pid);\nsetInterval(() => {}, 1000);\n`,
  );
  // sh starts the holder, then becomes `sleep`, which never reaps it: killed, it stays a zombie.
  const sh = spawn('sh', ['-c', `"${process.execPath}" --import tsx "${holder}" & exec sleep 20`], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: new URL('../../', import.meta.url).pathname,
  });
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

test('delivery counts are kept exactly through appends, settles, prunes and restarts (clean or not)', async () => {
  const path = join(dir, 'counts', 'amiwatch.db');
  const counted = (p: string) => {
    const db = new Database(p, { readonly: true });
    const c = { pending: 0, delivered: 0, failed: 0 };
    for (const r of db.prepare(`SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status`).all() as { status: string; n: number }[])
      c[r.status === 'queued' ? 'pending' : (r.status as 'delivered' | 'failed')] += r.n;
    db.close();
    return c;
  };
  const ev = (n: number, at: number) => ({
    eventId: `e${n}`,
    busArn: 'b',
    ingestedAt: at,
    body: '{}',
    rules: ['r'],
    deliveries: [
      { ruleArn: 'r', target: '{"Id":"a"}', dueAt: at },
      { ruleArn: 'r', target: '{"Id":"b"}', dueAt: at },
    ],
  });
  let store = new SqliteStore({ path });
  await store.appendEvents(Array.from({ length: 30 }, (_, i) => ev(i, i)));
  const claimed = await store.claimDue(1000, 100, 60_000);
  await store.settle(
    100,
    claimed.map((c, i) =>
      i % 3 === 0
        ? { id: c.id, status: 'delivered', attempts: 1 }
        : i % 3 === 1
          ? { id: c.id, status: 'failed', attempts: 2, error: 'x' }
          : { id: c.id, status: 'retry', attempts: 1, dueAt: 5000, error: 'y' },
    ),
  );
  // A late second settle of an already settled delivery moves it once more, no more.
  await store.settle(200, [{ id: claimed[0]!.id, status: 'failed', attempts: 3, error: 'late' }]);
  await store.pruneEvents(20, 100);
  assert.deepEqual(await store.countDeliveries(), counted(path));
  await store.close();
  store = new SqliteStore({ path }); // clean restart: counts from meta
  assert.deepEqual(await store.countDeliveries(), counted(path));
  await store.appendEvents([ev(99, 50)]);
  await store.close();
  // A crash leaves the counts unclean: simulated by marking them so and writing a wrong snapshot.
  const raw = new Database(path);
  raw.prepare(`UPDATE meta SET value = '0' WHERE key = 'delivery_counts_clean'`).run();
  raw.prepare(`UPDATE meta SET value = '{"pending":1,"delivered":1,"failed":1}' WHERE key = 'delivery_counts'`).run();
  raw.close();
  store = new SqliteStore({ path });
  assert.deepEqual(await store.countDeliveries(), counted(path));
  await store.close();
});
