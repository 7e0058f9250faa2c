import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { sqsClient, waitFor } from './helpers.js';
import { allowEventsToQueue } from '../support/target-policies.js';

/** EventBridge rules whose target is an SQS FIFO queue (Target.SqsParameters), through the real SDK. */
let app: App;
let eb: EventBridgeClient;
let sqs: SQSClient;
before(async () => {
  app = await startTestServer();
  eb = sdkClient(app);
  sqs = sqsClient(app);
});
after(async () => {
  eb.destroy();
  sqs.destroy();
  await app.close();
});

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

it('PutTargets refuses a FIFO queue without SqsParameters, as AWS does', async () => {
  await eb.send(new PutRuleCommand({ Name: 'to-fifo', EventPattern: '{"source":["my.app"]}' }));
  await assert.rejects(
    eb.send(new PutTargetsCommand({ Rule: 'to-fifo', Targets: [{ Id: 'q', Arn: arn('orders.fifo') }] })),
    (e: Error) => (
      assert.equal(e.name, 'ValidationException'),
      assert.equal(e.message, 'Parameter(s) SqsParameters must be specified for target: q.'),
      true
    ),
  );
});

it('delivers to the FIFO queue in the message group SqsParameters names, in order; the target keeps its SqsParameters', async () => {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: 'events.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }),
  );
  await eb.send(new PutRuleCommand({ Name: 'ordered', EventPattern: '{"source":["ordered.app"]}' }));
  await allowEventsToQueue(sqs, QueueUrl!);
  await eb.send(
    new PutTargetsCommand({
      Rule: 'ordered',
      Targets: [{ Id: 'q', Arn: arn('events.fifo'), SqsParameters: { MessageGroupId: 'ami-events' } }],
    }),
  );
  const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'ordered' }));
  assert.deepEqual(listed.Targets?.[0]?.SqsParameters, { MessageGroupId: 'ami-events' });
  for (let i = 0; i < 5; i++)
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'ordered.app', DetailType: 'Step', Detail: JSON.stringify({ n: i }) }] }));
  const got: number[] = [];
  await waitFor(async () => {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }),
    );
    for (const m of Messages ?? []) {
      assert.equal(m.Attributes?.MessageGroupId, 'ami-events');
      got.push((JSON.parse(m.Body!) as { detail: { n: number } }).detail.n);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    return got.length >= 5 ? true : undefined;
  }, 'five events in the queue');
  assert.deepEqual(got, [0, 1, 2, 3, 4]);
});

it("a FIFO queue without content-based deduplication fails the delivery, with SQS's reason in the history", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'nodedup.fifo', Attributes: { FifoQueue: 'true' } }));
  await allowEventsToQueue(sqs, QueueUrl!);
  await eb.send(new PutRuleCommand({ Name: 'nodedup', EventPattern: '{"source":["nodedup.app"]}' }));
  await eb.send(
    new PutTargetsCommand({ Rule: 'nodedup', Targets: [{ Id: 'q', Arn: arn('nodedup.fifo'), SqsParameters: { MessageGroupId: 'g' } }] }),
  );
  const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'nodedup.app', DetailType: 'X', Detail: '{}' }] }));
  const id = put.Entries![0]!.EventId!;
  const d = await waitFor(async () => {
    const e = (await app.store.readEvents({ limit: 50 })).find((x) => x.eventId === id);
    const first = e?.deliveries[0];
    return first && first.status !== 'pending' ? first : undefined;
  }, 'the failed delivery');
  assert.equal(d.status, 'failed');
  assert.match(
    d.lastError ?? '',
    /The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly/,
  );
});
