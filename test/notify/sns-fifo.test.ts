import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, sqsClient } from './helpers.js';

/** SNS FIFO topics to SQS FIFO queues through the real SDK clients. */
const clock = new ManualClock(Date.UTC(2026, 0, 1));
let app: App;
let sns: SNSClient;
let sqs: SQSClient;
before(async () => {
  app = await startTestServer({}, { clock });
  sns = snsClient(app);
  sqs = sqsClient(app);
});
after(async () => {
  sns.destroy();
  sqs.destroy();
  await app.close();
});

const rejects = (p: Promise<unknown>, code: string, message: string) =>
  assert.rejects(p, (e: Error) => (assert.equal(e.name, code), assert.equal(e.message, message), true));

async function fifoPair(name: string, topicAttrs: Record<string, string> = {}, raw = true): Promise<{ TopicArn: string; url: string }> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `${name}.fifo`, Attributes: { FifoTopic: 'true', ...topicAttrs } }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-q.fifo`, Attributes: { FifoQueue: 'true' } }));
  const queueArn = `arn:aws:sqs:us-east-1:000000000000:${name}-q.fifo`;
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: String(raw) } }));
  return { TopicArn: TopicArn!, url: QueueUrl! };
}

async function drain(url: string): Promise<{ Body?: string; Attributes?: Record<string, string> }[]> {
  const out = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
    );
    if (!Messages) return out;
    for (const m of Messages) {
      out.push(m);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}

describe('SNS FIFO topics', () => {
  it('refuses what AWS refuses: missing group or deduplication id, other protocols, FIFO queues on standard topics', async () => {
    const { TopicArn } = await fifoPair('rules');
    await rejects(
      sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageDeduplicationId: 'd' })),
      'InvalidParameterException',
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageGroupId: 'g' })),
      'InvalidParameterException',
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    await rejects(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'https://example.com/hook' })),
      'InvalidParameterException',
      'Invalid parameter: Invalid protocol type: https',
    );
    const { TopicArn: std } = await sns.send(new CreateTopicCommand({ Name: 'standard-rules' }));
    await rejects(
      sns.send(new SubscribeCommand({ TopicArn: std, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:rules-q.fifo' })),
      'InvalidParameterException',
      'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn: std, Message: 'x', MessageDeduplicationId: 'd' })),
      'InvalidParameterException',
      'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    );
    await rejects(
      sns.send(new CreateTopicCommand({ Name: 'cbd', Attributes: { ContentBasedDeduplication: 'true' } })),
      'InvalidParameterException',
      'Invalid parameter: Attributes Reason: Content-based deduplication can only be set for FIFO topics',
    );
    await rejects(
      sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'FifoTopic', AttributeValue: 'false' })),
      'InvalidParameterException',
      'Invalid parameter: AttributeName',
    );
  });

  it('delivers each group in publish order, once, with group, deduplication id and SequenceNumber carried to the queue', async () => {
    const { TopicArn, url } = await fifoPair('orders');
    const sent: string[] = [];
    for (let i = 0; i < 6; i++) {
      const g = i % 2 === 0 ? 'even' : 'odd';
      const r = await sns.send(new PublishCommand({ TopicArn, Message: `${g}-${i}`, MessageGroupId: g, MessageDeduplicationId: `d${i}` }));
      assert.match(r.SequenceNumber ?? '', /^\d{20}$/);
      sent.push(r.SequenceNumber!);
    }
    const again = await sns.send(
      new PublishCommand({ TopicArn, Message: 'even-0 again', MessageGroupId: 'even', MessageDeduplicationId: 'd0' }),
    );
    assert.equal(again.SequenceNumber, sent[0], 'a duplicate answers with the first publish');
    const got = await drain(url);
    assert.deepEqual(
      got.filter((m) => m.Attributes?.MessageGroupId === 'even').map((m) => m.Body),
      ['even-0', 'even-2', 'even-4'],
    );
    assert.deepEqual(
      got.filter((m) => m.Attributes?.MessageGroupId === 'odd').map((m) => m.Body),
      ['odd-1', 'odd-3', 'odd-5'],
    );
    assert.deepEqual(got.map((m) => m.Attributes?.MessageDeduplicationId).sort(), ['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
  });

  it('deduplicates by content when the topic says so, in batches too; JSON notifications carry the SequenceNumber', async () => {
    const { TopicArn, url } = await fifoPair('content', { ContentBasedDeduplication: 'true' }, false);
    const batch = await sns.send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'same', MessageGroupId: 'g' },
          { Id: 'b', Message: 'same', MessageGroupId: 'g' },
          { Id: 'c', Message: 'other', MessageGroupId: 'g' },
        ],
      }),
    );
    assert.equal(batch.Successful?.[0]?.MessageId, batch.Successful?.[1]?.MessageId);
    const got = await drain(url);
    const docs = got.map((m) => JSON.parse(m.Body!) as { Message: string; SequenceNumber: string });
    assert.deepEqual(
      docs.map((d) => d.Message),
      ['same', 'other'],
    );
    assert.equal(docs[0]!.SequenceNumber, batch.Successful?.[0]?.SequenceNumber);
    clock.advance(5 * 60_000 + 1);
    await sns.send(new PublishCommand({ TopicArn, Message: 'same', MessageGroupId: 'g' }));
    assert.equal((await drain(url)).length, 1, 'after 5 minutes the same content is new again');
  });
});

describe('SNS FIFO across a restart', () => {
  it('remembers the deduplication ids of the last 5 minutes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amiwatch-sns-fifo-'));
    const c = new ManualClock(Date.UTC(2026, 0, 3));
    const apps: App[] = [];
    try {
      const first = await startTestServer({ inMemory: false, dataDir }, { clock: c });
      apps.push(first);
      const a = snsClient(first);
      const { TopicArn } = await a.send(new CreateTopicCommand({ Name: 'durable.fifo', Attributes: { FifoTopic: 'true' } }));
      const one = await a.send(new PublishCommand({ TopicArn, Message: 'once', MessageGroupId: 'g', MessageDeduplicationId: 'only' }));
      a.destroy();
      await first.close();
      apps.pop();
      c.advance(60_000);
      const second = await startTestServer({ inMemory: false, dataDir }, { clock: c });
      apps.push(second);
      const b = snsClient(second);
      const dup = await b.send(new PublishCommand({ TopicArn, Message: 'twice', MessageGroupId: 'g', MessageDeduplicationId: 'only' }));
      assert.equal(dup.MessageId, one.MessageId);
      assert.equal(dup.SequenceNumber, one.SequenceNumber);
      b.destroy();
    } finally {
      for (const x of apps) await x.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
