import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { JetStreamConnection } from '../../src/storage/jetstream/connection.js';
import { JetStreamCloudTrailStore } from '../../src/storage/jetstream/jetstream-cloudtrail-store.js';
import { natsForTests } from '../support/nats-server.js';
import { MemoryCloudTrailStore } from '../../src/storage/memory/memory-cloudtrail-store.js';
import type { ApiCallRecord, CloudTrailStore, TrailRecord } from '../../src/storage/ports/cloudtrail-store.js';
import { SqliteCloudTrailStore } from '../../src/storage/sqlite/sqlite-cloudtrail-store.js';

const nats = natsForTests({ before, after });
async function jetstream(): Promise<CloudTrailStore> {
  const c = nats.track(await JetStreamConnection.open({ url: nats.url(), replicas: 1, prefix: nats.prefix('ct') }));
  return JetStreamCloudTrailStore.open(c);
}

/** One contract, every CloudTrailStore adapter (JetStream on a real nats-server, a fresh prefix per store). */
const adapters: Record<string, () => CloudTrailStore | Promise<CloudTrailStore>> = {
  memory: () => new MemoryCloudTrailStore(),
  sqlite: () => new SqliteCloudTrailStore(new Database(':memory:')),
  jetstream: jetstream,
};

const A = '000000000000';
const trail = (name: string, over: Partial<TrailRecord> = {}): TrailRecord => ({
  accountId: A,
  region: 'us-east-1',
  name,
  arn: `arn:aws:cloudtrail:us-east-1:${A}:trail/${name}`,
  s3BucketName: 'logs-bucket',
  includeGlobalServiceEvents: true,
  isMultiRegionTrail: false,
  isOrganizationTrail: false,
  logFileValidationEnabled: false,
  tags: [],
  isLogging: false,
  ...over,
});

const call = (eventId: string, eventTime: number, over: Partial<ApiCallRecord> = {}): ApiCallRecord => ({
  accountId: A,
  region: 'us-east-1',
  eventId,
  eventTime,
  eventName: 'CreateImage',
  eventSource: 'ec2.amazonaws.com',
  readOnly: false,
  username: 'root',
  accessKeyId: 'AKIDEXAMPLE',
  resources: [{ type: 'AWS::EC2::Ami', name: 'ami-1' }],
  body: `{"eventID":"${eventId}"}`,
  ...over,
});

const all = { accountId: A, region: 'us-east-1', startTime: 0, endTime: 10_000, limit: 50 };

for (const [name, make] of Object.entries(adapters)) {
  describe(`CloudTrailStore contract: ${name}`, () => {
    it('creates a trail once, updates and deletes it; accounts and regions are apart', { timeout: 20_000 }, async () => {
      const s = await make();
      assert.equal(await s.createTrail(trail('t1')), true);
      assert.equal(await s.createTrail(trail('t1', { s3BucketName: 'other' })), false, 'the name is taken');
      assert.equal(await s.createTrail(trail('t1', { region: 'eu-west-1' })), true, 'same name in another region');
      assert.equal(await s.createTrail(trail('t1', { accountId: '111111111111' })), true, 'same name in another account');
      assert.equal(await s.updateTrail(trail('t1', { isLogging: true, startLoggingTime: 5 })), true);
      assert.equal(await s.updateTrail(trail('nope')), false, 'nothing to update');
      const mine = (await s.allTrails()).find((t) => t.accountId === A && t.region === 'us-east-1');
      assert.deepEqual(mine, trail('t1', { isLogging: true, startLoggingTime: 5 }));
      assert.equal(await s.deleteTrail(A, 'us-east-1', 't1'), true);
      assert.equal(await s.deleteTrail(A, 'us-east-1', 't1'), false);
      assert.equal((await s.allTrails()).length, 2);
    });

    it('looks calls up newest first within the time range, in the account and region only', { timeout: 20_000 }, async () => {
      const s = await make();
      await s.appendCalls([
        call('e1', 1000),
        call('e2', 3000),
        call('e3', 2000),
        call('e4', 2000, { region: 'eu-west-1' }),
        call('e5', 2000, { accountId: '111111111111' }),
      ]);
      assert.deepEqual(
        (await s.lookupCalls(all)).map((r) => r.eventId),
        ['e2', 'e3', 'e1'],
      );
      assert.deepEqual(
        (await s.lookupCalls({ ...all, startTime: 1500, endTime: 2500 })).map((r) => r.eventId),
        ['e3'],
        'both ends inclusive of what is inside',
      );
      assert.deepEqual(await s.lookupCalls({ ...all, limit: 1 }), [call('e2', 3000)], 'records come back whole');
    });

    it('pages after a position, ties on time broken by event id', { timeout: 20_000 }, async () => {
      const s = await make();
      await s.appendCalls([call('a', 2000), call('b', 2000), call('c', 2000), call('d', 1000)]);
      const first = await s.lookupCalls({ ...all, limit: 2 });
      assert.deepEqual(
        first.map((r) => r.eventId),
        ['c', 'b'],
      );
      const next = await s.lookupCalls({ ...all, limit: 2, before: { eventTime: 2000, eventId: 'b' } });
      assert.deepEqual(
        next.map((r) => r.eventId),
        ['a', 'd'],
      );
    });

    it('filters by each lookup attribute', { timeout: 20_000 }, async () => {
      const s = await make();
      await s.appendCalls([
        call('w1', 1000),
        call('r1', 2000, { eventName: 'DescribeImages', readOnly: true, resources: [], accessKeyId: 'AKIDOTHER' }),
        call('q1', 3000, {
          eventName: 'CreateQueue',
          eventSource: 'sqs.amazonaws.com',
          resources: [{ type: 'AWS::SQS::Queue', name: 'jobs' }],
        }),
      ]);
      const ids = async (key: Parameters<CloudTrailStore['lookupCalls']>[0]['attribute']) =>
        (await s.lookupCalls({ ...all, attribute: key })).map((r) => r.eventId);
      assert.deepEqual(await ids({ key: 'EventId', value: 'r1' }), ['r1']);
      assert.deepEqual(await ids({ key: 'EventName', value: 'CreateImage' }), ['w1']);
      assert.deepEqual(await ids({ key: 'ReadOnly', value: 'true' }), ['r1']);
      assert.deepEqual(await ids({ key: 'ReadOnly', value: 'false' }), ['q1', 'w1']);
      assert.deepEqual(await ids({ key: 'Username', value: 'root' }), ['q1', 'r1', 'w1']);
      assert.deepEqual(await ids({ key: 'ResourceType', value: 'AWS::SQS::Queue' }), ['q1']);
      assert.deepEqual(await ids({ key: 'ResourceName', value: 'ami-1' }), ['w1']);
      assert.deepEqual(await ids({ key: 'EventSource', value: 'sqs.amazonaws.com' }), ['q1']);
      assert.deepEqual(await ids({ key: 'AccessKeyId', value: 'AKIDOTHER' }), ['r1']);
      assert.deepEqual(await ids({ key: 'EventName', value: 'createimage' }), [], 'values compare exactly');
    });

    it('prunes the oldest records first, at most `limit`', { timeout: 20_000 }, async () => {
      const s = await make();
      await s.appendCalls([call('a', 1000), call('b', 2000), call('c', 3000), call('d', 4000)]);
      assert.equal(await s.pruneCalls(3500, 2), 2);
      assert.deepEqual(
        (await s.lookupCalls(all)).map((r) => r.eventId),
        ['d', 'c'],
      );
      assert.equal(await s.pruneCalls(3500, 10), 1);
      assert.equal(await s.pruneCalls(3500, 10), 0);
    });
  });
}

describe('CloudTrailStore on JetStream: two nodes on one cluster', () => {
  it('a trail written through one adapter is followed by the other (put, update, delete), not echoed to its writer', {
    timeout: 20_000,
  }, async () => {
    const prefix = nats.prefix('ctf');
    const open = async () =>
      JetStreamCloudTrailStore.open(nats.track(await JetStreamConnection.open({ url: nats.url(), replicas: 1, prefix })));
    const a = await open();
    const b = await open();
    const seenByB: string[] = [];
    const seenByA: string[] = [];
    const stopB = await b.followTrails((c) => seenByB.push(`${c.name}:${c.trail ? String(c.trail.isLogging) : 'gone'}`));
    const stopA = await a.followTrails((c) => seenByA.push(c.name));
    await a.createTrail(trail('f1'));
    await a.updateTrail(trail('f1', { isLogging: true }));
    await a.deleteTrail(A, 'us-east-1', 'f1');
    const until = Date.now() + 5_000;
    while (seenByB.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(seenByB, ['f1:false', 'f1:true', 'f1:gone']);
    assert.deepEqual(seenByA, [], "a node's own writes are not echoed back");
    stopA();
    stopB();
  });
});
