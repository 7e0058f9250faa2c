import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, GetEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { lambdaClient, ROLE, zipOf } from '../lambda/helpers.js';
import { sqsClient, waitFor } from '../notify/helpers.js';
import { inProcess } from '../support/in-process.js';
import { startTwoNodes, type TwoNodes } from '../support/two-node-cluster.js';

/**
 * An SQS event source mapping on a cluster: created through node a, it is seen by node b without a
 * restart (GetEventSourceMapping answers there, b's poller follows it), one node at a time polls
 * it (the poll lease), and every message is processed once. When node a stops, node b goes on.
 * The function logs each body; its log group is on the cluster, so either node reads the count.
 */
let nodes: TwoNodes;
let a: App;
let b: App;
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:esm-cluster';

before(async () => {
  nodes = await startTwoNodes('esm-cluster');
  ({ a, b } = nodes);
});
after(() => nodes?.close());

/** How often each body was processed, from the function's log group (read through `app`). */
async function processed(app: App): Promise<Map<string, number>> {
  const logs = new CloudWatchLogsClient(inProcess(app));
  const counts = new Map<string, number>();
  let nextToken: string | undefined;
  do {
    const page = await logs
      .send(
        new FilterLogEventsCommand({
          logGroupName: '/aws/lambda/esm-cluster',
          filterPattern: 'PROCESSED',
          ...(nextToken && { nextToken }),
        }),
      )
      .catch(() => ({ events: [], nextToken: undefined }));
    for (const e of page.events ?? []) {
      const m = /PROCESSED (\S+)/.exec(e.message ?? '');
      if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return counts;
}

async function send(app: App, from: number, count: number): Promise<void> {
  const url = `${app.url}/000000000000/esm-cluster`;
  for (let i = from; i < from + count; i += 10) {
    const ids = Array.from({ length: Math.min(10, from + count - i) }, (_, j) => i + j);
    await sqsClient(app).send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: ids.map((n) => ({ Id: `m${n}`, MessageBody: `msg-${n}` })) }),
    );
  }
}

async function allProcessedOnce(app: App, upTo: number, what: string): Promise<void> {
  const counts = await waitFor(
    async () => {
      const c = await processed(app);
      return c.size >= upTo ? c : undefined;
    },
    what,
    30_000,
  );
  await new Promise((r) => setTimeout(r, 500)); // a duplicate would show up now
  const again = await processed(app);
  for (let n = 0; n < upTo; n++) assert.equal(again.get(`msg-${n}`), 1, `msg-${n} processed ${again.get(`msg-${n}`) ?? 0} times`);
  assert.equal(counts.size, upTo);
}

test('a mapping created through node a is seen by node b at once and its messages are processed once', { timeout: 45_000 }, async () => {
  await lambdaClient(a).send(
    new CreateFunctionCommand({
      FunctionName: 'esm-cluster',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Timeout: 5,
      Code: {
        ZipFile: zipOf({
          'index.js': "exports.handler = async (e) => { for (const r of e.Records) console.log('PROCESSED ' + r.body); };",
        }),
      },
    }),
  );
  await sqsClient(a).send(new CreateQueueCommand({ QueueName: 'esm-cluster', Attributes: { VisibilityTimeout: '30' } }));
  const { UUID } = await lambdaClient(a).send(
    new CreateEventSourceMappingCommand({ FunctionName: 'esm-cluster', EventSourceArn: QUEUE_ARN, BatchSize: 10 }),
  );
  // Node b answers for it without a restart.
  const seen = await waitFor(
    () =>
      lambdaClient(b)
        .send(new GetEventSourceMappingCommand({ UUID }))
        .catch(() => undefined),
    'the mapping on node b',
    5_000,
  );
  assert.equal(seen.EventSourceArn, QUEUE_ARN);
  await send(b, 0, 30);
  await allProcessedOnce(b, 30, 'the first 30 messages processed');

  // Node a stops (its poll lease is released): node b polls the mapping now.
  await a.close();
  await send(b, 30, 20);
  await allProcessedOnce(b, 50, 'the next 20 messages processed by node b');
});
