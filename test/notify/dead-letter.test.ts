import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import { delivered, failure, type Transport } from '../../src/delivery/transport.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { snsClient, sqsClient, waitFor } from './helpers.js';
import { allowEventsToQueue, allowEventsToTopic } from '../support/target-policies.js';

/**
 * Failure handling of EventBridge targets (eb-rule-retry-policy, eb-rule-dlq), time moved by a
 * ManualClock: retries until the target recovers; retries exhausted or a non-retriable error →
 * the target's DLQ with AWS's message attributes; a restart in the middle loses nothing.
 */
const FLAKY = 'arn:aws:lambda:us-east-1:000000000000:function:flaky';
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A target that fails (retriably) `failures` times, then accepts. */
function flaky(failures: number): Transport & { calls: number } {
  const t = {
    calls: 0,
    async deliver() {
      t.calls++;
      return t.calls <= failures ? failure(true, 'THROTTLING', `busy (call ${t.calls})`) : delivered;
    },
  };
  return t;
}

async function setup(app: App, targets: Target[]) {
  const eb = sdkClient(app);
  const sqs = sqsClient(app);
  await sqs.send(new CreateQueueCommand({ QueueName: 'dlq' }));
  await eb.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":["my.app"]}' }));
  await eb.send(new PutTargetsCommand({ Rule: 'r', Targets: targets }));
  const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'my.app', DetailType: 'X', Detail: '{"n":1}' }] }));
  return { eb, sqs, eventId: put.Entries![0]!.EventId! };
}

/**
 * Runs the worker, moving the clock past each retry's due time, until the delivery settles. (The
 * server's own worker runs too: whichever claims a delivery runs it.)
 */
async function drive(app: App, clock: ManualClock, rounds: number): Promise<void> {
  for (let i = 0; i < rounds * 50; i++) {
    await app.worker.runOnce();
    if ((await deliveryOf(app)).status !== 'pending') return;
    clock.advance(15 * 60_000);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function deliveryOf(app: App): Promise<Awaited<ReturnType<App['store']['readEvents']>>[number]['deliveries'][number]> {
  const [e] = await app.store.readEvents({ limit: 1 });
  return e!.deliveries[0]!;
}

/**
 * The delivery once it has settled (delivered or failed). The running worker may hold it already:
 * wait for it to settle, whoever runs it.
 */
function settledDelivery(app: App): ReturnType<typeof deliveryOf> {
  return waitFor(async () => {
    await app.worker.runOnce();
    const x = await deliveryOf(app);
    return x.status === 'pending' ? undefined : x;
  }, 'the delivery to settle');
}

describe('retries and the dead-letter queue', () => {
  it('a target failing twice, then recovering: delivered on the third attempt, nothing in the DLQ', async () => {
    const clock = new ManualClock();
    const t = flaky(2);
    const app = await startTestServer({}, { clock, transports: { lambda: t } });
    try {
      const { sqs } = await setup(app, [{ Id: 'f', Arn: FLAKY, RetryPolicy: { MaximumRetryAttempts: 5 }, DeadLetterConfig: { Arn: DLQ } }]);
      await drive(app, clock, 4);
      const d = await deliveryOf(app);
      assert.equal(d.status, 'delivered');
      assert.equal(d.attempts, 3);
      assert.equal(t.calls, 3);
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${app.url}/000000000000/dlq` }))).Messages, undefined);
      sqs.destroy();
    } finally {
      await app.close();
    }
  });

  it('a target that never recovers: in the DLQ with RULE_ARN, TARGET_ARN, ERROR_*, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS', async () => {
    const clock = new ManualClock();
    const t = flaky(Number.MAX_SAFE_INTEGER);
    const app = await startTestServer({}, { clock, transports: { lambda: t } });
    try {
      const { sqs, eventId } = await setup(app, [
        { Id: 'f', Arn: FLAKY, RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: DLQ } },
      ]);
      await drive(app, clock, 5);
      const d = await deliveryOf(app);
      assert.equal(d.status, 'failed');
      assert.equal(d.attempts, 3);
      assert.match(d.lastError!, /sent to DLQ arn:aws:sqs:us-east-1:000000000000:dlq/);
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${app.url}/000000000000/dlq`, MessageAttributeNames: ['All'] }));
      const m = got.Messages![0]!;
      assert.equal(JSON.parse(m.Body!).id, eventId, 'the body is the original event');
      const attrs = Object.fromEntries(Object.entries(m.MessageAttributes!).map(([k, v]) => [k, v.StringValue]));
      assert.deepEqual(attrs, {
        RULE_ARN: 'arn:aws:events:us-east-1:000000000000:rule/r',
        TARGET_ARN: FLAKY,
        ERROR_CODE: 'THROTTLING',
        ERROR_MESSAGE: 'busy (call 3)',
        EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
        RETRY_ATTEMPTS: '2',
      });
      sqs.destroy();
    } finally {
      await app.close();
    }
  });

  it('a non-retriable error (the topic was deleted) goes to the DLQ at once, without retries', async () => {
    const clock = new ManualClock();
    const app = await startTestServer({}, { clock });
    try {
      const { sqs } = await setup(app, [{ Id: 'gone', Arn: 'arn:aws:sns:us-east-1:000000000000:missing', DeadLetterConfig: { Arn: DLQ } }]);
      const d = await settledDelivery(app);
      assert.equal(d.status, 'failed');
      assert.equal(d.attempts, 1);
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${app.url}/000000000000/dlq`, MessageAttributeNames: ['All'] }));
      const attrs = got.Messages![0]!.MessageAttributes!;
      assert.equal(attrs.ERROR_CODE?.StringValue, 'NO_RESOURCE');
      assert.equal(attrs.RETRY_ATTEMPTS?.StringValue, '0');
      assert.equal(attrs.EXHAUSTED_RETRY_CONDITION, undefined);
      sqs.destroy();
    } finally {
      await app.close();
    }
  });
});

describe("the DLQ must be in the rule's Region (eb-rule-dlq)", () => {
  it('a DLQ in another Region receives nothing; the history says why', async () => {
    const clock = new ManualClock();
    const app = await startTestServer({}, { clock });
    const west = new SQSClient({
      endpoint: app.url,
      region: 'us-west-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      await west.send(new CreateQueueCommand({ QueueName: 'dlq' }));
      const westDlq = 'arn:aws:sqs:us-west-2:000000000000:dlq';
      const { sqs } = await setup(app, [
        { Id: 'gone', Arn: 'arn:aws:sns:us-east-1:000000000000:missing', DeadLetterConfig: { Arn: westDlq } },
      ]);
      const d = await settledDelivery(app);
      assert.equal(d.status, 'failed');
      assert.match(
        d.lastError!,
        /not sent to DLQ arn:aws:sqs:us-west-2:000000000000:dlq: the DLQ must be in the rule's Region \(us-east-1\)/,
      );
      const got = await west.send(new ReceiveMessageCommand({ QueueUrl: `${app.url}/000000000000/dlq`, WaitTimeSeconds: 0 }));
      assert.equal(got.Messages, undefined);
      sqs.destroy();
    } finally {
      west.destroy();
      await app.close();
    }
  });
});

describe('restart in the middle (SQLite file)', () => {
  it('queued messages, subscriptions and a delivery waiting for its retry all survive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amiwatch-notify-'));
    dirs.push(dir);
    const clock = new ManualClock();
    const down = flaky(Number.MAX_SAFE_INTEGER);
    const first = await startTestServer({ inMemory: false, dataDir: dir }, { clock, transports: { sqs: down } });
    const sns = snsClient(first);
    const sqs1 = sqsClient(first);
    const { QueueUrl: inbox } = await sqs1.send(new CreateQueueCommand({ QueueName: 'inbox' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 't' }));
    await allowEventsToQueue(sqs1, inbox!);
    await allowEventsToTopic(sns, TopicArn!);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:inbox' }));
    const { eventId } = await setup(first, [
      { Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:inbox' },
      { Id: 't', Arn: TopicArn! },
    ]);
    await first.worker.runOnce();
    assert.equal(down.calls, 1, 'the queue target failed once (an outage), retry scheduled');
    sns.destroy();
    sqs1.destroy();
    await first.close();

    clock.advance(15 * 60_000);
    const second = await startTestServer({ inMemory: false, dataDir: dir }, { clock });
    try {
      const sqs2 = sqsClient(second);
      const got = await waitFor(async () => {
        await second.worker.runOnce();
        const r = await sqs2.send(
          new ReceiveMessageCommand({ QueueUrl: `${second.url}/000000000000/inbox`, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
        );
        return (r.Messages?.length ?? 0) >= 2 ? r : undefined;
      }, 'both messages in the queue');
      const bodies = got.Messages!.map((m) => JSON.parse(m.Body!) as Record<string, unknown>);
      assert.equal(bodies.length, 2, 'one via SNS before the restart, one direct after it');
      assert.ok(
        bodies.some((b) => b.id === eventId),
        'the retried delivery arrived after the restart',
      );
      assert.ok(bodies.some((b) => b.Type === 'Notification' && JSON.parse(b.Message as string).id === eventId));
      sqs2.destroy();
    } finally {
      await second.close();
    }
  });
});
