import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { awsCliEnv, awsCliSkip, awsCliV2 as AWS } from '../support/aws-cli.js';
import { createQueue, sqsServerForTests } from './helpers.js';

/** The SQS gaps an outside test suite found (issue 21), each through a real client. */
const clock = new ManualClock(Date.UTC(2026, 0, 1));
let app: App;
let sqs: SQSClient;
sqsServerForTests(clock, (a, s) => ((app = a), (sqs = s)));

const rejects = (p: Promise<unknown>, code: string, message: string) =>
  assert.rejects(p, (e: Error) => (assert.equal(e.name, code), assert.equal(e.message, message), true));

it('TagQueue refuses no tags and more than 50; UntagQueue refuses no keys', async () => {
  const url = await createQueue(sqs, 'tagged');
  await rejects(
    sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: {} })),
    'MissingParameter',
    'The request must contain the parameter Tags.',
  );
  const many = Object.fromEntries([...Array(51).keys()].map((i) => [`k${i}`, 'v']));
  await rejects(
    sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: many })),
    'InvalidParameterValue',
    'Too many tags added for queue tagged.',
  );
  await rejects(
    sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: [] })),
    'MissingParameter',
    'The request must contain the parameter TagKeys.',
  );
  await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { a: '1' } }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { a: '1' }, 'nothing half-written');
});

it('empty batches name their own entry type; an oversized batch is worded as AWS words it', async () => {
  const url = await createQueue(sqs, 'batches');
  await rejects(
    sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [] })),
    'EmptyBatchRequest',
    'There should be at least one DeleteMessageBatchRequestEntry in the request.',
  );
  await rejects(
    sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: [] })),
    'EmptyBatchRequest',
    'There should be at least one ChangeMessageVisibilityBatchRequestEntry in the request.',
  );
  const big = 'x'.repeat(300_000);
  await rejects(
    sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [0, 1, 2, 3].map((i) => ({ Id: `m${i}`, MessageBody: big })) })),
    'BatchRequestTooLong',
    'Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.',
  );
});

it('an empty Policy or RedrivePolicy removes the attribute', async () => {
  await createQueue(sqs, 'dead');
  const url = await createQueue(sqs, 'guarded', {
    Policy: '{"Version":"2012-10-17","Statement":[]}',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dead', maxReceiveCount: 2 }),
  });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: '', RedrivePolicy: '' } }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  assert.equal(Attributes?.Policy, undefined);
  assert.equal(Attributes?.RedrivePolicy, undefined);
});

it('MessageAttributeNames takes a prefix wildcard; AWSTraceHeader comes back; an older receipt handle changes visibility while in flight', async () => {
  const url = await createQueue(sqs, 'attrs', { VisibilityTimeout: '10' });
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: 'm',
      MessageAttributes: {
        'Custom.a': { DataType: 'String', StringValue: '1' },
        'Custom.b': { DataType: 'String', StringValue: '2' },
        Other: { DataType: 'String', StringValue: '3' },
      },
      MessageSystemAttributes: {
        AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' },
      },
    }),
  );
  const first = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['Custom.*'], MessageSystemAttributeNames: ['AWSTraceHeader'] }),
  );
  const m = first.Messages![0]!;
  assert.deepEqual(Object.keys(m.MessageAttributes ?? {}).sort(), ['Custom.a', 'Custom.b']);
  assert.equal(m.Attributes?.AWSTraceHeader, 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
  clock.advance(11_000);
  const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
  assert.ok(second.Messages?.[0]);
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
  assert.ok((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.[0], 'the older handle made it visible');
});

it('the prefix wildcard through the AWS CLI (awsQuery)', { skip: awsCliSkip }, async () => {
  const url = await createQueue(sqs, 'cli-attrs');
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: 'm',
      MessageAttributes: { 'Custom.a': { DataType: 'String', StringValue: '1' }, Other: { DataType: 'String', StringValue: '3' } },
    }),
  );
  const { stdout } = await promisify(execFile)(
    AWS,
    ['--endpoint-url', app.url, '--output', 'json', 'sqs', 'receive-message', '--queue-url', url, '--message-attribute-names', 'Custom.*'],
    { env: awsCliEnv() },
  );
  const got = JSON.parse(stdout) as { Messages: { MessageAttributes?: Record<string, unknown> }[] };
  assert.deepEqual(Object.keys(got.Messages[0]!.MessageAttributes ?? {}), ['Custom.a']);
});
