import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { JetStreamConnection } from '../../src/storage/jetstream/connection.js';
import { headers } from '@nats-io/transport-node';
import { ResourceBucket } from '../../src/storage/jetstream/resource-bucket.js';
import { startNatsServer, type NatsCluster } from '../support/nats-server.js';

/**
 * writeResources on JetStream is all-or-nothing through intents (resource-bucket.ts): here a
 * writer "dies" after publishing its intent and before applying it, and another node finishes it.
 */
let nats: NatsCluster;
let c: JetStreamConnection;
before(async () => {
  nats = await startNatsServer();
  c = await JetStreamConnection.open({ url: nats.url, replicas: 1, prefix: `i${process.pid}` });
});
after(async () => {
  await c.close();
  await nats.close();
});

async function bucket(name: string) {
  const kv = await c.bucket(name);
  return { kv, docs: new ResourceBucket(kv, c.name(name), c.requests, c.jsm, randomUUID) };
}

test('an intent left by a dead writer is applied by another node; newer writes win over the replay', async () => {
  const { kv, docs } = await bucket('intents1');
  await docs.write([
    { kind: 'rule', key: 'old', doc: '{"v":0}' },
    { kind: 'rule', key: 'gone', doc: '{"v":0}' },
  ]);
  // The dead writer's intent: three writes decided, none applied.
  await kv.put(
    't.dead-writer',
    JSON.stringify({
      writes: [
        { kind: 'rule', key: 'a', doc: '{"v":1}' },
        { kind: 'rule', key: 'old', doc: '{"v":1}' },
        { kind: 'rule', key: 'gone', doc: null },
      ],
    }),
  );
  // Another node writes `old` after the intent: the replay must not undo it.
  await docs.write([{ kind: 'rule', key: 'old', doc: '{"v":2}' }]);
  assert.equal(await docs.recover(Date.now(), 60_000), 0, 'a fresh intent may still be applied by its writer');
  assert.equal(await docs.recover(Date.now() + 60_000, 5_000), 1);
  assert.deepEqual(await docs.load('rule'), [
    { kind: 'rule', key: 'a', doc: '{"v":1}' },
    { kind: 'rule', key: 'old', doc: '{"v":2}' },
  ]);
  assert.equal(await kv.get('t.dead-writer').then((e) => e?.operation ?? null), 'PURGE', 'the intent is gone');
  assert.equal(await docs.recover(Date.now() + 60_000, 5_000), 0, 'and replayed once');
});

test('concurrent groups from two nodes on the same keys end in one of the two states, never a mix', async () => {
  const { docs: x } = await bucket('intents2');
  const { docs: y } = await bucket('intents2');
  const group = (who: string, round: number, order: string[]) =>
    order.map((key) => ({ kind: 'k', key, doc: round % 3 === 2 && who === 'y' ? null : `"${who}${round}"` }));
  for (let round = 0; round < 20; round++) {
    // Opposite key orders (and, every third round, deletes against puts) so the applies interleave.
    await Promise.all([x.write(group('x', round, ['p', 'q', 'r'])), y.write(group('y', round, ['r', 'q', 'p']))]);
    const docs = (await x.load('k')).map((d) => d.doc);
    assert.ok(docs.length === 0 || (docs.length === 3 && new Set(docs).size === 1), `round ${round}: ${JSON.stringify(docs)}`);
  }
});

test("two half-applied groups over the same keys are finished in the later one's state on every key", async () => {
  const { kv, docs } = await bucket('intents3');
  const key = (k: string) => `r.k${Buffer.from('k').toString('base64url')}.k${Buffer.from(k).toString('base64url')}`;
  const one = await kv.put(
    't.one',
    JSON.stringify({
      writes: [
        { kind: 'k', key: 'p', doc: '"x"' },
        { kind: 'k', key: 'q', doc: '"x"' },
      ],
    }),
  );
  const two = await kv.put(
    't.two',
    JSON.stringify({
      writes: [
        { kind: 'k', key: 'p', doc: '"y"' },
        { kind: 'k', key: 'q', doc: '"y"' },
      ],
    }),
  );
  // Each writer applied one key, in the opposite order, then died: p has two's value, q one's
  // (written after two was decided, so q's revision is the newest of all).
  const origin = (n: number) => {
    const h = headers();
    h.set('Amiwatch-Origin', String(n));
    return { headers: h };
  };
  await c.js.publish(`$KV.${c.name('intents3')}.${key('p')}`, '"y"', origin(two));
  await c.js.publish(`$KV.${c.name('intents3')}.${key('q')}`, '"x"', origin(one));
  assert.equal(await docs.recover(Date.now() + 60_000, 5_000), 2);
  assert.deepEqual(
    (await docs.load('k')).map((d) => d.doc),
    ['"y"', '"y"'],
  );
});
