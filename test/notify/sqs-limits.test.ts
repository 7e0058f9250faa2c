import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { queryCall, sqsClient } from './helpers.js';

/**
 * SQS behaviour the API reference states exactly (limits, defaults, error codes), checked through
 * the real SDK (JSON 1.0) and raw awsQuery. Sources: the CreateQueue, SendMessage(Batch),
 * PurgeQueue API reference and the error shapes of the SQS service model.
 */
const clock = new ManualClock(Date.UTC(2026, 0, 1));
let app: App;
let sqs: SQSClient;
before(async () => {
  app = await startTestServer({}, { clock });
  sqs = sqsClient(app);
});
after(async () => {
  sqs.destroy();
  await app.close();
});

const create = async (name: string, Attributes?: Record<string, string>) => (await sqs.send(new CreateQueueCommand({ QueueName: name, ...(Attributes && { Attributes }) }))).QueueUrl!;
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
    await assert.rejects(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(MiB + 1) })), (e: Error) => e.name === 'InvalidParameterValue');
  });

});

describe('message size counts every part of an attribute (MessageAttributeValue: Name, Type and Value)', () => {
  it('a body that fits alone or with name and value, but not with the DataType too, is refused', async () => {
    const url = await create('size-attrs', { MaximumMessageSize: String(KiB) });
    // Body 1,016 + name 'k' (1) + DataType 'String' (6) + value 'v' (1) = 1,024 bytes: the limit.
    const attrs = { k: { DataType: 'String', StringValue: 'v' } };
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(KiB - 8), MessageAttributes: attrs }));
    await assert.rejects(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(KiB - 7), MessageAttributes: attrs })), (e: Error) => e.name === 'InvalidParameterValue');
  });
});
