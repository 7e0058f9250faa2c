import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { assertQueryError, auth, form, FORM, fuzzOptions, index, internalErrors, oddKeys, parseXml } from './fuzz-support.js';
import { inProcessFetch } from '../support/in-process.js';

/**
 * SNS over awsQuery: whatever form arrives — any Action, parameters of any shape, indexes that
 * are odd or huge — the answer is a success or `<ErrorResponse>` with a 4xx, never a 500; and a
 * refused request leaves topics, their attributes and tags, and subscriptions as they were.
 */
let app: App;
/** Requests go to the server's socket-free handle (behaviour); the health checks use the socket. */
const send: ReturnType<typeof inProcessFetch> = (url, init) => inProcessFetch(app)(url, init);
const log: string[] = [];
const ACCOUNT = '000000000000';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:fuzz-topic`;
let subscriptionArn = '';

async function call(body: string): Promise<{ status: number; text: string }> {
  const res = await send(app.url, { method: 'POST', headers: { 'content-type': FORM, authorization: auth('sns') }, body });
  return { status: res.status, text: await res.text() };
}

const action = (name: string, params: [string, string][] = []) => call(form([['Action', name], ['Version', '2010-03-31'], ...params]));

before(async () => {
  app = await startTestServer({}, { log: (m) => log.push(m) });
  assert.equal((await action('CreateTopic', [['Name', 'fuzz-topic']])).status, 200);
  const q = await send(app.url, {
    method: 'POST',
    headers: { 'content-type': FORM, authorization: auth('sqs') },
    body: 'Action=CreateQueue&Version=2012-11-05&QueueName=fuzz-q',
  });
  assert.equal(q.status, 200, await q.text());
  const sub = await action('Subscribe', [
    ['TopicArn', TOPIC],
    ['Protocol', 'email'],
    ['Endpoint', 'fuzz@example.com'],
    ['ReturnSubscriptionArn', 'true'],
  ]);
  assert.equal(sub.status, 200, sub.text);
  subscriptionArn = /<SubscriptionArn>([^<]+)</.exec(sub.text)![1]!;
});
after(() => app.close());

const ACTIONS = [
  'CreateTopic',
  'DeleteTopic',
  'ListTopics',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'Subscribe',
  'ConfirmSubscription',
  'Unsubscribe',
  'ListSubscriptions',
  'ListSubscriptionsByTopic',
  'GetSubscriptionAttributes',
  'SetSubscriptionAttributes',
  'Publish',
  'PublishBatch',
];
/** Operations that change something: a refusal of one of them must change nothing. */
const WRITES = new Set([
  'CreateTopic',
  'DeleteTopic',
  'SetTopicAttributes',
  'TagResource',
  'UntagResource',
  'Subscribe',
  'ConfirmSubscription',
  'Unsubscribe',
  'SetSubscriptionAttributes',
]);

const arn = fc.oneof(
  fc.constantFrom(
    TOPIC,
    `arn:aws:sns:us-east-1:${ACCOUNT}:missing`,
    `arn:aws:sns:us-east-1:${ACCOUNT}:fuzz-topic:not-a-sub`,
    'arn:aws:sns:eu-west-1:111111111111:x',
    'arn:aws:sqs:us-east-1:000000000000:fuzz-q',
    'arn:',
    'fuzz-topic',
    '',
    '%',
    'arn:aws:sns:us-east-1:000000000000:',
  ),
  fc.constant('SUB').map(() => subscriptionArn),
  fc.string({ maxLength: 40 }),
);
const value = fc.oneof(
  arn,
  fc.constantFrom(
    'true',
    'false',
    'TRUE',
    '0',
    '-1',
    '99999999999999999999',
    '{}',
    '[]',
    '{"default":"x"}',
    'json',
    'String',
    'Number',
    'Binary',
    'String.Array',
    'sqs',
    'email',
    'http',
    'lambda',
    'sms',
    'application',
    'fuzz@example.com',
    'fuzz-topic',
    'x.fifo',
    'FifoTopic',
    'DisplayName',
    'Policy',
    'RawMessageDelivery',
    'FilterPolicy',
    'FilterPolicyScope',
    'MessageBody',
    'RedrivePolicy',
    'DeliveryPolicy',
    'KmsMasterKeyId',
    'ContentBasedDeduplication',
    '{"a":["b"]}',
    '{"a":[{"numeric":[">",1]}]}',
    'aGVsbG8=',
    'not base64!',
  ),
  fc.constantFrom(...oddKeys),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ minLength: 200, maxLength: 400 }),
);
const key = fc.oneof(
  fc.constantFrom(
    'TopicArn',
    'Name',
    'TargetArn',
    'PhoneNumber',
    'Message',
    'Subject',
    'MessageStructure',
    'MessageGroupId',
    'MessageDeduplicationId',
    'Protocol',
    'Endpoint',
    'SubscriptionArn',
    'AttributeName',
    'AttributeValue',
    'Token',
    'AuthenticateOnUnsubscribe',
    'NextToken',
    'ResourceArn',
    'ReturnSubscriptionArn',
    'Version',
  ),
  fc.tuple(index, fc.constantFrom('key', 'value', '')).map(([n, k]) => `Attributes.entry.${n}.${k}`),
  fc.tuple(index, fc.constantFrom('Key', 'Value', '')).map(([n, k]) => `Tags.member.${n}.${k}`),
  index.map((n) => `TagKeys.member.${n}`),
  fc
    .tuple(index, fc.constantFrom('Name', 'Value.DataType', 'Value.StringValue', 'Value.BinaryValue', 'Value'))
    .map(([n, k]) => `MessageAttributes.entry.${n}.${k}`),
  fc
    .tuple(
      index,
      fc.constantFrom(
        'Id',
        'Message',
        'Subject',
        'MessageStructure',
        'MessageGroupId',
        'MessageDeduplicationId',
        'MessageAttributes.entry.1.Name',
        'MessageAttributes.entry.1.Value.DataType',
        'MessageAttributes.entry.1.Value.StringValue',
      ),
    )
    .map(([n, k]) => `PublishBatchRequestEntries.member.${n}.${k}`),
  fc.constantFrom(...oddKeys),
  fc.string({ maxLength: 12 }),
);
const params = fc.array(fc.tuple(key, value), { maxLength: 10 });
const actionName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...ACTIONS) },
  { weight: 1, arbitrary: fc.constantFrom('Nope', '', 'createtopic', ...oddKeys) },
);
const body = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(actionName, params).map(([a, ps]) => form([['Action', a], ['Version', '2010-03-31'], ...ps])) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => `Action=Publish&Version=2010-03-31&${s}`) },
);

/** Everything a refused write could have touched: topics, their attributes and tags, subscriptions. */
async function snapshot(): Promise<string> {
  const svc = app.notifications.sns;
  const ctx = { accountId: ACCOUNT, region: 'us-east-1', requestId: 'snapshot' };
  const topics = await svc.listTopics(ctx, {});
  const out: unknown[] = [];
  for (const t of topics.Topics ?? []) {
    const attrs = (await svc.getTopicAttributes(ctx, { TopicArn: t.TopicArn })).Attributes ?? {};
    out.push(t.TopicArn, attrs, await svc.listTagsForResource(ctx, { ResourceArn: t.TopicArn }));
  }
  out.push(await svc.subscriptions.listSubscriptions(ctx, {}));
  return JSON.stringify(out);
}

test('no SNS request makes the server crash, answer 5xx, or answer anything but awsQuery XML', async () => {
  await fc.assert(
    fc.asyncProperty(body, async (text) => {
      const res = await call(text);
      if (res.status === 200) parseXml(res.text, text);
      else assertQueryError(res.status, res.text, text);
    }),
    fuzzOptions(300, 20261201),
  );
  assert.deepEqual(internalErrors(log), []);
  assert.equal((await fetch(`${app.url}/_amiwatch/health`)).status, 200);
});

test('a refused SNS write leaves nothing half-written', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...WRITES), params, async (op, ps) => {
      const before = await snapshot();
      const res = await action(op, ps);
      if (res.status === 200) return;
      assertQueryError(res.status, res.text, `${op} ${JSON.stringify(ps)}`);
      assert.equal(await snapshot(), before, `${op} ${JSON.stringify(ps)} was refused but changed state: ${res.text}`);
    }),
    fuzzOptions(150, 20261202),
  );
  assert.deepEqual(internalErrors(log), []);
});
