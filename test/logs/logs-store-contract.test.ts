import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { JetStreamConnection } from '../../src/storage/jetstream/connection.js';
import { JetStreamLogsStore } from '../../src/storage/jetstream/jetstream-logs-store.js';
import { natsForTests } from '../support/nats-server.js';
import { MemoryLogsStore } from '../../src/storage/memory/memory-logs-store.js';
import type { LogGroupRecord, LogsStore, LogStreamRecord } from '../../src/storage/ports/logs-store.js';
import { SqliteLogsStore } from '../../src/storage/sqlite/sqlite-logs-store.js';

const nats = natsForTests({ before, after });
async function jetstream(): Promise<LogsStore> {
  const c = nats.track(await JetStreamConnection.open({ url: nats.url(), replicas: 1, prefix: nats.prefix('lg') }));
  return JetStreamLogsStore.open(c);
}

/** One contract, every LogsStore adapter (JetStream on a real nats-server, a fresh prefix per store). */
const adapters: Record<string, () => LogsStore | Promise<LogsStore>> = {
  memory: () => new MemoryLogsStore(),
  sqlite: () => new SqliteLogsStore(new Database(':memory:')),
  jetstream: jetstream,
};
const scope = { accountId: '000000000000', region: 'us-east-1' };
const group = (name: string, over: Partial<LogGroupRecord> = {}): LogGroupRecord => ({
  ...scope,
  name,
  creationTime: 1,
  retentionInDays: null,
  tags: {},
  ...over,
});
const stream = (g: string, name: string): LogStreamRecord => ({
  ...scope,
  group: g,
  name,
  creationTime: 1,
  firstEventTimestamp: null,
  lastEventTimestamp: null,
  lastIngestionTime: null,
  storedBytes: 0,
});

for (const [name, make] of Object.entries(adapters)) {
  describe(`LogsStore contract: ${name}`, () => {
    it('keeps groups per scope, by name; replaces a group without touching its streams; deletes a group with its streams and events', {
      timeout: 20_000,
    }, async () => {
      const s = await make();
      await s.putGroup(group('/b'));
      await s.putGroup(group('/a', { tags: { k: 'v' } }));
      await s.putGroup({ ...group('/a'), region: 'eu-west-1' });
      assert.deepEqual(
        (await s.listGroups(scope)).map((g) => g.name),
        ['/a', '/b'],
      );
      assert.deepEqual((await s.getGroup(scope, '/a'))?.tags, { k: 'v' });
      await s.appendEvents(stream('/a', 'x'), [{ timestamp: 5, message: 'm' }], 10);
      await s.putGroup(group('/a', { retentionInDays: 7 }));
      assert.deepEqual(
        (await s.listRetainedGroups()).map((g) => g.name),
        ['/a'],
      );
      assert.equal((await s.listStreams(scope, '/a')).length, 1);
      assert.equal(await s.deleteGroup(scope, '/a'), true);
      assert.equal(await s.deleteGroup(scope, '/a'), false);
      await s.putGroup(group('/a'));
      assert.deepEqual(await s.listStreams(scope, '/a'), []);
      assert.deepEqual(await s.queryEvents(scope, { group: '/a', streams: null, descending: false, limit: 10 }), []);
    });

    it('orders events by (timestamp, seq) across streams; reads forward/backward from positions, by stream and time bounds; expires', {
      timeout: 20_000,
    }, async () => {
      const s = await make();
      await s.putGroup(group('/g'));
      await s.appendEvents(
        { ...stream('/g', 'a'), lastEventTimestamp: 30 },
        [
          { timestamp: 10, message: 'a10' },
          { timestamp: 30, message: 'a30' },
        ],
        100,
      );
      await s.appendEvents(
        stream('/g', 'b'),
        [
          { timestamp: 20, message: 'b20' },
          { timestamp: 30, message: 'b30' },
        ],
        101,
      );
      assert.equal((await s.getStream(scope, '/g', 'a'))?.lastEventTimestamp, 30);
      const all = await s.queryEvents(scope, { group: '/g', streams: null, descending: false, limit: 10 });
      assert.deepEqual(
        all.map((e) => e.message),
        ['a10', 'b20', 'a30', 'b30'],
      );
      assert.deepEqual(
        all.map((e) => e.ingestionTime),
        [100, 101, 100, 101],
      );
      const after = await s.queryEvents(scope, { group: '/g', streams: null, descending: false, limit: 10, after: all[2]! });
      assert.deepEqual(
        after.map((e) => e.message),
        ['b30'],
      );
      const back = await s.queryEvents(scope, { group: '/g', streams: null, descending: true, limit: 2, before: all[3]! });
      assert.deepEqual(
        back.map((e) => e.message),
        ['a30', 'b20'],
      );
      assert.deepEqual(
        (await s.queryEvents(scope, { group: '/g', streams: ['b'], start: 25, descending: false, limit: 10 })).map((e) => e.message),
        ['b30'],
      );
      assert.deepEqual(
        (await s.queryEvents(scope, { group: '/g', streams: [], descending: false, limit: 10 })).map((e) => e.message),
        [],
      );
      assert.deepEqual(
        (await s.queryEvents(scope, { group: '/g', streams: null, end: 20, descending: false, limit: 10 })).map((e) => e.message),
        ['a10', 'b20'],
      );
      assert.equal(await s.expireEvents(scope, '/g', 25), 2);
      assert.deepEqual(
        (await s.queryEvents(scope, { group: '/g', streams: null, descending: false, limit: 10 })).map((e) => e.message),
        ['a30', 'b30'],
      );
      assert.equal(await s.deleteStream(scope, '/g', 'a'), true);
      assert.deepEqual(
        (await s.queryEvents(scope, { group: '/g', streams: null, descending: false, limit: 10 })).map((e) => e.message),
        ['b30'],
      );
      s.close();
    });
  });
}

describe('LogsStore on JetStream: two nodes on one cluster', () => {
  it('a node reads events another node put after its first read, and not a stream the other node deleted', {
    timeout: 20_000,
  }, async () => {
    const prefix = nats.prefix('lg2');
    const open = async () => JetStreamLogsStore.open(nats.track(await JetStreamConnection.open({ url: nats.url(), replicas: 1, prefix })));
    const one = await open();
    const two = await open();
    const read = async () =>
      (await one.queryEvents(scope, { group: '/two', streams: null, descending: false, limit: 10 })).map((e) => e.message);
    await one.putGroup(group('/two'));
    await one.appendEvents(stream('/two', 'a'), [{ timestamp: 20, message: 'a20' }], 1);
    assert.deepEqual(await read(), ['a20']);
    await two.appendEvents(
      stream('/two', 'b'),
      [
        { timestamp: 10, message: 'b10' },
        { timestamp: 30, message: 'b30' },
      ],
      2,
    );
    assert.deepEqual(await read(), ['b10', 'a20', 'b30'], "the other node's events, in timestamp order");
    assert.equal(await two.deleteStream(scope, '/two', 'b'), true);
    assert.deepEqual(await read(), ['a20'], 'deleted through the other node: gone here too');
  });
});
