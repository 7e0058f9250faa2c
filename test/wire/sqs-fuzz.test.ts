import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import {
  assertJsonError,
  assertQueryError,
  auth,
  form,
  FORM,
  fuzzOptions,
  index,
  internalErrors,
  oddKeys,
  parseXml,
} from './fuzz-support.js';
import { inProcessFetch } from '../support/in-process.js';

/**
 * SQS on both of its protocols — JSON 1.0 (`X-Amz-Target: AmazonSQS.<Op>`) and awsQuery
 * (`Action=<Op>&Version=2012-11-05`) — answers whatever arrives with a success or its own error
 * shape and a 4xx, never a 500; a refused write leaves queues, attributes, tags and message
 * counts as they were. Long polls are kept out (WaitTimeSeconds and ReceiveMessageWaitTimeSeconds
 * are forced to 0) so a run never waits.
 */
let app: App;
/** Requests go to the server's socket-free handle (behaviour); the health checks use the socket. */
const send: ReturnType<typeof inProcessFetch> = (url, init) => inProcessFetch(app)(url, init);
const log: string[] = [];
const ACCOUNT = '000000000000';
const JSON10 = 'application/x-amz-json-1.0';

async function post(headers: Record<string, string>, body: string, path = '/'): Promise<{ status: number; text: string }> {
  const res = await send(`${app.url}${path}`, {
    method: 'POST',
    headers: { authorization: auth('sqs'), ...headers },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}
const jsonCall = (op: string, body: string) => post({ 'content-type': JSON10, 'x-amz-target': `AmazonSQS.${op}` }, body);
const queryCall = (body: string, path = '/') => post({ 'content-type': FORM }, body, path);

before(async () => {
  app = await startTestServer({}, { log: (m) => log.push(m) });
  for (const [name, attrs] of [
    ['fuzz-q', {}],
    ['fuzz-dlq', {}],
    ['fuzz-q.fifo', { FifoQueue: 'true' }],
  ] as const) {
    const r = await jsonCall('CreateQueue', JSON.stringify({ QueueName: name, Attributes: attrs }));
    assert.equal(r.status, 200, r.text);
  }
  await jsonCall('SendMessage', JSON.stringify({ QueueUrl: `${app.url}/${ACCOUNT}/fuzz-q`, MessageBody: 'hello' }));
});
after(() => app.close());

const OPS = [
  'CreateQueue',
  'GetQueueUrl',
  'ListQueues',
  'DeleteQueue',
  'PurgeQueue',
  'GetQueueAttributes',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
  'ListQueueTags',
  'ListDeadLetterSourceQueues',
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
];
/** Writes whose refusal must change nothing (DeleteQueue and PurgeQueue are kept out: they would empty the fixture). */
const WRITES = ['CreateQueue', 'SetQueueAttributes', 'TagQueue', 'UntagQueue', 'SendMessage', 'SendMessageBatch'];
const opName = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...OPS) },
  { weight: 1, arbitrary: fc.constantFrom('Nope', '', 'sendmessage', ...oddKeys) },
);

const queueUrl = fc.oneof(
  fc.constantFrom('fuzz-q', 'fuzz-dlq', 'fuzz-q.fifo', 'missing').map((n) => `${app.url}/${ACCOUNT}/${n}`),
  fc.constantFrom(
    `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/fuzz-q`,
    `/${ACCOUNT}/fuzz-q`,
    'fuzz-q',
    '',
    'http://',
    'http://[::1',
    '%zz',
    `/${ACCOUNT}/`,
    '/123/fuzz-q',
    `/${ACCOUNT}/fuzz-q/extra`,
    `http://x/${ACCOUNT}/..`,
    `http://x/${ACCOUNT}/%2e%2e`,
    `http://x/${ACCOUNT}/${'a'.repeat(90)}`,
  ),
  fc.string({ maxLength: 30 }),
);
const queueArn = fc.oneof(
  fc.constantFrom('fuzz-q', 'fuzz-dlq', 'fuzz-q.fifo', 'missing').map((n) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${n}`),
  fc.constantFrom('arn:aws:sns:us-east-1:000000000000:t', 'arn:', ''),
  fc.string({ maxLength: 20 }),
);
const ATTRIBUTE_NAMES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'Policy',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'All',
  'QueueArn',
  'ApproximateNumberOfMessages',
];
const attrValue = fc.oneof(
  fc.constantFrom(
    '0',
    '1',
    '-1',
    '60',
    '1209600',
    '99999999999999999999',
    'true',
    'false',
    '{}',
    '[]',
    'x',
    '',
    JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:fuzz-dlq`, maxReceiveCount: 3 }),
    JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:missing`, maxReceiveCount: '3' }),
    JSON.stringify({ deadLetterTargetArn: 5 }),
    JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: 'x' }),
    '{"Version":"2012-10-17","Statement":"x"}',
    'messageGroup',
    'perQueue',
    'perMessageGroupId',
  ),
  fc.string({ maxLength: 20 }),
);
const attrName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ATTRIBUTE_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...oddKeys) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);
const DATA_TYPES = ['String', 'Number', 'Binary', 'String.custom', 'Number.x', 'Binary.', 'string', '', 'Bool'];

// ---- JSON 1.0 ----------------------------------------------------------------------------

const weird = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, true, -1, 1.5, 1e21, '', [], {}));
const jsonMessageAttributes = fc.oneof(
  fc.dictionary(
    fc.oneof(
      fc.constantFrom('a', 'AWS.x', 'amazon.y', '.a', 'a..b', 'a'.repeat(300)),
      fc.constantFrom(...oddKeys),
      fc.string({ maxLength: 8 }),
    ),
    fc.oneof(
      fc.record(
        {
          DataType: fc.oneof(fc.constantFrom(...DATA_TYPES), weird),
          StringValue: fc.oneof(fc.string({ maxLength: 10 }), weird),
          BinaryValue: fc.oneof(fc.constantFrom('aGVsbG8=', '!!'), weird),
          StringListValues: weird,
        },
        { requiredKeys: [] },
      ),
      weird,
    ),
    { maxKeys: 4 },
  ),
  weird,
);
const entry = fc.record(
  {
    Id: fc.oneof(fc.constantFrom('a', 'b', 'a', '', 'x'.repeat(81), 'bad id!'), weird),
    MessageBody: fc.oneof(fc.string({ maxLength: 20 }), weird),
    ReceiptHandle: fc.oneof(fc.string({ maxLength: 20 }), weird),
    DelaySeconds: fc.oneof(fc.integer({ min: -2, max: 1000 }), weird),
    VisibilityTimeout: fc.oneof(fc.integer({ min: -2, max: 50000 }), weird),
    MessageAttributes: jsonMessageAttributes,
    MessageGroupId: fc.oneof(fc.string({ maxLength: 5 }), weird),
    MessageDeduplicationId: fc.oneof(fc.string({ maxLength: 5 }), weird),
  },
  { requiredKeys: [] },
);
const jsonMember: [string, fc.Arbitrary<unknown>][] = [
  ['QueueName', fc.oneof(fc.constantFrom('fuzz-q', 'fuzz-q.fifo', 'new-q', 'new.fifo', 'bad name', 'a'.repeat(81)), weird)],
  ['QueueUrl', fc.oneof(queueUrl, weird)],
  ['QueueOwnerAWSAccountId', fc.oneof(fc.constantFrom(ACCOUNT, '1', ''), weird)],
  ['QueueNamePrefix', fc.oneof(fc.string({ maxLength: 6 }), weird)],
  ['NextToken', fc.oneof(fc.string({ maxLength: 10 }), weird)],
  ['MaxResults', fc.oneof(fc.integer({ min: -5, max: 2000 }), weird)],
  ['Attributes', fc.oneof(fc.dictionary(attrName, fc.oneof(attrValue, weird), { maxKeys: 4 }), weird)],
  ['tags', fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), weird), { maxKeys: 3 }), weird)],
  ['Tags', fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), weird), { maxKeys: 3 }), weird)],
  ['TagKeys', fc.oneof(fc.array(fc.oneof(fc.string({ maxLength: 6 }), weird), { maxLength: 3 }), weird)],
  ['AttributeNames', fc.oneof(fc.array(fc.oneof(attrName, weird), { maxLength: 3 }), weird)],
  ['MessageAttributeNames', fc.oneof(fc.array(fc.oneof(fc.constantFrom('All', '.*', 'a.*'), weird), { maxLength: 3 }), weird)],
  ['MessageSystemAttributeNames', fc.oneof(fc.array(fc.oneof(fc.constantFrom('All', 'SenderId', 'Nope'), weird), { maxLength: 3 }), weird)],
  ['MaxNumberOfMessages', fc.oneof(fc.integer({ min: -2, max: 12 }), weird)],
  ['VisibilityTimeout', fc.oneof(fc.integer({ min: -2, max: 50000 }), weird)],
  ['WaitTimeSeconds', fc.oneof(fc.constantFrom(0, -1, 21, 1e9, 0.5), weird)],
  ['DelaySeconds', fc.oneof(fc.integer({ min: -2, max: 1000 }), weird)],
  ['MessageBody', fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 10 }), weird)],
  ['MessageAttributes', jsonMessageAttributes],
  ['MessageSystemAttributes', jsonMessageAttributes],
  ['MessageGroupId', fc.oneof(fc.string({ maxLength: 5 }), weird)],
  ['MessageDeduplicationId', fc.oneof(fc.string({ maxLength: 5 }), weird)],
  ['ReceiptHandle', fc.oneof(fc.string({ maxLength: 30 }), weird)],
  ['Entries', fc.oneof(fc.array(fc.oneof(entry, weird), { maxLength: 12 }), weird)],
  ['SourceArn', fc.oneof(queueArn, weird)],
  ['DestinationArn', fc.oneof(queueArn, weird)],
  ['MaxNumberOfMessagesPerSecond', fc.oneof(fc.integer({ min: -1, max: 600 }), weird)],
  ['TaskHandle', fc.oneof(fc.string({ maxLength: 20 }), weird)],
];
const jsonInput = fc
  .array(fc.constantFrom(...jsonMember.map((_, i) => i)), { maxLength: 6 })
  .chain((picks) =>
    fc
      .tuple(...[...new Set(picks)].map((i) => jsonMember[i]![1].map((v) => [jsonMember[i]![0], v] as const)))
      .map((kv) => Object.fromEntries(kv) as Record<string, unknown>),
  );

/** No long polls: WaitTimeSeconds and ReceiveMessageWaitTimeSeconds are made 0 wherever they could mean a wait. */
function noWaitJson(input: Record<string, unknown>): Record<string, unknown> {
  if (typeof input.WaitTimeSeconds === 'number' && input.WaitTimeSeconds > 0 && input.WaitTimeSeconds <= 20) input.WaitTimeSeconds = 0;
  const attrs = input.Attributes;
  if (attrs && typeof attrs === 'object' && 'ReceiveMessageWaitTimeSeconds' in attrs)
    (attrs as Record<string, unknown>).ReceiveMessageWaitTimeSeconds = '0';
  return input;
}
const jsonBody = fc.oneof(
  { weight: 8, arbitrary: jsonInput.map((o) => JSON.stringify(noWaitJson(o))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', 'null', '[]', '"x"', '{"QueueUrl":', '\u0000', '{"__proto__":{"QueueUrl":"x"}}') },
);

// ---- awsQuery ----------------------------------------------------------------------------

const qValue = fc.oneof(
  queueUrl,
  queueArn,
  attrValue,
  fc.constantFrom(...DATA_TYPES, ...ATTRIBUTE_NAMES, 'All', 'hello', 'aGVsbG8=', '1', '10', '-1', 'x'),
  fc.constantFrom(...oddKeys),
  fc.string({ unit: 'binary', maxLength: 10 }),
);
const qKey = fc.oneof(
  fc.constantFrom(
    'QueueUrl',
    'QueueName',
    'QueueOwnerAWSAccountId',
    'QueueNamePrefix',
    'NextToken',
    'MaxResults',
    'MessageBody',
    'DelaySeconds',
    'ReceiptHandle',
    'VisibilityTimeout',
    'MaxNumberOfMessages',
    'SourceArn',
    'DestinationArn',
    'MaxNumberOfMessagesPerSecond',
    'TaskHandle',
    'Version',
  ),
  fc.tuple(index, fc.constantFrom('Name', 'Value', '')).map(([n, k]) => `Attribute.${n}.${k}`),
  fc.tuple(index, fc.constantFrom('Key', 'Value')).map(([n, k]) => `Tag.${n}.${k}`),
  fc
    .tuple(fc.constantFrom('AttributeName', 'TagKey', 'MessageAttributeName', 'MessageSystemAttributeName'), index)
    .map(([k, n]) => `${k}.${n}`),
  fc
    .tuple(index, fc.constantFrom('Name', 'Value.DataType', 'Value.StringValue', 'Value.BinaryValue', 'Value.StringListValue.1', 'Value'))
    .map(([n, k]) => `MessageAttribute.${n}.${k}`),
  fc
    .tuple(
      fc.constantFrom('SendMessageBatchRequestEntry', 'DeleteMessageBatchRequestEntry', 'ChangeMessageVisibilityBatchRequestEntry'),
      index,
      fc.constantFrom(
        'Id',
        'MessageBody',
        'DelaySeconds',
        'ReceiptHandle',
        'VisibilityTimeout',
        'MessageAttribute.1.Name',
        'MessageAttribute.1.Value.DataType',
        'MessageAttribute.1.Value.StringValue',
      ),
    )
    .map(([p, n, k]) => `${p}.${n}.${k}`),
  fc.constantFrom(...oddKeys),
  fc.string({ maxLength: 10 }),
);

/** No long polls on the query side either: the wait parameter and attribute are never a real wait. */
function noWaitQuery(params: [string, string][]): [string, string][] {
  const waitAttr = new Set(
    params
      .filter(([k, v]) => /^Attribute\.[^.]+\.Name$/.test(k) && v === 'ReceiveMessageWaitTimeSeconds')
      .map(([k]) => k.replace(/Name$/, 'Value')),
  );
  return params.map(([k, v]) => [k, k === 'WaitTimeSeconds' || waitAttr.has(k) ? '0' : v]);
}
const queryParams = fc.array(fc.tuple(qKey, qValue), { maxLength: 10 });
const queryPath = fc.constantFrom(
  '/',
  '/',
  '/',
  `/${ACCOUNT}/fuzz-q`,
  `/${ACCOUNT}/missing`,
  `/${ACCOUNT}/fuzz-q.fifo`,
  '/%zz/x',
  `/${ACCOUNT}/%zz`,
  '/?Action=ListQueues',
);
const queryBody = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.tuple(opName, queryParams).map(([a, ps]) => form(noWaitQuery([['Action', a], ['Version', '2012-11-05'], ...ps]))),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ maxLength: 60 })
      .filter((s) => !/WaitTime/i.test(s))
      .map((s) => `Action=SendMessage&Version=2012-11-05&${s}`),
  },
);

// ---- regressions (shrunk from the fuzzer's counterexamples) -------------------------------

test('JSON 1.0: a member of the wrong type is InvalidParameterValue, not a 500', async () => {
  for (const [op, body] of [
    ['GetQueueAttributes', { QueueUrl: true }],
    ['SendMessage', { QueueUrl: `${app.url}/${ACCOUNT}/fuzz-q`, MessageBody: 5 }],
    ['CreateQueue', { QueueName: 123 }],
    ['SendMessageBatch', { QueueUrl: `${app.url}/${ACCOUNT}/fuzz-q`, Entries: {} }],
  ] as const) {
    const res = await jsonCall(op, JSON.stringify(body));
    assert.equal(res.status, 400, `${op} ${res.text}`);
    assert.equal((JSON.parse(res.text) as { __type: string }).__type, 'com.amazonaws.sqs#InvalidParameterValue');
  }
  assert.deepEqual(internalErrors(log), []);
});

// ---- properties --------------------------------------------------------------------------

test('no SQS JSON 1.0 request makes the server crash or answer anything but a JSON 1.0 result', async () => {
  await fc.assert(
    fc.asyncProperty(opName, jsonBody, async (op, body) => {
      const res = await jsonCall(op, body);
      if (res.status === 200) JSON.parse(res.text);
      else assertJsonError(res.status, res.text, `${op} ${body}`);
    }),
    fuzzOptions(300, 20261203),
  );
  assert.deepEqual(internalErrors(log), []);
  assert.equal((await fetch(`${app.url}/_amiwatch/health`)).status, 200);
});

test('no SQS awsQuery request makes the server crash or answer anything but awsQuery XML', async () => {
  await fc.assert(
    fc.asyncProperty(queryPath, queryBody, async (path, body) => {
      const res = await queryCall(body, path);
      if (res.status === 200) parseXml(res.text, `${path} ${body}`);
      else assertQueryError(res.status, res.text, `${path} ${body}`);
    }),
    fuzzOptions(300, 20261204),
  );
  assert.deepEqual(internalErrors(log), []);
  assert.equal((await fetch(`${app.url}/_amiwatch/health`)).status, 200);
});

/** Queues, attributes (message counts summed: messages move between visible and in flight on their own), tags. */
async function snapshot(): Promise<string> {
  const sqs = app.notifications.sqs;
  const ctx = { accountId: ACCOUNT, region: 'us-east-1', requestId: 'snapshot' };
  const out: unknown[] = [];
  for (const url of (await sqs.listQueues(ctx, {})).QueueUrls ?? []) {
    const { Attributes: a = {} }: { Attributes?: Record<string, string> } = await sqs.getQueueAttributes(ctx, {
      QueueUrl: url,
      AttributeNames: ['All'],
    });
    const counts = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'];
    const total = counts.reduce((n, k) => n + Number(a[k] ?? 0), 0);
    const rest = Object.fromEntries(Object.entries(a).filter(([k]) => !counts.includes(k)));
    out.push(url, total, rest, await sqs.listQueueTags(ctx, { QueueUrl: url }));
  }
  return JSON.stringify(out);
}

test('a refused SQS write (either protocol) leaves nothing half-written', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...WRITES), fc.boolean(), jsonInput, queryParams, async (op, asJson, input, params) => {
      const before = await snapshot();
      const what = asJson ? `${op} ${JSON.stringify(input)}` : `${op} ${JSON.stringify(params)}`;
      const res = asJson
        ? await jsonCall(op, JSON.stringify(noWaitJson(input)))
        : await queryCall(form(noWaitQuery([['Action', op], ['Version', '2012-11-05'], ...params])));
      if (res.status === 200) return;
      if (asJson) assertJsonError(res.status, res.text, what);
      else assertQueryError(res.status, res.text, what);
      assert.equal(await snapshot(), before, `${what} was refused but changed state: ${res.text}`);
    }),
    fuzzOptions(150, 20261205),
  );
  assert.deepEqual(internalErrors(log), []);
});
