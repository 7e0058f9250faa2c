import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { checkFilterPolicy, matchesAttributes, matchesBody } from '../../src/core/sns/filter-policy.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { queryCall, snsClient, sqsClient, waitFor } from './helpers.js';

let app: App;
let sns: SNSClient;
let sqs: SQSClient;
let webhook: Server;
const hooked: Record<string, unknown>[] = [];

before(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => (hooked.push(JSON.parse(body) as Record<string, unknown>), res.writeHead(204).end()));
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  app = await startTestServer({ notifyWebhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/sms` });
  sns = snsClient(app);
  sqs = sqsClient(app);
});
after(async () => {
  sns.destroy();
  sqs.destroy();
  await app.close();
  await new Promise((r) => webhook.close(r));
});

const queue = async (name: string) => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return { url: QueueUrl!, arn: `arn:aws:sqs:us-east-1:000000000000:${name}` };
};
const bodies = async (url: string) =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }))).Messages ?? [];

describe('SNS API with @aws-sdk/client-sns (awsQuery)', () => {
  it('topics: create (idempotent), list, attributes, tags, delete; NotFound is the modelled exception', async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: 'api', Attributes: { DisplayName: 'API' }, Tags: [{ Key: 'team', Value: 'ops' }] }),
    );
    assert.equal((await sns.send(new CreateTopicCommand({ Name: 'api', Attributes: { DisplayName: 'API' } }))).TopicArn, TopicArn);
    assert.ok((await sns.send(new ListTopicsCommand({}))).Topics?.some((t) => t.TopicArn === TopicArn));
    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    assert.equal(attrs.DisplayName, 'API');
    assert.equal(attrs.Owner, '000000000000');
    assert.ok(JSON.parse(attrs.Policy!).Statement);
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['team'] }));
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await assert.rejects(sns.send(new GetTopicAttributesCommand({ TopicArn })), (e: Error) => e.name === 'NotFoundException');
    await assert.rejects(
      sns.send(new SubscribeCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:api2', Protocol: 'carrier-pigeon', Endpoint: 'x' })),
      (e: Error) => e.name === 'NotFoundException',
    );
  });

  it('subscriptions: filter policies (attributes and body), raw delivery, MessageStructure json, PublishBatch', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fanout' }));
    const all = await queue('all');
    const big = await queue('big');
    const raw = await queue('raw');
    const body = await queue('body');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: all.arn }));
    const bigSub = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: big.arn,
        Attributes: { FilterPolicy: '{"size":[{"numeric":[">=",100]}]}' },
      }),
    );
    const rawSub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: raw.arn, ReturnSubscriptionArn: true }));
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: rawSub.SubscriptionArn,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'true',
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: body.arn,
        Attributes: { FilterPolicyScope: 'MessageBody', FilterPolicy: '{"detail":{"State":["available"]}}' },
      }),
    );
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: bigSub.SubscriptionArn }))).Attributes!;
    assert.equal(attrs.FilterPolicyScope, 'MessageAttributes');
    assert.equal(attrs.PendingConfirmation, 'false');
    assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions?.length, 4);

    await sns.send(
      new PublishCommand({ TopicArn, Message: 'small', MessageAttributes: { size: { DataType: 'Number', StringValue: '5' } } }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn,
        Message: JSON.stringify({ default: 'large', sqs: '{"detail":{"State":"available"}}' }),
        MessageStructure: 'json',
        MessageAttributes: { size: { DataType: 'Number', StringValue: '500' } },
      }),
    );
    const batch = await sns.send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'b1' },
          { Id: 'b', Message: '' },
        ],
      }),
    );
    assert.equal(batch.Successful?.length, 1);
    assert.equal(batch.Failed?.[0]?.Id, 'b');

    assert.deepEqual(
      (await bodies(all.url)).map((m) => JSON.parse(m.Body!).Message),
      ['small', '{"detail":{"State":"available"}}', 'b1'],
    );
    assert.deepEqual(
      (await bodies(big.url)).map((m) => JSON.parse(m.Body!).Message),
      ['{"detail":{"State":"available"}}'],
    );
    const rawMsgs = await bodies(raw.url);
    assert.deepEqual(
      rawMsgs.map((m) => m.Body),
      ['small', '{"detail":{"State":"available"}}', 'b1'],
      'raw: the message itself',
    );
    assert.equal(rawMsgs[0]!.MessageAttributes?.size?.StringValue, '5', 'raw: attributes carried over');
    assert.deepEqual(
      (await bodies(body.url)).map((m) => JSON.parse(JSON.parse(m.Body!).Message).detail.State),
      ['available'],
    );

    await assert.rejects(
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: bigSub.SubscriptionArn,
          AttributeName: 'FilterPolicy',
          AttributeValue: '{"a":"not-an-array"}',
        }),
      ),
      (e: Error) => e.name === 'InvalidParameterException',
    );
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: bigSub.SubscriptionArn }));
    assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions?.length, 3);
  });

  it('email without --smtp-url lands in the built-in mailbox; SMS in the outbox and at the webhook; lambda fails visibly', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'people', Attributes: { DisplayName: 'People' } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'dev@example.com' }));
    const mailbox = async () =>
      (
        (await (await fetch(`${app.url}/_amiwatch/mailbox?to=dev@example.com`)).json()) as {
          messages: { subject: string; text: string; fromName: string }[];
        }
      ).messages;
    const conf = await waitFor(
      async () => (await mailbox()).find((m) => m.subject === 'AWS Notification - Subscription Confirmation'),
      'mailbox confirmation',
    );
    assert.equal(conf.fromName, 'People');
    const link = /(http:\/\/\S+confirmation\.html\S+)/.exec(conf.text)![1]!;
    assert.equal((await fetch(link)).status, 200);

    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' }));
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:notify' }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'ami-1 is available', Subject: 'AMI' }));
    const mail = await waitFor(async () => (await mailbox()).find((m) => m.subject === 'AMI'), 'mailbox notification');
    assert.match(mail.text, /^ami-1 is available\n\n--\nIf you wish to stop receiving notifications/);
    // SMS goes through the delivery queue after Publish answered: recorded, then sent by the provider.
    const outbox = await waitFor(async () => {
      const o = (await (await fetch(`${app.url}/_amiwatch/outbox`)).json()) as {
        messages: { endpoint: string; message: string; status: string }[];
      };
      return o.messages.some((m) => m.status === 'sent') ? o : undefined;
    }, 'the SMS sent');
    assert.deepEqual(
      outbox.messages.map((m) => [m.endpoint, m.message, m.status]),
      [['+15555550100', 'ami-1 is available', 'sent']],
    );
    assert.equal(hooked[0]?.endpoint, '+15555550100');
    const lambda = await waitFor(async () => {
      const log = (await (await fetch(`${app.url}/_amiwatch/sns/deliveries`)).json()) as {
        deliveries: { protocol: string; status: string; error?: string }[];
      };
      return log.deliveries.find((d) => d.protocol === 'lambda');
    }, 'the lambda delivery settled');
    assert.equal(lambda?.status, 'failed');
    assert.match(lambda!.error!, /Function not found/);
  });

  it('awsQuery XML as CLI v2.9 reads it: members, entries, error shape', async () => {
    const created = await queryCall(app, 'sns', { Action: 'CreateTopic', Version: '2010-03-31', Name: 'xml' });
    assert.match(
      created.body,
      /<CreateTopicResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:000000000000:xml<\/TopicArn><\/CreateTopicResult><ResponseMetadata><RequestId>/,
    );
    const listed = await queryCall(app, 'sns', { Action: 'ListTopics', Version: '2010-03-31' });
    assert.match(listed.body, /<Topics><member><TopicArn>/);
    const attrs = await queryCall(app, 'sns', {
      Action: 'GetTopicAttributes',
      Version: '2010-03-31',
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:xml',
    });
    assert.match(attrs.body, /<Attributes><entry><key>TopicArn<\/key><value>arn:aws:sns:us-east-1:000000000000:xml<\/value><\/entry>/);
    const missing = await queryCall(app, 'sns', {
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:none',
      Message: 'x',
    });
    assert.equal(missing.status, 404);
    assert.match(
      missing.body,
      /<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>NotFound<\/Code><Message>Topic does not exist<\/Message><\/Error><RequestId>/,
    );
  });
});

describe('SNS filter policy evaluator', () => {
  const a = (v: string, DataType = 'String') => ({ DataType, StringValue: v });
  it('matches AWS operators on attributes', () => {
    const p = checkFilterPolicy(
      '{"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],"price":[{"numeric":[">",0,"<=",100]}],"tags":[{"prefix":"a"}],"missing":[{"exists":false}]}',
      'MessageAttributes',
    );
    assert.ok(
      matchesAttributes(p, {
        store: a('example_corp'),
        event: a('order_placed'),
        price: a('10', 'Number'),
        tags: a('["x","ab"]', 'String.Array'),
      }),
    );
    assert.ok(
      !matchesAttributes(p, {
        store: a('example_corp'),
        event: a('order_cancelled'),
        price: a('10', 'Number'),
        tags: a('["ab"]', 'String.Array'),
      }),
    );
    assert.ok(
      !matchesAttributes(p, { store: a('example_corp'), event: a('x'), price: a('101', 'Number'), tags: a('["ab"]', 'String.Array') }),
    );
    assert.ok(
      !matchesAttributes(p, {
        store: a('example_corp'),
        event: a('x'),
        price: a('1', 'Number'),
        tags: a('["ab"]', 'String.Array'),
        missing: a('here'),
      }),
    );
  });
  it('matches nested keys and $or on bodies; non-JSON bodies never match', () => {
    const p = checkFilterPolicy('{"$or":[{"detail":{"State":["available"]}},{"source":[{"suffix":".ec2"}]}]}', 'MessageBody');
    assert.ok(matchesBody(p, '{"detail":{"State":"available"}}'));
    assert.ok(matchesBody(p, '{"source":"aws.ec2"}'));
    assert.ok(!matchesBody(p, '{"detail":{"State":"failed"}}'));
    assert.ok(!matchesBody(p, 'not json'));
  });
  it('rejects malformed policies with InvalidParameter', () => {
    assert.throws(() => checkFilterPolicy('[1]', 'MessageAttributes'), /FilterPolicy/);
    assert.throws(() => checkFilterPolicy('{"a":[{"nope":1}]}', 'MessageAttributes'), /Unrecognized match type nope/);
  });
});
