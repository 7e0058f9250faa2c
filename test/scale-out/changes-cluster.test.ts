import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateImageCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { CreateFunctionCommand, DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, DeleteTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { readEventStream } from '../../console/src/api/sse.js';
import type { App } from '../../src/server/app.js';
import { sdkClient } from '../e2e/helpers.js';
import { lambdaClient, ROLE, zipOf } from '../lambda/helpers.js';
import { snsClient, sqsClient } from '../notify/helpers.js';
import { runningInstance } from '../support/ec2-instance.js';
import { startTwoNodes, type TwoNodes } from '../support/two-node-cluster.js';

/**
 * The console's change stream on a cluster: /_amiwatch/changes on node b shows the writes made
 * through node a (fed from the KV watches), scoped to the account and region asked for, as the
 * stream of a single node shows its own.
 */
interface Change {
  service: string;
  kind: string;
  id: string;
  action: string;
}

let nodes: TwoNodes;
let a: App;
let b: App;

before(async () => {
  nodes = await startTwoNodes('changes-cluster');
  ({ a, b } = nodes);
});
after(() => nodes?.close());

async function follow(app: App, query: string, seen: Change[], signal: AbortSignal): Promise<void> {
  const res = await fetch(`${app.url}/_amiwatch/changes?${query}`, { signal });
  try {
    await readEventStream(res, (type, data) => type === 'change' && seen.push(...(JSON.parse(data) as { changes: Change[] }).changes));
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`never saw ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('writes made through node a reach the change stream of node b, in their account and region only', { timeout: 45_000 }, async () => {
  const onB: Change[] = [];
  const elsewhere: Change[] = [];
  const stop = new AbortController();
  const reading = [
    follow(b, 'account=000000000000&region=us-east-1', onB, stop.signal),
    follow(b, 'account=000000000000&region=eu-west-1', elsewhere, stop.signal),
  ];
  await new Promise((r) => setTimeout(r, 100));
  const has = (service: string, kind: string, id: (s: string) => boolean, action = 'put') =>
    onB.some((c) => c.service === service && c.kind === kind && id(c.id) && c.action === action);
  try {
    const { TopicArn } = await snsClient(a).send(new CreateTopicCommand({ Name: 'changes-topic' }));
    await until('the topic', () => has('sns', 'topic', (id) => id === TopicArn));
    await snsClient(a).send(new DeleteTopicCommand({ TopicArn }));
    await until('the topic deleted', () => has('sns', 'topic', (id) => id === TopicArn, 'delete'));

    const { QueueUrl } = await sqsClient(a).send(new CreateQueueCommand({ QueueName: 'changes-queue' }));
    await sqsClient(a).send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    await until('the queue', () => has('sqs', 'queue', (id) => id.endsWith(':changes-queue')));
    await until("the queue's message", () => has('sqs', 'message', (id) => id.endsWith(':changes-queue')));

    await sdkClient(a).send(new PutRuleCommand({ Name: 'changes-rule', EventPattern: '{"source":["x"]}' }));
    await until('the rule', () => has('events', 'rule', (id) => id.endsWith(':rule/changes-rule')));

    const ec2 = new EC2Client({
      endpoint: a.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'changes-image' }));
    await until('the image', () => has('ec2', 'image', (id) => id === ImageId));
    await until('the instance', () => has('ec2', 'instance', (id) => id.startsWith('i-')));

    await lambdaClient(a).send(
      new CreateFunctionCommand({
        FunctionName: 'changes-fn',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => {};' }) },
      }),
    );
    const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:changes-fn';
    await until('the function', () => has('lambda', 'function', (id) => id === fnArn));
    await lambdaClient(a).send(new DeleteFunctionCommand({ FunctionName: 'changes-fn' }));
    await until('the function deleted', () => has('lambda', 'function', (id) => id === fnArn, 'delete'));

    assert.deepEqual(
      elsewhere.filter((c) => c.service !== 'ec2' || c.action !== 'delete'),
      [],
      'nothing of us-east-1 reaches the eu-west-1 stream',
    );
  } finally {
    stop.abort();
    await Promise.all(reading);
  }
});
