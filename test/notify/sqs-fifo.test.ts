import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { awsCliEnv, awsCliSkip, awsCliV2 as AWS } from '../support/aws-cli.js';
import { createQueue, sqsClient, sqsServerForTests } from './helpers.js';

/** SQS FIFO queues through the real SDK and the AWS CLI; the 5-minute window moves with a ManualClock. */
const clock = new ManualClock(Date.UTC(2026, 0, 1));
let app: App;
let sqs: SQSClient;
sqsServerForTests(clock, (a, s) => ((app = a), (sqs = s)));

const fifo = (name: string, extra: Record<string, string> = {}) => createQueue(sqs, name, { FifoQueue: 'true', ...extra });
const rejects = (p: Promise<unknown>, code: string, message: string) =>
  assert.rejects(p, (e: Error & { Code?: string }) => (assert.equal(e.name, code), assert.equal(e.message, message), true));
const body = (m: { Body?: string }) => m.Body!;

describe('SQS FIFO queues', () => {
  it('has the FIFO attributes with their defaults, and refuses them on a standard queue', async () => {
    const url = await fifo('attrs.fifo');
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    assert.equal(Attributes?.FifoQueue, 'true');
    assert.equal(Attributes?.ContentBasedDeduplication, 'false');
    assert.equal(Attributes?.DeduplicationScope, 'queue');
    assert.equal(Attributes?.FifoThroughputLimit, 'perQueue');
    await rejects(
      createQueue(sqs, 'std', { ContentBasedDeduplication: 'true' }),
      'InvalidAttributeName',
      'Unknown Attribute ContentBasedDeduplication.',
    );
    await rejects(
      createQueue(sqs, 'nofifo', { FifoQueue: 'true' }),
      'InvalidParameterValue',
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
    await rejects(
      fifo('hi.fifo', { FifoThroughputLimit: 'perMessageGroupId' }),
      'InvalidAttributeValue',
      'Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId is allowed only when DeduplicationScope is messageGroup.',
    );
    await rejects(
      fifo('bad.fifo', { DeduplicationScope: 'everywhere' }),
      'InvalidAttributeValue',
      'Invalid value for the parameter DeduplicationScope.',
    );
    const hi = await fifo('high.fifo', {
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      ContentBasedDeduplication: 'True',
    });
    const got = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: hi, AttributeNames: ['ContentBasedDeduplication', 'FifoThroughputLimit'] }),
    );
    assert.deepEqual(got.Attributes, { ContentBasedDeduplication: 'true', FifoThroughputLimit: 'perMessageGroupId' });
    await rejects(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: hi, Attributes: { DeduplicationScope: 'queue' } })),
      'InvalidAttributeValue',
      'Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId is allowed only when DeduplicationScope is messageGroup.',
    );
    const std = await createQueue(sqs, 'plain');
    await rejects(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: std, Attributes: { ContentBasedDeduplication: 'true' } })),
      'InvalidAttributeName',
      'Unknown Attribute ContentBasedDeduplication.',
    );
    await rejects(
      sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: {
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:plain', maxReceiveCount: 3 }),
          },
        }),
      ),
      'InvalidParameterValue',
      'Value {"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:plain","maxReceiveCount":3} for parameter RedrivePolicy is invalid. Reason: Dead-letter target must be of the same type (FIFO or standard) as the source queue.',
    );
  });

  it('validates MessageGroupId, MessageDeduplicationId and DelaySeconds as SQS does', async () => {
    const url = await fifo('rules.fifo');
    await rejects(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' })),
      'MissingParameter',
      'The request must contain the parameter MessageGroupId.',
    );
    await rejects(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' })),
      'InvalidParameterValue',
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    await rejects(
      sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 }),
      ),
      'InvalidParameterValue',
      'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    );
    const ok = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 0 }),
    );
    assert.match(ok.SequenceNumber ?? '', /^\d{20}$/, 'DelaySeconds 0 is accepted; a SequenceNumber comes back');
    await rejects(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g'.repeat(129), MessageDeduplicationId: 'e' })),
      'InvalidParameterValue',
      `Value ${'g'.repeat(129)} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
    const std = await createQueue(sqs, 'standard-rules');
    await rejects(
      sqs.send(new SendMessageCommand({ QueueUrl: std, MessageBody: 'x', MessageDeduplicationId: 'd' })),
      'InvalidParameterValue',
      'Value d for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.',
    );
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'y' },
          { Id: 'b', MessageBody: 'z' },
        ],
      }),
    );
    assert.equal(batch.Successful?.[0]?.Id, 'a');
    assert.match(batch.Successful?.[0]?.SequenceNumber ?? '', /^\d{20}$/);
    assert.deepEqual(
      batch.Failed?.map((f) => [f.Id, f.Code, f.Message]),
      [['b', 'MissingParameter', 'The request must contain the parameter MessageGroupId.']],
    );
  });

  it('deduplicates within 5 minutes (even after the delete), by id or content, per queue or per group', async () => {
    const url = await fifo('dedup.fifo');
    const sends = [];
    for (let i = 0; i < 5; i++)
      sends.push(
        await sqs.send(
          new SendMessageCommand({ QueueUrl: url, MessageBody: `copy ${i}`, MessageGroupId: 'g', MessageDeduplicationId: 'same' }),
        ),
      );
    assert.equal(new Set(sends.map((s) => s.MessageId)).size, 1, 'every duplicate answers with the first message id');
    assert.equal(new Set(sends.map((s) => s.SequenceNumber)).size, 1);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    assert.deepEqual(got.Messages?.map(body), ['copy 0']);
    const m = got.Messages![0]!;
    assert.equal(m.Attributes?.MessageGroupId, 'g');
    assert.equal(m.Attributes?.MessageDeduplicationId, 'same');
    assert.equal(m.Attributes?.SequenceNumber, sends[0]!.SequenceNumber);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    clock.advance(4 * 60_000);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'after delete', MessageGroupId: 'g', MessageDeduplicationId: 'same' }),
    );
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined, 'still a duplicate after the delete');
    clock.advance(60_000 + 1);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'window over', MessageGroupId: 'g', MessageDeduplicationId: 'same' }),
    );
    assert.deepEqual((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.map(body), ['window over']);

    const cbd = await fifo('content.fifo', { ContentBasedDeduplication: 'true' });
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: cbd,
        Entries: [
          { Id: 'a', MessageBody: 'same body', MessageGroupId: 'g' },
          { Id: 'b', MessageBody: 'same body', MessageGroupId: 'h' },
          { Id: 'c', MessageBody: 'same body', MessageGroupId: 'g', MessageDeduplicationId: 'own' },
        ],
      }),
    );
    assert.equal(batch.Successful?.[0]?.MessageId, batch.Successful?.[1]?.MessageId, 'same content, one message, even in one batch');
    assert.notEqual(batch.Successful?.[2]?.MessageId, batch.Successful?.[0]?.MessageId, 'an explicit id overrides the content hash');

    const perGroup = await fifo('scoped.fifo', { DeduplicationScope: 'messageGroup' });
    await sqs.send(new SendMessageCommand({ QueueUrl: perGroup, MessageBody: 'one', MessageGroupId: 'g1', MessageDeduplicationId: 'd' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: perGroup, MessageBody: 'two', MessageGroupId: 'g2', MessageDeduplicationId: 'd' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: perGroup, MessageBody: 'three', MessageGroupId: 'g1', MessageDeduplicationId: 'd' }));
    const scoped = await sqs.send(new ReceiveMessageCommand({ QueueUrl: perGroup, MaxNumberOfMessages: 10 }));
    assert.deepEqual(scoped.Messages?.map(body).sort(), ['one', 'two']);
  });

  it('keeps each group in order with one receiver at a time, under concurrent consumers', async () => {
    const url = await fifo('orders.fifo', { VisibilityTimeout: '30' });
    const groups = ['a', 'b', 'c', 'd'];
    for (let i = 0; i < 15; i++) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: groups.map((g) => ({ Id: g, MessageBody: `${g}:${i}`, MessageGroupId: g, MessageDeduplicationId: `${g}-${i}` })),
        }),
      );
    }
    const seen = new Map<string, number[]>(groups.map((g) => [g, []]));
    const held = new Set<string>();
    let total = 0;
    const consumer = async () => {
      for (let idle = 0; total < 60 && idle < 200; ) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 3 }));
        if (!Messages) {
          idle++;
          await new Promise((r) => setImmediate(r));
          continue;
        }
        const mine = new Set(Messages.map((m) => body(m).split(':')[0]!));
        for (const g of mine) assert.ok(!held.has(g), `group ${g} handed to two consumers at once`);
        for (const g of mine) held.add(g);
        for (const m of Messages) {
          const [g, n] = body(m).split(':');
          seen.get(g!)!.push(Number(n));
          await new Promise((r) => setImmediate(r));
          await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
          total++;
        }
        for (const g of mine) held.delete(g);
      }
    };
    await Promise.all([consumer(), consumer(), consumer(), consumer()]);
    for (const g of groups) assert.deepEqual(seen.get(g), [...Array(15).keys()], `group ${g} in send order, once each`);
  });

  it('holds a group while a message of it is in flight, and gives it back in order when the visibility ends', async () => {
    const url = await fifo('held.fifo', { VisibilityTimeout: '10' });
    for (const [g, n] of [
      ['x', 1],
      ['y', 1],
      ['x', 2],
      ['y', 2],
    ] as const) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: `${g}${n}`, MessageGroupId: g, MessageDeduplicationId: `${g}${n}` }),
      );
    }
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
    assert.deepEqual(first.Messages?.map(body), ['x1']);
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(second.Messages?.map(body), ['y1', 'y2'], 'x is held while x1 is in flight');
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const again = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    assert.deepEqual(again.Messages?.map(body), ['x1', 'x2'], 'x1 again, before x2');
    assert.equal(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '2');
  });

  it('works through the AWS CLI (query protocol: --message-group-id, SequenceNumber)', { skip: awsCliSkip }, async () => {
    const url = await fifo('cli.fifo', { ContentBasedDeduplication: 'true' });
    const run = async (...args: string[]) =>
      JSON.parse(
        (await promisify(execFile)(AWS, ['--endpoint-url', app.url, '--output', 'json', 'sqs', ...args], { env: awsCliEnv() })).stdout ||
          '{}',
      ) as Record<string, unknown>;
    const sent = await run('send-message', '--queue-url', url, '--message-body', 'from the cli', '--message-group-id', 'cli');
    assert.match(String(sent.SequenceNumber), /^\d{20}$/);
    const dup = await run('send-message', '--queue-url', url, '--message-body', 'from the cli', '--message-group-id', 'cli');
    assert.equal(dup.MessageId, sent.MessageId);
    const got = (await run('receive-message', '--queue-url', url, '--attribute-names', 'All', '--max-number-of-messages', '10')) as {
      Messages: { Body: string; Attributes: Record<string, string> }[];
    };
    assert.equal(got.Messages.length, 1);
    assert.equal(got.Messages[0]!.Attributes.MessageGroupId, 'cli');
    await assert.rejects(run('send-message', '--queue-url', url, '--message-body', 'no group'), /MissingParameter.*MessageGroupId/s);
  });
});

describe('SQS FIFO across a restart', () => {
  it('keeps the deduplication window and each group order', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amiwatch-fifo-'));
    const restartClock = new ManualClock(Date.UTC(2026, 0, 2));
    const apps: App[] = [];
    try {
      const first = await startTestServer({ inMemory: false, dataDir }, { clock: restartClock });
      apps.push(first);
      const a = sqsClient(first);
      const { QueueUrl } = await a.send(new CreateQueueCommand({ QueueName: 'durable.fifo', Attributes: { FifoQueue: 'true' } }));
      const sent = [];
      for (let i = 0; i < 4; i++)
        sent.push(
          await a.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}`, MessageGroupId: 'g', MessageDeduplicationId: `d${i}` })),
        );
      const head = await a.send(new ReceiveMessageCommand({ QueueUrl }));
      await a.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: head.Messages![0]!.ReceiptHandle }));
      a.destroy();
      await first.close();
      apps.pop();

      restartClock.advance(60_000);
      const second = await startTestServer({ inMemory: false, dataDir }, { clock: restartClock });
      apps.push(second);
      const b = sqsClient(second);
      const url = QueueUrl!.replace(first.url, second.url);
      const dup = await b.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'again', MessageGroupId: 'g', MessageDeduplicationId: 'd0' }),
      );
      assert.equal(dup.MessageId, sent[0]!.MessageId, 'the id of a deleted message is still a duplicate after the restart');
      const fresh = await b.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'm4', MessageGroupId: 'g', MessageDeduplicationId: 'd4' }),
      );
      assert.ok(BigInt(fresh.SequenceNumber!) > BigInt(sent[3]!.SequenceNumber!), 'sequence numbers keep growing');
      const rest = await b.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      assert.deepEqual(rest.Messages?.map(body), ['m1', 'm2', 'm3', 'm4']);
      b.destroy();
    } finally {
      for (const x of apps) await x.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
