import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
  type SendMessageResult,
} from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { sqsClient, waitFor } from '../notify/helpers.js';
import { startTwoNodes, type TwoNodes } from '../support/two-node-cluster.js';

/**
 * SQS on two nodes of one cluster, receivers on both at once: a message is never handed to two
 * receivers within its visibility timeout, and a FIFO message group is never handed to two
 * receivers at once (and comes in send order). Without the cluster's receive claims
 * (src/core/sqs/receive-claims.ts) both fail: each node picks from its own copy of the queue.
 */
let nodes: TwoNodes;
let a: App;
let b: App;

before(async () => {
  nodes = await startTwoNodes('sqs-cluster');
  ({ a, b } = nodes);
});
after(() => nodes?.close());

const urlOf = (app: App, name: string) => `${app.url}/000000000000/${name}`;

/** Creates the queue through node a and waits until node b knows it too (its KV watch). */
async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<void> {
  await sqsClient(a).send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  await waitFor(
    () =>
      sqsClient(b)
        .send(new GetQueueUrlCommand({ QueueName: name }))
        .catch(() => undefined),
    `${name} on node b`,
  );
}

async function sendAll(app: App, name: string, bodies: readonly { body: string; group?: string }[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const entries = bodies.slice(i, i + 10).map((m, j) => ({
      Id: `e${j}`,
      MessageBody: m.body,
      ...(m.group !== undefined && { MessageGroupId: m.group, MessageDeduplicationId: m.body }),
    }));
    const r = await sqsClient(app).send(new SendMessageBatchCommand({ QueueUrl: urlOf(app, name), Entries: entries }));
    assert.equal(r.Failed?.length ?? 0, 0);
  }
}

/** Runs `loops` receivers on each node until `total` distinct messages were handled (or 30 s). */
async function receiveEverywhere(
  name: string,
  total: number,
  loops: number,
  handle: (who: string, batch: Message[], app: App) => Promise<void>,
  seen: () => number,
): Promise<void> {
  const until = Date.now() + 30_000;
  const loop = async (app: App, who: string) => {
    const sqs = sqsClient(app);
    while (seen() < total && Date.now() < until) {
      const r = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: urlOf(app, name), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }),
      );
      if (r.Messages?.length) await handle(who, r.Messages, app);
    }
  };
  await Promise.all([a, b].flatMap((app, n) => Array.from({ length: loops }, (_, i) => loop(app, `${n === 0 ? 'a' : 'b'}${i}`))));
}

const deleteBatch = (app: App, name: string, batch: Message[]) =>
  sqsClient(app).send(
    new DeleteMessageBatchCommand({
      QueueUrl: urlOf(app, name),
      Entries: batch.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
    }),
  );

test('standard queue: receivers on both nodes never get the same message within its visibility timeout', { timeout: 45_000 }, async () => {
  await createQueue('cluster-std');
  await sendAll(
    a,
    'cluster-std',
    Array.from({ length: 200 }, (_, i) => ({ body: `m${i}` })),
  );
  const receivedBy = new Map<string, string[]>();
  const byNode = { a: 0, b: 0 };
  await receiveEverywhere(
    'cluster-std',
    200,
    3,
    async (who, batch, app) => {
      for (const m of batch) receivedBy.set(m.Body!, [...(receivedBy.get(m.Body!) ?? []), who]);
      byNode[who[0] as 'a' | 'b'] += batch.length;
      await deleteBatch(app, 'cluster-std', batch);
    },
    () => receivedBy.size,
  );
  const twice = [...receivedBy].filter(([, who]) => who.length > 1);
  assert.deepEqual(twice, [], 'no message handed to two receivers');
  assert.equal(receivedBy.size, 200);
  assert.ok(byNode.a > 0 && byNode.b > 0, `both nodes received (${JSON.stringify(byNode)})`);
});

test('FIFO queue: a message group is held by one receiver at a time across nodes, in send order, each message once', {
  timeout: 45_000,
}, async () => {
  await createQueue('cluster.fifo', { FifoQueue: 'true' });
  const groups = ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'];
  const bodies = Array.from({ length: 20 }, (_, i) => groups.map((g) => ({ body: `${g}-${String(i).padStart(2, '0')}`, group: g }))).flat();
  await sendAll(a, 'cluster.fifo', bodies);
  /** Who holds each group now: set on receive, 'releasing' once its delete is sent. */
  const holder = new Map<string, string>();
  const violations: string[] = [];
  const order = new Map<string, string[]>();
  const seen = new Set<string>();
  let duplicates = 0;
  await receiveEverywhere(
    'cluster.fifo',
    bodies.length,
    3,
    async (who, batch, app) => {
      const mine = new Set(batch.map((m) => m.Body!.split('-')[0]!));
      for (const g of mine) {
        const h = holder.get(g);
        if (h !== undefined && h !== 'releasing' && h !== who) violations.push(`${g} given to ${who} while ${h} holds it`);
        holder.set(g, who);
      }
      for (const m of batch) {
        if (seen.has(m.Body!)) duplicates++;
        seen.add(m.Body!);
        const g = m.Body!.split('-')[0]!;
        order.set(g, [...(order.get(g) ?? []), m.Body!]);
      }
      await new Promise((r) => setTimeout(r, 20)); // "processing", while the group is held
      for (const g of mine) holder.set(g, 'releasing');
      await deleteBatch(app, 'cluster.fifo', batch);
    },
    () => seen.size,
  );
  assert.deepEqual(violations, []);
  assert.equal(duplicates, 0);
  assert.equal(seen.size, bodies.length);
  for (const g of groups) {
    const got = order.get(g) ?? [];
    assert.deepEqual(got, [...got].sort(), `group ${g} in send order`);
  }
});

test('FIFO queue: one deduplication id sent through both nodes at the same instant is stored once, both answered with its ids', {
  timeout: 30_000,
}, async () => {
  await createQueue('dedup.fifo', { FifoQueue: 'true' });
  const pairs = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      Promise.all(
        [a, b].map((app) =>
          sqsClient(app).send(
            new SendMessageCommand({
              QueueUrl: urlOf(app, 'dedup.fifo'),
              MessageBody: `d${i}`,
              MessageGroupId: `g${i % 4}`,
              MessageDeduplicationId: `id-${i}`,
            }),
          ),
        ),
      ),
    ),
  );
  for (const [x, y] of pairs as unknown as [SendMessageResult, SendMessageResult][]) {
    assert.equal(x.MessageId, y.MessageId, 'both sends answered with the first message');
    assert.equal(x.SequenceNumber, y.SequenceNumber);
  }
  const bodies: string[] = [];
  for (let tries = 0; tries < 40 && bodies.length < 40; tries++) {
    const r = await sqsClient(b).send(
      new ReceiveMessageCommand({ QueueUrl: urlOf(b, 'dedup.fifo'), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const m of r.Messages ?? []) bodies.push(m.Body!);
    if (r.Messages?.length) await deleteBatch(b, 'dedup.fifo', r.Messages);
  }
  await new Promise((r) => setTimeout(r, 300));
  const more = await sqsClient(a).send(new ReceiveMessageCommand({ QueueUrl: urlOf(a, 'dedup.fifo'), MaxNumberOfMessages: 10 }));
  assert.equal(more.Messages?.length ?? 0, 0, 'no second copy');
  assert.equal(bodies.length, 40);
  assert.equal(new Set(bodies).size, 40);
});
