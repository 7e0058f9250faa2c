import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runArchiveStoreContract } from '../../src/storage/contract/archive-store-contract.js';
import { MemoryArchiveStore } from '../../src/storage/memory/memory-archive-store.js';
import { SqliteArchiveStore } from '../../src/storage/sqlite/sqlite-archive-store.js';

const dir = mkdtempSync(join(tmpdir(), 'amiwatch-archive-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbs = new WeakMap<object, Database.Database>();

function openFile(path: string): SqliteArchiveStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const store = new SqliteArchiveStore(db);
  dbs.set(store, db);
  return store;
}

runArchiveStoreContract('memory', { open: async () => new MemoryArchiveStore() });

runArchiveStoreContract('sqlite file', {
  async open() {
    return openFile(join(dir, `a${++n}.db`));
  },
  async reopen(store) {
    dbs.get(store)?.close();
    return openFile(join(dir, `a${n}.db`));
  },
});
