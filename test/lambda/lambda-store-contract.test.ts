import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MemoryLambdaStore } from '../../src/storage/memory/memory-lambda-store.js';
import type { FunctionRecord, LambdaStore } from '../../src/storage/ports/lambda-store.js';
import { SqliteLambdaStore } from '../../src/storage/sqlite/sqlite-lambda-store.js';
import { JetStreamConnection } from '../../src/storage/jetstream/connection.js';
import { JetStreamLambdaStore } from '../../src/storage/jetstream/jetstream-lambda-store.js';
import { natsForTests } from '../support/nats-server.js';

const nats = natsForTests({ before, after });
async function jetstream(prefix = nats.prefix('l')): Promise<LambdaStore & { prefix: string }> {
  const c = nats.track(await JetStreamConnection.open({ url: nats.url(), replicas: 1, prefix }));
  return Object.assign(await JetStreamLambdaStore.open(c), { prefix });
}

/** One contract, every LambdaStore adapter. */
const adapters: Record<string, () => LambdaStore | Promise<LambdaStore>> = {
  memory: () => new MemoryLambdaStore(),
  sqlite: () => new SqliteLambdaStore(new Database(':memory:')),
  jetstream: () => jetstream(),
};

const record = (name: string, over: Partial<FunctionRecord> = {}): FunctionRecord => ({
  accountId: '000000000000',
  region: 'us-east-1',
  name,
  arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  runtime: 'nodejs20.x',
  handler: 'index.handler',
  role: 'arn:aws:iam::000000000000:role/r',
  description: '',
  timeoutSeconds: 3,
  memoryMb: 128,
  environment: {},
  architectures: ['x86_64'],
  codeSha256: 'sha',
  codeSize: 3,
  lastModified: '2026-01-01T00:00:00.000+0000',
  revisionId: 'r1',
  tags: {},
  policy: [],
  ...over,
});

for (const [name, make] of Object.entries(adapters)) {
  describe(`LambdaStore contract: ${name}`, () => {
    it('creates once, reads back record and code', async () => {
      const s = await make();
      assert.equal(await s.createFunction(record('a'), Buffer.from('zip')), true);
      assert.equal(await s.createFunction(record('a', { handler: 'other.x' }), Buffer.from('other')), false, 'the name is taken');
      assert.deepEqual(await s.getFunction('000000000000', 'us-east-1', 'a'), record('a'));
      assert.equal((await s.getCode('000000000000', 'us-east-1', 'a'))?.toString(), 'zip');
      assert.equal(await s.getFunction('000000000000', 'eu-west-1', 'a'), undefined, 'regions are apart');
      assert.equal(await s.getFunction('111111111111', 'us-east-1', 'a'), undefined, 'accounts are apart');
    });

    it('updates the record, and the code only when given', async () => {
      const s = await make();
      await s.createFunction(record('a'), Buffer.from('v1'));
      assert.equal(await s.updateFunction(record('a', { revisionId: 'r2' })), true);
      assert.equal((await s.getFunction('000000000000', 'us-east-1', 'a'))?.revisionId, 'r2');
      assert.equal((await s.getCode('000000000000', 'us-east-1', 'a'))?.toString(), 'v1');
      assert.equal(await s.updateFunction(record('a', { codeSha256: 'new' }), Buffer.from('v2')), true);
      assert.equal((await s.getCode('000000000000', 'us-east-1', 'a'))?.toString(), 'v2');
      assert.equal(await s.updateFunction(record('missing')), false);
    });

    it('keeps the asynchronous settings: event invoke configurations, DLQ, reserved concurrency', async () => {
      const s = await make();
      const settings = {
        deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
        eventInvokeConfigs: {
          $LATEST: {
            maximumRetryAttempts: 0,
            maximumEventAgeInSeconds: 60,
            onFailure: 'arn:aws:sns:us-east-1:000000000000:t',
            lastModified: 1,
          },
        },
        reservedConcurrency: 0,
      };
      await s.createFunction(record('a', settings), Buffer.from('zip'));
      assert.deepEqual(await s.getFunction('000000000000', 'us-east-1', 'a'), record('a', settings));
      const { reservedConcurrency: _r, ...unreserved } = record('a', settings);
      await s.updateFunction(unreserved);
      assert.equal(
        (await s.getFunction('000000000000', 'us-east-1', 'a'))?.reservedConcurrency,
        undefined,
        'an absent member is gone, not kept',
      );
    });

    it('publishes versions with their own code, atomically with the function record; deletes them with the function', async () => {
      const s = await make();
      await s.createFunction(record('a'), Buffer.from('v1'));
      assert.equal(await s.publishVersion(record('a', { lastVersion: 1 }), record('a', { version: '1' }), Buffer.from('v1')), true);
      assert.equal(
        await s.publishVersion(record('a', { lastVersion: 9 }), record('a', { version: '1', handler: 'x.y' }), Buffer.from('other')),
        false,
        'a version is never replaced',
      );
      assert.equal((await s.getFunction('000000000000', 'us-east-1', 'a'))?.lastVersion, 1, 'nor the record changed then');
      await s.updateFunction(record('a', { lastVersion: 1, codeSha256: 'new' }), Buffer.from('v2'));
      assert.equal(
        await s.publishVersion(record('a', { lastVersion: 2 }), record('a', { version: '2', codeSha256: 'new' }), Buffer.from('v2')),
        true,
      );
      assert.equal(
        await s.publishVersion(record('missing', { lastVersion: 1 }), record('missing', { version: '1' }), Buffer.from('x')),
        false,
      );
      assert.deepEqual(
        (await s.listVersions('000000000000', 'us-east-1', 'a')).map((v) => v.version),
        ['1', '2'],
      );
      assert.equal((await s.getVersionCode('000000000000', 'us-east-1', 'a', '1'))?.toString(), 'v1', 'version 1 keeps its code');
      assert.deepEqual(await s.getVersion('000000000000', 'us-east-1', 'a', '2'), record('a', { version: '2', codeSha256: 'new' }));
      assert.equal(await s.deleteVersion('000000000000', 'us-east-1', 'a', '1'), true);
      assert.equal(await s.deleteVersion('000000000000', 'us-east-1', 'a', '1'), false);
      await s.deleteFunction('000000000000', 'us-east-1', 'a');
      await s.createFunction(record('a'), Buffer.from('again'));
      assert.deepEqual(await s.listVersions('000000000000', 'us-east-1', 'a'), [], 'a function made again under the name has no versions');
    });

    it('leases a key to one owner at a time until it runs out; renewals and releases by the owner only', async () => {
      const s = await make();
      assert.equal(await s.tryLease('esm/1', 'node-a', 1000, 500), true);
      assert.equal(await s.tryLease('esm/1', 'node-b', 1200, 500), false, 'held by a');
      assert.equal(await s.tryLease('esm/1', 'node-a', 1400, 500), true, 'a renews until 1900');
      assert.equal(await s.tryLease('esm/1', 'node-b', 1800, 500), false);
      assert.equal(await s.tryLease('esm/2', 'node-b', 1800, 500), true, 'keys are apart');
      assert.equal(await s.tryLease('esm/1', 'node-b', 1900, 500), true, 'run out: b takes it');
      await s.releaseLease('esm/1', 'node-a');
      assert.equal(await s.tryLease('esm/1', 'node-a', 2000, 500), false, 'a cannot release what b holds');
      await s.releaseLease('esm/1', 'node-b');
      assert.equal(await s.tryLease('esm/1', 'node-a', 2000, 500), true);
    });

    it('lists by name in pages and deletes', async () => {
      const s = await make();
      for (const n of ['c', 'a', 'b']) await s.createFunction(record(n), Buffer.from(n));
      await s.createFunction(record('z', { region: 'eu-west-1' }), Buffer.from('z'));
      assert.deepEqual(
        (await s.listFunctions('000000000000', 'us-east-1', undefined, 2)).map((r) => r.name),
        ['a', 'b'],
      );
      assert.deepEqual(
        (await s.listFunctions('000000000000', 'us-east-1', 'b', 2)).map((r) => r.name),
        ['c'],
      );
      assert.equal(await s.deleteFunction('000000000000', 'us-east-1', 'b'), true);
      assert.equal(await s.deleteFunction('000000000000', 'us-east-1', 'b'), false);
      assert.equal(await s.getCode('000000000000', 'us-east-1', 'b'), undefined);
      assert.deepEqual(
        (await s.listFunctions('000000000000', 'us-east-1', undefined, 50)).map((r) => r.name),
        ['a', 'c'],
      );
    });

    it('hands out copies: changing a returned record changes nothing stored', async () => {
      const s = await make();
      await s.createFunction(record('a'), Buffer.from('zip'));
      const got = (await s.getFunction('000000000000', 'us-east-1', 'a'))!;
      got.policy.push({ Sid: 'x', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: got.arn });
      assert.deepEqual((await s.getFunction('000000000000', 'us-east-1', 'a'))?.policy, []);
    });
  });
}

describe('LambdaStore contract: jetstream, two nodes', () => {
  it('a function created on one node is read, with its code, on the other; the name is taken cluster-wide', async () => {
    const a = await jetstream();
    const b = await jetstream(a.prefix);
    const zip = Buffer.alloc(1_300_000, 7); // three chunks
    assert.equal(await a.createFunction(record('big'), zip), true);
    assert.equal(await b.createFunction(record('big'), Buffer.from('x')), false);
    assert.deepEqual(await b.getCode('000000000000', 'us-east-1', 'big'), zip);
    const [x, y] = await Promise.all([
      a.createFunction(record('race'), Buffer.from('a')),
      b.createFunction(record('race'), Buffer.from('b')),
    ]);
    assert.equal(Number(x) + Number(y), 1, 'one CreateFunction wins');
  });

  it('of two nodes asking for the same lease at once, one gets it, fresh or run out; a version published on one is read on the other', async () => {
    const a = await jetstream();
    const b = await jetstream(a.prefix);
    const [x, y] = await Promise.all([a.tryLease('esm/r', 'node-a', 1000, 500), b.tryLease('esm/r', 'node-b', 1000, 500)]);
    assert.equal(Number(x) + Number(y), 1, 'one node polls a new mapping');
    const [p, q] = await Promise.all([a.tryLease('esm/r', 'node-c', 2000, 500), b.tryLease('esm/r', 'node-d', 2000, 500)]);
    assert.equal(Number(p) + Number(q), 1, 'one node takes over a lease that ran out');
    await a.createFunction(record('v'), Buffer.from('v1'));
    assert.equal(await a.publishVersion(record('v', { lastVersion: 1 }), record('v', { version: '1' }), Buffer.from('v1')), true);
    assert.equal((await b.getVersionCode('000000000000', 'us-east-1', 'v', '1'))?.toString(), 'v1');
    assert.equal((await b.getFunction('000000000000', 'us-east-1', 'v'))?.lastVersion, 1);
  });
});
