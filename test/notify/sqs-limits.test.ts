import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { createQueue, queryCall, sqsServerForTests } from './helpers.js';

/**
 * SQS behaviour the API reference states exactly (limits, defaults, error codes), checked through
 * the real SDK (JSON 1.0) and raw awsQuery. Sources: the CreateQueue, SendMessage(Batch),
 * PurgeQueue API reference and the error shapes of the SQS service model.
 */
const clock = new ManualClock(Date.UTC(2026, 0, 1));
let app: App;
let sqs: SQSClient;
sqsServerForTests(clock, (a, s) => ((app = a), (sqs = s)));

const create = (name: string, Attributes?: Record<string, string>) => createQueue(sqs, name, Attributes);
const KiB = 1024;
const MiB = 1024 * KiB;

describe('message size (CreateQueue and SendMessage API reference: 1 KiB to 1 MiB, default 1 MiB)', () => {
  it('MaximumMessageSize defaults to 1,048,576 and accepts values up to it, not beyond', async () => {
    const url = await create('size-default');
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['MaximumMessageSize'] }));
    assert.equal(Attributes?.MaximumMessageSize, String(MiB));
    await create('size-max', { MaximumMessageSize: String(MiB) });
    await assert.rejects(create('size-over', { MaximumMessageSize: String(MiB + 1) }), (e: Error) => e.name === 'InvalidAttributeValue');
  });

  it('a queue with the default takes a 1 MiB body and refuses one byte more', async () => {
    const url = await create('size-body');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(MiB) }));
    await assert.rejects(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(MiB + 1) })),
      (e: Error) => e.name === 'InvalidParameterValue',
    );
  });
});

describe('message size counts every part of an attribute (MessageAttributeValue: Name, Type and Value)', () => {
  it('a body that fits alone or with name and value, but not with the DataType too, is refused', async () => {
    const url = await create('size-attrs', { MaximumMessageSize: String(KiB) });
    // Body 1,016 + name 'k' (1) + DataType 'String' (6) + value 'v' (1) = 1,024 bytes: the limit.
    const attrs = { k: { DataType: 'String', StringValue: 'v' } };
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(KiB - 8), MessageAttributes: attrs }));
    await assert.rejects(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(KiB - 7), MessageAttributes: attrs })),
      (e: Error) => e.name === 'InvalidParameterValue',
    );
  });
});

describe('SendMessageBatch total size (API reference: the sum of all messages at most 1 MiB)', () => {
  const entries = (n: number, bytes: number) => Array.from({ length: n }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x'.repeat(bytes) }));

  it('a batch of exactly 1 MiB is sent; one byte more is BatchRequestTooLong and sends nothing', async () => {
    const url = await create('batch-size');
    const ok = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(4, MiB / 4) }));
    assert.equal(ok.Successful?.length, 4);
    const big = entries(4, MiB / 4);
    big[3]!.MessageBody += 'x';
    await assert.rejects(
      sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: big })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'BatchRequestTooLong' && e.$metadata?.httpStatusCode === 400,
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    assert.equal(Attributes?.ApproximateNumberOfMessages, '4');
  });

  it('awsQuery answers the legacy code AWS.SimpleQueueService.BatchRequestTooLong', async () => {
    const url = await create('batch-size-query');
    const params: Record<string, string> = { Action: 'SendMessageBatch', Version: '2012-11-05', QueueUrl: url };
    for (let i = 1; i <= 5; i++) {
      params[`SendMessageBatchRequestEntry.${i}.Id`] = `m${i}`;
      params[`SendMessageBatchRequestEntry.${i}.MessageBody`] = 'x'.repeat(MiB / 4);
    }
    const r = await queryCall(app, 'sqs', params);
    assert.equal(r.status, 400);
    assert.match(r.body, /<Code>AWS\.SimpleQueueService\.BatchRequestTooLong<\/Code>/);
  });
});

describe('PurgeQueue (API reference: once per 60 seconds, else PurgeQueueInProgress)', () => {
  it('a second purge within 60 s is PurgeQueueInProgress (HTTP 403, as the service model gives); after 60 s it works again', async () => {
    const url = await create('purge-twice');
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    clock.advance(59_000);
    await assert.rejects(
      sqs.send(new PurgeQueueCommand({ QueueUrl: url })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'PurgeQueueInProgress' && e.$metadata?.httpStatusCode === 403,
    );
    const q = await queryCall(app, 'sqs', { Action: 'PurgeQueue', Version: '2012-11-05', QueueUrl: url });
    assert.equal(q.status, 403);
    assert.match(q.body, /<Code>AWS\.SimpleQueueService\.PurgeQueueInProgress<\/Code>/);
    clock.advance(1_000);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  });

  it('each queue has its own 60 seconds', async () => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: await create('purge-a') }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: await create('purge-b') }));
  });
});

describe('CreateQueue with an existing name (QueueNameExists: only for values that differ)', () => {
  it("naming an attribute at the queue's default value returns the existing queue", async () => {
    const url = await create('exists-defaults');
    assert.equal(await create('exists-defaults', { VisibilityTimeout: '30', DelaySeconds: '0', MessageRetentionPeriod: '345600' }), url);
    await assert.rejects(create('exists-defaults', { VisibilityTimeout: '31' }), (e: Error) => e.name === 'QueueNameExists');
  });
});

describe('message attribute names (SQS message metadata: characters, reserved prefixes, periods, 256)', () => {
  const send = (url: string, name: string) =>
    sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', MessageAttributes: { [name]: { DataType: 'String', StringValue: 'v' } } }),
    );

  it('accepts letters, digits, _, - and inner periods, up to 256 characters', async () => {
    const url = await create('attr-names-ok');
    for (const name of ['a', 'A-b_c.d', 'x'.repeat(256), 'AWSish', 'my.Amazon.thing']) await send(url, name);
  });

  it('refuses other characters, AWS./Amazon. prefixes in any case, leading/trailing/double periods, 257 characters', async () => {
    const url = await create('attr-names-bad');
    for (const name of ['a b', 'a/b', 'é', 'AWS.x', 'aws.x', 'Amazon.x', 'AMAZON.x', '.a', 'a.', 'a..b', 'x'.repeat(257)]) {
      await assert.rejects(send(url, name), (e: Error) => e.name === 'InvalidParameterValue', name);
    }
  });

  it('refuses a DataType longer than 256 characters', async () => {
    const url = await create('attr-type-long');
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'b',
        MessageAttributes: { k: { DataType: 'String.' + 'x'.repeat(249), StringValue: 'v' } },
      }),
    );
    await assert.rejects(
      sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'b',
          MessageAttributes: { k: { DataType: 'String.' + 'x'.repeat(250), StringValue: 'v' } },
        }),
      ),
      (e: Error) => e.name === 'InvalidParameterValue',
    );
  });
});

describe("a deleted queue's name (CreateQueue API reference: wait at least 60 seconds, else QueueDeletedRecently)", () => {
  it('re-creating within 60 s is QueueDeletedRecently (awsQuery: AWS.SimpleQueueService.QueueDeletedRecently); after 60 s it works', async () => {
    const url = await create('deleted-recently');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    clock.advance(59_000);
    await assert.rejects(create('deleted-recently'), (e: Error) => e.name === 'QueueDeletedRecently');
    const q = await queryCall(app, 'sqs', { Action: 'CreateQueue', Version: '2012-11-05', QueueName: 'deleted-recently' });
    assert.equal(q.status, 400);
    assert.match(q.body, /<Code>AWS\.SimpleQueueService\.QueueDeletedRecently<\/Code>/);
    await create('another-name');
    clock.advance(1_000);
    assert.equal(await create('deleted-recently'), url);
  });
});

describe('ChangeMessageVisibility (API reference: at most 12 hours from the receive, else an error)', () => {
  it('extends up to 12 hours after the receive and refuses a timeout that would end later', async () => {
    const url = await create('visibility-cap', { VisibilityTimeout: '7200' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'long job' }));
    const handle = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0]!.ReceiptHandle!;
    clock.advance(3_600_000);
    // 1 h after the receive, 11 h are left: 39,600 s is the most this call may ask.
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 39_600 }));
    await assert.rejects(
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 39_601 })),
      (e: Error) => e.name === 'InvalidParameterValue',
    );
    const batch = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', ReceiptHandle: handle, VisibilityTimeout: 43_200 }] }),
    );
    assert.equal(batch.Failed?.[0]?.Code, 'InvalidParameterValue');
  });
});
