import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { createQueue, queryCall, sqsServerForTests } from './helpers.js';
import { awsCliEnv, awsCliSkip, awsCliV2 as AWS } from '../support/aws-cli.js';

/** SQS through the real SDK (JSON 1.0) and raw awsQuery; visibility moves with a ManualClock. */
const clock = new ManualClock(Date.UTC(2026, 0, 1));
let app: App;
let sqs: SQSClient;
sqsServerForTests(clock, (a, s) => ((app = a), (sqs = s)));

const create = (name: string, Attributes?: Record<string, string>) => createQueue(sqs, name, Attributes);

describe('SQS with @aws-sdk/client-sqs (JSON 1.0)', () => {
  it('creates, finds, lists and deletes queues; errors are the modelled exceptions', async () => {
    const url = await create('orders');
    assert.equal(url, `${app.url}/000000000000/orders`);
    assert.equal(await create('orders'), url, 'CreateQueue is idempotent');
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl, url);
    assert.ok((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'ord' }))).QueueUrls?.includes(url));
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })), (e: Error) => e.name === 'QueueDoesNotExist');
    await assert.rejects(
      sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '5' } })),
      (e: Error) => e.name === 'QueueNameExists',
    );
    await assert.rejects(
      sqs.send(new CreateQueueCommand({ QueueName: 'bad name' })),
      (e: Error) => e.name === 'InvalidParameterValue' || e.name === 'InvalidParameterValueException',
    );
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' })), (e: Error) => e.name === 'QueueDoesNotExist');
  });

  it('sends with attributes (the SDK checks both MD5s), receives, hides, counts receives, deletes', async () => {
    const url = await create('work', { VisibilityTimeout: '30' });
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'hello ✓',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' }, n: { DataType: 'Number', StringValue: '3' } },
      }),
    );
    assert.ok(sent.MessageId && sent.MD5OfMessageAttributes);
    const first = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    const m = first.Messages![0]!;
    assert.equal(m.Body, 'hello ✓');
    assert.equal(m.MessageAttributes?.kind?.StringValue, 'greeting');
    assert.equal(m.Attributes?.ApproximateReceiveCount, '1');
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined, 'invisible while in flight');
    clock.advance(31_000);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.equal(again.Messages![0]!.Attributes?.ApproximateReceiveCount, '2');
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 0 }),
    );
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third.Messages![0]!.ReceiptHandle! }));
    clock.advance(60_000);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined, 'deleted for good');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessages, '0');
    assert.equal(attrs.Attributes?.QueueArn, 'arn:aws:sqs:us-east-1:000000000000:work');
  });

  it('batches, purges, and rejects bad batches', async () => {
    const url = await create('batch');
    const r = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: [1, 2, 3].map((i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })) }),
    );
    assert.equal(r.Successful?.length, 3);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(
      got.Messages?.map((m) => m.Body),
      ['body 1', 'body 2', 'body 3'],
    );
    const del = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: got.Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    assert.equal(del.Successful?.length, 3);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
    await assert.rejects(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'a', MessageBody: '1' },
            { Id: 'a', MessageBody: '2' },
          ],
        }),
      ),
      (e: Error) => e.name === 'BatchEntryIdsNotDistinct',
    );
  });

  it('long polling returns as soon as a message arrives', async () => {
    const url = await create('poll');
    const started = Date.now();
    const pending = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
    await new Promise((r) => setTimeout(r, 100));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' }));
    const got = await pending;
    assert.equal(got.Messages?.[0]?.Body, 'late');
    assert.ok(Date.now() - started < 5_000);
  });

  it('RedrivePolicy moves a message past maxReceiveCount to the dead-letter queue', async () => {
    const dlqUrl = await create('work-dlq');
    const url = await create('work-redrive', { VisibilityTimeout: '10' });
    const dlqArn = 'arn:aws:sqs:us-east-1:000000000000:work-dlq';
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.length, 1);
      clock.advance(11_000);
    }
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined, 'third receive: moved');
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'] }));
    assert.equal(dead.Messages?.[0]?.Body, 'poison');
    assert.equal(dead.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn, 'arn:aws:sqs:us-east-1:000000000000:work-redrive');
  });
});

describe('SQS over awsQuery (CLI v2.9, older SDKs)', () => {
  it('answers XML with flattened lists and legacy error codes', async () => {
    const created = await queryCall(app, 'sqs', {
      Action: 'CreateQueue',
      Version: '2012-11-05',
      QueueName: 'q-query',
      'Attribute.1.Name': 'DelaySeconds',
      'Attribute.1.Value': '0',
    });
    assert.equal(created.status, 200, created.body);
    const url = /<QueueUrl>(.*?)<\/QueueUrl>/.exec(created.body)![1]!;
    const sent = await queryCall(app, 'sqs', {
      Action: 'SendMessage',
      Version: '2012-11-05',
      QueueUrl: url,
      MessageBody: 'a & b',
      'MessageAttribute.1.Name': 'k',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'v',
    });
    assert.match(sent.body, /<MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody>/);
    const got = await queryCall(app, 'sqs', {
      Action: 'ReceiveMessage',
      Version: '2012-11-05',
      QueueUrl: url,
      'AttributeName.1': 'All',
      'MessageAttributeName.1': 'All',
    });
    assert.match(got.body, /<ReceiveMessageResult><Message><MessageId>/);
    assert.match(got.body, /<Body>a &amp; b<\/Body>/);
    assert.match(got.body, /<Attribute><Name>ApproximateReceiveCount<\/Name><Value>1<\/Value><\/Attribute>/);
    assert.match(
      got.body,
      /<MessageAttribute><Name>k<\/Name><Value><StringValue>v<\/StringValue><DataType>String<\/DataType><\/Value><\/MessageAttribute>/,
    );
    const missing = await queryCall(app, 'sqs', { Action: 'GetQueueUrl', Version: '2012-11-05', QueueName: 'absent' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /<Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code>/);
  });
});

describe('SQS with the AWS CLI v2 (awsQuery)', () => {
  it('create-queue, send-message with attributes, receive-message', { skip: awsCliSkip, timeout: 30_000 }, async () => {
    const env = awsCliEnv();
    const cli = async (...args: string[]) =>
      JSON.parse(
        (await promisify(execFile)(AWS, ['--endpoint-url', app.url, '--output', 'json', ...args], { env })).stdout || '{}',
      ) as Record<string, unknown>;
    const { QueueUrl } = (await cli('sqs', 'create-queue', '--queue-name', 'cli-q')) as { QueueUrl: string };
    assert.equal(QueueUrl, `${app.url}/000000000000/cli-q`);
    const sent = await cli(
      'sqs',
      'send-message',
      '--queue-url',
      QueueUrl,
      '--message-body',
      'from the CLI',
      '--message-attributes',
      '{"k":{"DataType":"String","StringValue":"v"}}',
    );
    assert.match(String(sent.MD5OfMessageAttributes), /^[0-9a-f]{32}$/);
    const got = (await cli(
      'sqs',
      'receive-message',
      '--queue-url',
      QueueUrl,
      '--message-attribute-names',
      'All',
      '--attribute-names',
      'All',
    )) as { Messages: { Body: string; Attributes: Record<string, string>; MessageAttributes: Record<string, { StringValue: string }> }[] };
    assert.equal(got.Messages[0]!.Body, 'from the CLI');
    assert.equal(got.Messages[0]!.Attributes.ApproximateReceiveCount, '1');
    assert.equal(got.Messages[0]!.MessageAttributes.k!.StringValue, 'v');
  });
});
