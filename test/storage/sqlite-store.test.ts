import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runStoreContract } from '../../src/storage/contract/store-contract.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

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

test('one process owns a database file; a dead owner\'s lock is taken over', async () => {
  const path = join(dir, 'locked', 'amiwatch.db');
  const first = new SqliteStore({ path });
  assert.throws(() => {
    // Pretend another live process (our parent) holds it.
    writeFileSync(`${path}.lock`, String(process.ppid));
    new SqliteStore({ path });
  }, /is in use by another amiwatch \(pid \d+\)/);
  writeFileSync(`${path}.lock`, '999999999'); // no such process: stale
  await first.close();
  writeFileSync(`${path}.lock`, '999999999');
  const second = new SqliteStore({ path });
  assert.equal(readFileSync(`${path}.lock`, 'utf8'), String(process.pid));
  await second.close();
  assert.equal(existsSync(`${path}.lock`), false);
});
