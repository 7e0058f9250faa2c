import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { runArchiveStoreContract } from '../../src/storage/contract/archive-store-contract.js';
import { MemoryArchiveStore } from '../../src/storage/memory/memory-archive-store.js';
import { SqliteArchiveStore } from '../../src/storage/sqlite/sqlite-archive-store.js';
import { JetStreamConnection } from '../../src/storage/jetstream/connection.js';
import { JetStreamArchiveStore } from '../../src/storage/jetstream/jetstream-archive-store.js';
import type { ArchiveStore } from '../../src/storage/ports/archive-store.js';
import { natsForTests } from '../support/nats-server.js';

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

// The same contract on JetStream (a real nats-server for the file): a fresh stream prefix per
// store; `reopen` opens a second adapter on the same streams, as another node or a restart does.
const nats = natsForTests({ before, after });
async function jetstream(prefix: string): Promise<ArchiveStore> {
  const c = nats.track(await JetStreamConnection.open({ url: nats.url(), replicas: 1, prefix }));
  const store = await JetStreamArchiveStore.open(c);
  prefixes.set(store, prefix);
  return store;
}
const prefixes = new WeakMap<object, string>();

runArchiveStoreContract('jetstream', {
  open: () => jetstream(nats.prefix('ar')),
  reopen: (store) => jetstream(prefixes.get(store)!),
  timeoutMs: 20_000,
});
