import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';

/** Bad input over the raw wire: always an AWS-shaped JSON 1.1 error, never a crash. */
let app: App;
before(async () => {
  app = await startTestServer({ bodyLimit: 64 * 1024 });
});
after(() => app.close());

const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/events/aws4_request, SignedHeaders=host;x-amz-date, Signature=00';

async function call(target: string | null, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', authorization: AUTH, ...(target && { 'x-amz-target': target }), ...headers },
    body,
  });
  const text = await res.text();
  assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
  return { status: res.status, body: JSON.parse(text) as { __type?: string; message?: string } & Record<string, unknown> };
}

test('malformed JSON → SerializationException', async () => {
  const r = await call('AWSEvents.ListRules', '{"Name": ');
  assert.equal(r.status, 400);
  assert.equal(r.body.__type, 'SerializationException');
});

test('a member of the wrong type → SerializationException; the body not an object too', async () => {
  assert.equal((await call('AWSEvents.PutRule', '{"Name": 5, "EventPattern": "{}"}')).body.__type, 'SerializationException');
  assert.equal((await call('AWSEvents.PutEvents', '{"Entries": {"Source": "x"}}')).body.__type, 'SerializationException');
  assert.equal((await call('AWSEvents.ListRules', '[1,2]')).body.__type, 'SerializationException');
});

test('missing required members → ValidationException listing each, in AWS words', async () => {
  const r = await call('AWSEvents.PutTargets', '{}');
  assert.equal(r.status, 400);
  assert.equal(r.body.__type, 'ValidationException');
  assert.equal(
    r.body.message,
    "2 validation errors detected: Value null at 'rule' failed to satisfy constraint: Member must not be null; Value null at 'targets' failed to satisfy constraint: Member must not be null",
  );
  const nested = await call('AWSEvents.PutTargets', '{"Rule":"r","Targets":[{"Id":"a"}]}');
  assert.equal(
    nested.body.message,
    "1 validation error detected: Value null at 'targets.1.member.arn' failed to satisfy constraint: Member must not be null",
  );
});

test('an empty body reads as {} (AWS does the same)', async () => {
  const r = await call('AWSEvents.ListRules', '');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { Rules: [] });
});

test('unknown operations and unroutable requests → UnknownOperationException', async () => {
  assert.equal((await call('AWSEvents.Frobnicate', '{}')).body.__type, 'UnknownOperationException');
  const r = await call(null, '{}', { authorization: AUTH.replace('/events/', '/nosuchservice/') });
  assert.equal(r.body.__type, 'UnknownOperationException');
});

test('a body over the limit → 413, connection closed, server fine', async () => {
  const r = await call('AWSEvents.PutEvents', Buffer.alloc(65 * 1024, 0x20));
  assert.equal(r.status, 413);
  assert.equal(r.body.__type, 'RequestEntityTooLargeException');
  assert.equal((await call('AWSEvents.ListRules', '{}')).status, 200);
});

test('no Authorization → MissingAuthenticationTokenException; malformed → IncompleteSignatureException', async () => {
  const missing = await call('AWSEvents.ListRules', '{}', { authorization: '' });
  assert.equal(missing.status, 403);
  assert.equal(missing.body.__type, 'MissingAuthenticationTokenException');
  const bad = await call('AWSEvents.ListRules', '{}', { authorization: 'AWS4-HMAC-SHA256 Credential=test' });
  assert.equal(bad.body.__type, 'IncompleteSignatureException');
});

test('the account comes from a 12-digit access key, the region from the credential scope', async () => {
  const headers = { authorization: AUTH.replace('test/', '123456789012/').replace('us-east-1', 'eu-west-3') };
  const r = await call('AWSEvents.PutRule', '{"Name":"r","EventPattern":"{\\"source\\":[\\"a\\"]}"}', headers);
  assert.equal(r.body.RuleArn, 'arn:aws:events:eu-west-3:123456789012:rule/r');
  assert.deepEqual((await call('AWSEvents.ListRules', '{}')).body, { Rules: [] }, 'other account and region see nothing');
});

test('deeply nested JSON is refused cleanly, not with a stack overflow', async () => {
  const n = 7_000; // within the 64 KiB body limit of this server, deep enough for the matcher
  const deep = '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  const rule = await call('AWSEvents.PutRule', JSON.stringify({ Name: 'deep', EventPattern: '{"detail":{"b":["x"]}}' }));
  assert.equal(rule.status, 200);
  const put = await call('AWSEvents.PutEvents', JSON.stringify({ Entries: [{ Source: 's', DetailType: 'd', Detail: deep }] }));
  assert.equal(put.status, 200);
  const [entry] = put.body.Entries as { EventId?: string; ErrorCode?: string }[];
  assert.ok(entry!.EventId || entry!.ErrorCode === 'MalformedDetail');
  const event = `{"id":"1","account":"1","source":"s","time":"t","region":"r","detail-type":"d","detail":${deep}}`;
  const t = await call('AWSEvents.TestEventPattern', JSON.stringify({ EventPattern: '{"detail":{"b":["x"]}}', Event: event }));
  assert.ok(t.status === 200 || t.body.__type === 'ValidationException', JSON.stringify(t.body).slice(0, 200));
});

test('health and unknown control endpoints', async () => {
  const health = await fetch(`${app.url}/_amiwatch/health`);
  const body = (await health.json()) as Record<string, unknown>;
  assert.deepEqual(
    { ...body, services: undefined },
    { status: 'ok', version: '0.1.0', services: undefined, account: '000000000000', region: 'us-east-1', signaturesRequired: false },
  );
  assert.ok((body.services as string[]).includes('events') && (body.services as string[]).includes('ec2'));
  assert.equal((await fetch(`${app.url}/_amiwatch/nope`)).status, 404);
  assert.equal((await fetch(`${app.url}/_amiwatch/events?from=yesterday`)).status, 400);
});
