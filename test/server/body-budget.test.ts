import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { App } from '../../src/server/app.js';
import { ConfigError, parseConfig } from '../../src/server/config.js';
import { startTestServer } from '../e2e/helpers.js';

/**
 * The in-flight body budgets (issue 22, finding 4): bodies being read count against a total and
 * a per-connection budget; a request that does not fit is answered as throttled, in its own
 * protocol, without being read — and the budget comes back once a request is answered.
 */
let app: App;
before(async () => {
  app = await startTestServer({ bodyLimit: 64 * 1024, bodyBudget: 100_000, connectionBodyBudget: 100_000 });
});
after(() => app.close());

const SIZE = 60_000;
const head = (target: string, contentType: string, auth: string) =>
  `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nX-Amz-Target: ${target}\r\n` +
  `Authorization: AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/${auth}/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: ${SIZE}\r\n\r\n`;

/** Opens a request and sends `first` bytes of its body; `finish()` sends the rest; `answer` is the reply. */
function open(text: string, first: number): { socket: Socket; finish: () => void; answer: Promise<string> } {
  const body = Buffer.from('{}'.padEnd(SIZE, ' '));
  const socket = connect(app.port, '127.0.0.1');
  socket.write(text);
  socket.write(body.subarray(0, first));
  let data = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (c: Buffer) => {
      data += c.toString();
      const end = data.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(data)?.[1] ?? NaN);
      if (end >= 0 && data.length >= end + 4 + length) resolve(data);
    });
  });
  socket.on('error', () => undefined);
  return { socket, finish: () => socket.write(body.subarray(first)), answer };
}

test('a body that would pass the total budget is refused as throttled, in its protocol, and the budget comes back', async () => {
  const held = open(head('AWSEvents.ListRules', 'application/x-amz-json-1.1', 'events'), 10);
  await new Promise((r) => setTimeout(r, 100)); // the first request's 60 kB is reserved
  const json = await open(head('AWSEvents.ListRules', 'application/x-amz-json-1.1', 'events'), 0).answer;
  assert.match(json, /^HTTP\/1\.1 503/);
  assert.match(json, /"__type":"ThrottlingException"/);
  const sqs = await open(head('AmazonSQS.ListQueues', 'application/x-amz-json-1.0', 'sqs'), 0).answer;
  assert.match(sqs, /^HTTP\/1\.1 503/);
  held.finish();
  assert.match(await held.answer, /^HTTP\/1\.1 200/);
  // Answered: its reservation is released, and the next request fits again.
  const next = open(head('AWSEvents.ListRules', 'application/x-amz-json-1.1', 'events'), 0);
  next.finish();
  assert.match(await next.answer, /^HTTP\/1\.1 200/);
  for (const s of [held.socket, next.socket]) s.destroy();
});

test('the budgets are configurable, and checked at start', () => {
  const c = parseConfig(['--body-budget', '1000000', '--connection-body-budget', '500000'], {});
  assert.equal(c.bodyBudget, 1_000_000);
  assert.equal(c.connectionBodyBudget, 500_000);
  assert.equal(parseConfig([], { AMIWATCH_BODY_BUDGET: '2000000' }).bodyBudget, 2_000_000);
  assert.throws(
    () => parseConfig(['--body-budget', '4096', '--connection-body-budget', '8192'], {}),
    (e: Error) => e instanceof ConfigError && /at most --body-budget/.test(e.message),
  );
  assert.throws(() => parseConfig(['--body-budget', 'lots'], {}), ConfigError);
});
