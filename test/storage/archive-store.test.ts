import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

test('jetstream: a node reads what another node appended after its first read, and not what another node pruned', {
  timeout: 20_000,
}, async () => {
  const arn = 'arn:aws:events:us-east-1:000000000000:archive/two-nodes';
  const prefix = nats.prefix('ar2');
  const one = await jetstream(prefix);
  const two = await jetstream(prefix);
  const copy = (n: number, archivedAt: number) => ({ archiveArn: arn, eventId: `e${n}`, time: 1000 + n, archivedAt, body: `{"n":${n}}` });
  await one.append([copy(1, 10), copy(2, 10), copy(3, 50)]);
  const page = async () => (await one.read({ archiveArn: arn, from: 0, to: 10_000, limit: 10 })).map((e) => e.eventId);
  assert.deepEqual(await page(), ['e1', 'e2', 'e3']);
  await two.append([copy(4, 50), copy(0, 50)]);
  assert.deepEqual(await page(), ['e0', 'e1', 'e2', 'e3', 'e4'], "the other node's copies, in event-time order");
  assert.equal(await two.prune(arn, 20, 10), 2);
  assert.deepEqual(await page(), ['e0', 'e3', 'e4'], 'pruned through the other node: gone here too');
  assert.equal((await one.stats(arn)).eventCount, 3);
});
