import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommonErrors } from '../../src/core/generated/errors.js';
import { DiskFullError } from '../../src/storage/store-errors.js';
import { dispatch } from '../../src/wire/dispatch.js';
import { ec2Model } from '../../src/wire/generated/ec2.js';
import { lambdaModel } from '../../src/wire/generated/lambda.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from '../../src/wire/json-depth.js';
import { ec2Protocol } from '../../src/wire/protocols/ec2.js';
import { restJsonProtocol } from '../../src/wire/protocols/rest-json.js';
import type { WireRequest } from '../../src/wire/service-handler.js';
import { eventsProtocol } from '../../src/wire/services/events.js';
import { sqsJsonProtocol } from '../../src/wire/services/sqs.js';

/**
 * Issue 22's "no 500s" on the generated wire layer: a full disk answers each protocol's retryable
 * 503 from the one dispatch (not an internal error, not logged as one), and a body nested deeper
 * than MAX_JSON_DEPTH is the caller's 400 before any parser recurses. The real full disk is
 * test/e2e/disk-full.test.ts; these pin the mapping for every protocol family.
 */
const ctx = { accountId: '111111111111', region: 'us-east-1', requestId: 'req-1' };
const request = (o: Partial<WireRequest>): WireRequest => ({
  method: 'POST',
  url: '/',
  headers: {},
  body: Buffer.alloc(0),
  context: ctx,
  ...o,
});
const full = async (): Promise<never> => {
  throw new DiskFullError('database or disk is full');
};
const sqliteFull = async (): Promise<never> => {
  throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
};
const lambdaProtocol = restJsonProtocol(lambdaModel, {
  unknownOperation: () => CommonErrors.UnknownOperationException('no such operation'),
  internalError: () => CommonErrors.ServiceException('An internal error occurred.'),
});

test('a full disk answers ServiceUnavailable (503) in JSON, and is not reported as an internal error', async () => {
  const internal: unknown[] = [];
  const handler = dispatch(eventsProtocol, { ListEventBuses: sqliteFull } as never, { onInternalError: (err) => internal.push(err) });
  const res = await handler(request({ headers: { 'x-amz-target': 'AWSEvents.ListEventBuses' }, body: Buffer.from('{}') }));
  assert.equal(res.status, 503);
  assert.equal(JSON.parse(String(res.body)).__type, 'ServiceUnavailable');
  assert.deepEqual(internal, []);
});

test('a full disk answers EC2 its own spelling, Unavailable (503)', async () => {
  const res = await dispatch(ec2Protocol(ec2Model), { DescribeImages: full } as never)(
    request({ body: Buffer.from('Action=DescribeImages&Version=2016-11-15') }),
  );
  assert.equal(res.status, 503);
  assert.match(String(res.body), /<Code>Unavailable<\/Code>/);
});

test('anything else is still an internal error, reported once', async () => {
  const internal: unknown[] = [];
  const handler = dispatch(eventsProtocol, { ListEventBuses: async () => Promise.reject(new Error('bug')) } as never, {
    onInternalError: (err) => internal.push(err),
  });
  const res = await handler(request({ headers: { 'x-amz-target': 'AWSEvents.ListEventBuses' }, body: Buffer.from('{}') }));
  assert.equal(res.status, 500);
  assert.equal(internal.length, 1);
});

const nested = (depth: number) => `{"Entries":${'['.repeat(depth)}${']'.repeat(depth)}}`;

test('jsonDepthWithin counts brackets outside strings only', () => {
  assert.equal(jsonDepthWithin(nested(MAX_JSON_DEPTH - 1)), true);
  assert.equal(jsonDepthWithin(nested(MAX_JSON_DEPTH)), false);
  assert.equal(jsonDepthWithin(JSON.stringify({ s: '['.repeat(5000) })), true);
  assert.equal(jsonDepthWithin(JSON.stringify({ s: '\\"['.repeat(5000) })), true);
});

test('a JSON body nested 2,500 deep is a 400 in JSON 1.0 and 1.1, never reaching the operation', async () => {
  for (const [protocol, target] of [
    [eventsProtocol, 'AWSEvents.PutEvents'],
    [sqsJsonProtocol, 'AmazonSQS.SendMessage'],
  ] as const) {
    const res = await dispatch(protocol, { PutEvents: full, SendMessage: full } as never)(
      request({ headers: { 'x-amz-target': target }, body: Buffer.from(nested(2500)) }),
    );
    assert.equal(res.status, 400, target);
    assert.match(JSON.parse(String(res.body)).__type, /SerializationException/);
    assert.match(JSON.parse(String(res.body)).message, /nests deeper than 100 levels/);
  }
});

test('a REST-JSON (Lambda) body nested 2,500 deep is InvalidRequestContentException', async () => {
  const res = await dispatch(lambdaProtocol, { CreateFunction: full } as never)(
    request({
      url: '/2015-03-31/functions',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(`{"FunctionName":"f","Tags":${'['.repeat(2500)}${']'.repeat(2500)}}`),
    }),
  );
  assert.equal(res.status, 400);
  assert.equal(res.headers['x-amzn-errortype'], 'InvalidRequestContentException');
  assert.match(String(res.body), /nests deeper than 100 levels/);
});
