import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';

/**
 * The control API and the console behind one door (src/server/request-door.ts): only the Host
 * names the server serves (DNS rebinding), no cross-origin state changes, JSON for mutations;
 * malformed input is a 4xx, never a 500; a client that hangs up is not an internal error.
 */
let app: App;
const logs: string[] = [];
before(async () => {
  app = await startTestServer({}, { log: (m) => logs.push(m) });
});
after(() => app.close());

function send(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: app.port,
        path,
        method: init.method ?? 'GET',
        headers: { host: `127.0.0.1:${app.port}`, ...init.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const rule = JSON.stringify({ operation: 'CreateImage', namePattern: 'x-*', errorMessage: 'm' });
const rules = async () => (JSON.parse((await send('/_amiwatch/ec2/faults')).body) as { rules: unknown[] }).rules.length;

test('a foreign Host (DNS rebinding) is refused for the control API, the console and, without credentials, the AWS APIs', async () => {
  for (const path of ['/_amiwatch/events', '/_amiwatch/health', '/', '/console/']) {
    const res = await send(path, { headers: { host: `evil.example:${app.port}` } });
    assert.equal(res.status, 421, `${path}: ${res.body}`);
  }
  const aws = await send('/', {
    method: 'POST',
    headers: {
      host: 'evil.example',
      'x-amz-target': 'AWSEvents.ListRules',
      'content-type': 'application/x-amz-json-1.1',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
  });
  assert.equal(aws.status, 421);
  for (const host of [`localhost:${app.port}`, `127.0.0.1:${app.port}`, `[::1]:${app.port}`, `app.localhost:${app.port}`]) {
    assert.equal((await send('/_amiwatch/health', { headers: { host } })).status, 200, host);
  }
});

test('--allowed-hosts adds names', async () => {
  const named = await startTestServer({ allowedHosts: ['amiwatch.internal', '*.corp.example'] });
  try {
    for (const [host, status] of [
      ['amiwatch.internal', 200],
      ['a.corp.example', 200],
      ['corp.example', 421],
      ['evil.example', 421],
    ] as const) {
      const res = await new Promise<number>((resolve) =>
        request(
          { host: '127.0.0.1', port: named.port, path: '/_amiwatch/health', headers: { host } },
          (r) => (r.resume(), resolve(r.statusCode ?? 0)),
        ).end(),
      );
      assert.equal(res, status, host);
    }
  } finally {
    await named.close();
  }
});

test("cross-origin and non-JSON state changes are refused; the console's own JSON request goes through", async () => {
  const before = await rules();
  const attempts: Record<string, string>[] = [
    { 'content-type': 'text/plain', origin: 'http://evil.example' },
    { 'content-type': 'application/json', origin: 'http://evil.example' },
    { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
    { 'content-type': 'application/json', origin: 'null' },
    { 'content-type': 'text/plain' },
    { 'content-type': 'application/x-www-form-urlencoded' },
  ];
  for (const headers of attempts) {
    const res = await send('/_amiwatch/ec2/faults', { method: 'POST', headers, body: rule });
    assert.ok(res.status === 403 || res.status === 415, `${JSON.stringify(headers)}: ${res.status} ${res.body}`);
  }
  assert.equal(await rules(), before);
  const ok = await send('/_amiwatch/ec2/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${app.port}`, 'sec-fetch-site': 'same-origin' },
    body: rule,
  });
  assert.equal(ok.status, 201, ok.body);
  assert.equal(await rules(), before + 1);
  assert.equal((await send('/_amiwatch/ec2/faults', { method: 'DELETE', headers: { origin: 'http://evil.example' } })).status, 403);
  assert.equal(await rules(), before + 1);
});

test('malformed %-encoding in control paths is a 400, not a 500', async () => {
  for (const [method, path] of [
    ['GET', '/_amiwatch/functions/%E0%A4%A/logs'],
    ['GET', '/_amiwatch/functions/%zz/code'],
    ['DELETE', '/_amiwatch/ec2/faults/%E0%A4%A'],
  ]) {
    const res = await send(path!, { method: method! });
    assert.equal(res.status, 400, `${method} ${path}: ${res.status} ${res.body}`);
    assert.match(res.body, /malformed %-escape/);
  }
  assert.ok(!logs.some((l) => /internal error/.test(l)), logs.join('\n'));
});

test('a client that hangs up mid-body is not logged as an internal error', async () => {
  for (const path of ['/', '/_amiwatch/ec2/faults']) {
    await new Promise<void>((resolve) => {
      const socket = connect(app.port, '127.0.0.1', () => {
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\nContent-Type: application/json\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Length: 100000\r\n\r\n{"Entries":[`,
        );
        setImmediate(() => socket.destroy());
        socket.on('close', () => resolve());
      });
    });
  }
  // The server saw the hang-up by the time it answers the next request on a new connection.
  assert.equal((await send('/_amiwatch/health')).status, 200);
  assert.ok(!logs.some((l) => /internal error/.test(l)), logs.join('\n'));
});
