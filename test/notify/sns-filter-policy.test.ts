import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  CreateTopicCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  type MessageAttributeValue,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, sqsClient } from './helpers.js';

/** SNS filter policies on the EventBridge pattern engine, through the real SDK clients (SNS → SQS). */
let app: App;
let sns: SNSClient;
let sqs: SQSClient;
let TopicArn: string;
before(async () => {
  app = await startTestServer();
  sns = snsClient(app);
  sqs = sqsClient(app);
  TopicArn = (await sns.send(new CreateTopicCommand({ Name: 'filtered' }))).TopicArn!;
});
after(async () => {
  sns.destroy();
  sqs.destroy();
  await app.close();
});

let n = 0;
/** A raw-delivery queue subscribed with a policy; returns its URL and subscription ARN. */
async function subscriber(policy: string, scope = 'MessageAttributes'): Promise<{ url: string; arn: string }> {
  const name = `f${++n}`;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      ReturnSubscriptionArn: true,
      Attributes: { RawMessageDelivery: 'true', FilterPolicyScope: scope, FilterPolicy: policy },
    }),
  );
  return { url: QueueUrl!, arn: SubscriptionArn! };
}

async function bodies(url: string): Promise<string[]> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  for (const m of Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  return (Messages ?? []).map((m) => m.Body!);
}

const publish = (Message: string, MessageAttributes?: Record<string, MessageAttributeValue>) =>
  sns.send(new PublishCommand({ TopicArn, Message, ...(MessageAttributes && { MessageAttributes }) }));
const rejectsWith = (policy: string, text: string | RegExp, scope = 'MessageAttributes') =>
  assert.rejects(
    subscriber(policy, scope),
    (e: Error) => (
      assert.equal(e.name, 'InvalidParameterException'),
      typeof text === 'string' ? assert.equal(e.message, text) : assert.match(e.message, text),
      true
    ),
  );

it('MessageBody scope looks inside arrays of objects (an S3 notification)', async () => {
  const s3 = await subscriber('{"Records":{"eventName":[{"prefix":"ObjectCreated:"}]}}', 'MessageBody');
  await publish(JSON.stringify({ Records: [{ eventName: 'ObjectRemoved:Delete' }, { eventName: 'ObjectCreated:Put' }] }));
  await publish(JSON.stringify({ Records: [{ eventName: 'ObjectRemoved:Delete' }] }));
  await publish('not json');
  assert.equal((await bodies(s3.url)).length, 1);
});

it('numbers match to 5 decimal places; String.Array may hold one value; Binary attributes are absent', async () => {
  const exact = await subscriber('{"price":[{"numeric":["=",100.000001]}]}');
  const hundred = await subscriber('{"sizes":[100]}');
  const noBinary = await subscriber('{"blob":[{"exists":false}],"kind":["x"]}');
  await publish('p1', { price: { DataType: 'Number', StringValue: '100.000002' } });
  await publish('p2', { price: { DataType: 'Number', StringValue: '100.0001' } });
  await publish('s1', { sizes: { DataType: 'String.Array', StringValue: '100' } });
  await publish('s2', { sizes: { DataType: 'String.Array', StringValue: '[99, 100]' } });
  await publish('s3', { sizes: { DataType: 'String', StringValue: '100' } });
  await publish('b1', { kind: { DataType: 'String', StringValue: 'x' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from('x') } });
  await publish('b2', { kind: { DataType: 'String', StringValue: 'x' }, blob: { DataType: 'String', StringValue: 'x' } });
  assert.deepEqual(await bodies(exact.url), ['p1']);
  assert.deepEqual((await bodies(hundred.url)).sort(), ['s1', 's2'], 'a String attribute "100" is not the number 100');
  assert.deepEqual(await bodies(noBinary.url), ['b1']);
});

it('refuses policies as SNS does: non-numeric bounds, more than 5 keys, more than 150 combinations, nesting in attribute scope', async () => {
  await rejectsWith(
    '{"n":[{"numeric":[">","x"]}]}',
    'Invalid parameter: FilterPolicy: Value of > must be numeric\n at [Source: (String)"{"n":[{"numeric":[">","x"]}]}"; line: 1, column: 24]',
  );
  await rejectsWith(
    '{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}',
    'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys',
  );
  const ten = JSON.stringify([...Array(10).keys()].map(String));
  await rejectsWith(`{"a":${ten},"b":${ten},"c":["x","y"]}`, 'Invalid parameter: FilterPolicy: Filter policy is too complex');
  await subscriber(`{"a":${ten},"b":${ten}}`); // 100 combinations: accepted
  await rejectsWith(
    '{"detail":{"state":["x"]}}',
    'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
  );
  await subscriber('{"detail":{"state":["x"]}}', 'MessageBody');
  await assert.rejects(
    publish('x', { list: { DataType: 'String.Array', StringValue: '{"a":1}' } }),
    (e: Error) => e.name === 'ParameterValueInvalid' || /String\.Array/.test(e.message),
  );
});

it('one topic, many filtered subscriptions: each gets what its policy takes, and a changed policy applies at once', async () => {
  const subs = [];
  for (let i = 0; i < 8; i++) subs.push(await subscriber(`{"shard":["s${i}"]}`));
  for (let i = 0; i < 8; i++) await publish(`m${i}`, { shard: { DataType: 'String', StringValue: `s${i}` } });
  for (let i = 0; i < 8; i++) assert.deepEqual(await bodies(subs[i]!.url), [`m${i}`]);
  await sns.send(
    new SetSubscriptionAttributesCommand({
      SubscriptionArn: subs[0]!.arn,
      AttributeName: 'FilterPolicy',
      AttributeValue: '{"shard":["s7"]}',
    }),
  );
  await publish('again', { shard: { DataType: 'String', StringValue: 's7' } });
  assert.deepEqual(await bodies(subs[0]!.url), ['again']);
  assert.deepEqual(await bodies(subs[7]!.url), ['again']);
});
