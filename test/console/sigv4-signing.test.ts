import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { App } from '../../src/server/app.js';
import { authorize } from '../../console/src/api/sigv4.js';
import { startTestServer } from '../e2e/helpers.js';
import { tempCredentialsFile } from '../support/credentials-file.js';

/**
 * The console's signer (console/src/api/sigv4.ts, the SDK's SignatureV4 underneath) against the
 * server's verifier, without a browser: each protocol's request shape the console sends (a JSON
 * 1.1 POST, a REST path holding an encoded ARN, the control API with a query string) is accepted
 * with the right secret and refused with AWS's error with a wrong one.
 */
const credentials = tempCredentialsFile([{ accessKeyId: 'AKIACONSOLE', secretAccessKey: 'console-secret', accountId: '111111111111' }]);
let app: App;

before(async () => {
  app = await startTestServer({ credentialsFile: credentials.file });
});
after(async () => {
  await app.close();
  credentials.remove();
});

async function call(secret: string, method: string, path: string, service: string, headers: Record<string, string>, body = '') {
  const req = { method, url: path, headers: { ...headers }, body };
  // The page's own origin: the host the browser would send.
  await authorize(
    req,
    { account: '111111111111', region: 'us-east-1', service },
    { accessKeyId: 'AKIACONSOLE', secretAccessKey: secret },
    new URL(app.url),
  );
  const res = await fetch(`${app.url}${path}`, { method, headers: req.headers, ...(body && { body }) });
  return { status: res.status, text: await res.text() };
}

const requests: [string, string, string, string, Record<string, string>, string?][] = [
  [
    'EventBridge (JSON 1.1)',
    'POST',
    '/',
    'events',
    { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.ListRules' },
    '{}',
  ],
  [
    'Lambda (REST, an encoded ARN in the path)',
    'GET',
    `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:us-east-1:111111111111:function:none')}/policy`,
    'lambda',
    {},
  ],
  ['control API (a query string)', 'GET', `/_amiwatch/events?${new URLSearchParams({ limit: '5', source: 'my app' })}`, 'amiwatch', {}],
];

test('signed with the right secret: every request shape passes verification', async () => {
  for (const [what, method, path, service, headers, body] of requests) {
    const res = await call('console-secret', method, path, service, headers, body);
    assert.ok(res.status !== 403, `${what}: ${res.status} ${res.text}`);
    assert.doesNotMatch(res.text, /Signature|UnrecognizedClient/, what);
  }
});

test("a wrong secret is refused with AWS's InvalidSignatureException", async () => {
  for (const [what, method, path, service, headers, body] of requests) {
    const res = await call('wrong', method, path, service, headers, body);
    assert.equal(res.status, 403, what);
    assert.match(res.text, /The request signature we calculated does not match the signature you provided/, what);
  }
});
