import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';

/** What the wire fuzz suite (bench/fuzz) found, each pinned by the request that found it. */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-fuzzreg-'));
const credentialsFile = join(dir, 'credentials.json');
writeFileSync(
  credentialsFile,
  JSON.stringify({ credentials: [{ accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' }] }),
);
let open: App;
let verified: App;
const logs: string[] = [];
before(async () => {
  open = await startTestServer({}, { log: (m) => logs.push(m) });
  verified = await startTestServer({ credentialsFile }, { log: (m) => logs.push(m) });
});
after(async () => {
  await open.close();
  await verified.close();
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(
    logs.filter((m) => /internal error/.test(m)),
    [],
  );
});

/** node:http (not fetch): it sends header values with bytes beyond ASCII, as latin1. */
function send(
  app: App,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}${path}`, { method, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a control-API path with a malformed %-escape is a 400, not a URIError 500', async () => {
  for (const path of ['/_amiwatch/ec2/faults/%', '/_amiwatch/ec2/faults/%E0%A4%A', '/_amiwatch/functions/%zz']) {
    for (const method of ['GET', 'DELETE']) {
      const r = await send(open, method, path, {});
      assert.equal(r.status, 400, `${method} ${path}: ${r.body}`);
      assert.equal((JSON.parse(r.body) as { error: string }).error, 'The path has a malformed %-escape.');
    }
  }
});

test('a signature of non-ASCII characters as long as a real one is a signature mismatch, not a 500', async () => {
  const auth = `AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/events/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'\u00e9'.repeat(64)}`;
  const date = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const r = await send(
    verified,
    'POST',
    '/',
    {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSEvents.ListRules',
      'x-amz-date': date,
      authorization: auth.replace('20261124', date.slice(0, 8)),
    },
    '{}',
  );
  assert.equal(r.status, 403, r.body);
  assert.equal((JSON.parse(r.body) as { __type: string }).__type, 'InvalidSignatureException');
});

test("an Authorization header and presigned parameters together: refused in the scope's protocol (EC2 here), not JSON", async () => {
  const r = await send(
    verified,
    'POST',
    '/?X-Amz-Algorithm=AWS4-HMAC-SHA256',
    {
      'content-type': 'application/x-www-form-urlencoded',
      'x-amz-date': '20261124T233101Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=00',
    },
    'Action=DescribeImages&Version=2016-11-15',
  );
  assert.equal(r.status, 400, r.body);
  assert.match(r.body, /<Response><Errors><Error><Code>IncompleteSignature<\/Code><Message>Only one auth mechanism allowed/);
});

test('SQS JSON: a member sent as null is an absent member (MissingParameter), not a TypeError 500', async () => {
  const body = JSON.stringify({ QueueName: 'fuzz-null' });
  const headers = (op: string) => ({
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `AmazonSQS.${op}`,
    authorization: 'AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00',
  });
  const created = await send(open, 'POST', '/', headers('CreateQueue'), body);
  const queueUrl = (JSON.parse(created.body) as { QueueUrl: string }).QueueUrl;
  const r = await send(
    open,
    'POST',
    '/',
    headers('SendMessage'),
    JSON.stringify({ QueueUrl: queueUrl, MessageBody: null, MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } }),
  );
  assert.equal(r.status, 400, r.body);
  assert.match((JSON.parse(r.body) as { __type: string }).__type, /MissingParameter$/);
});
