import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
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
