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

    it('lists by name in pages and deletes', async () => {
      const s = await make();
      for (const n of ['c', 'a', 'b']) await s.createFunction(record(n), Buffer.from(n));
      await s.createFunction(record('z', { region: 'eu-west-1' }), Buffer.from('z'));
      assert.deepEqual((await s.listFunctions('000000000000', 'us-east-1', undefined, 2)).map((r) => r.name), ['a', 'b']);
      assert.deepEqual((await s.listFunctions('000000000000', 'us-east-1', 'b', 2)).map((r) => r.name), ['c']);
      assert.equal(await s.deleteFunction('000000000000', 'us-east-1', 'b'), true);
      assert.equal(await s.deleteFunction('000000000000', 'us-east-1', 'b'), false);
      assert.equal(await s.getCode('000000000000', 'us-east-1', 'b'), undefined);
      assert.deepEqual((await s.listFunctions('000000000000', 'us-east-1', undefined, 50)).map((r) => r.name), ['a', 'c']);
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
    const [x, y] = await Promise.all([a.createFunction(record('race'), Buffer.from('a')), b.createFunction(record('race'), Buffer.from('b'))]);
    assert.equal(Number(x) + Number(y), 1, 'one CreateFunction wins');
  });
});
