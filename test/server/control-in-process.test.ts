import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readEventStream } from '../../console/src/api/sse.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { inProcess, inProcessFetch } from '../support/in-process.js';

/**
 * The control API behind the same socket-free `handle` as the AWS endpoint
 * (src/server/control-handle.ts): answers, refusals and event streams without a socket.
 */
let app: App;
before(async () => {
  app = await startTestServer();
});
after(() => app.close());

test('health answers through handle', async () => {
  const res = await inProcessFetch(app)(`${app.url}/_amiwatch/health`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string; services: string[] };
  assert.equal(body.status, 'ok');
  assert.ok(body.services.includes('sqs'));
});

test('a malformed %-escape and an unknown endpoint are refused in the control API shape', async () => {
  const call = inProcessFetch(app);
  const bad = await call(`${app.url}/_amiwatch/ec2/faults/%`);
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { error: 'The path has a malformed %-escape.' });
  const none = await call(`${app.url}/_amiwatch/nothing`);
  assert.equal(none.status, 404);
});

test("the change stream carries an in-process SDK call's change", async () => {
  const abort = new AbortController();
  const res = await inProcessFetch(app)(`${app.url}/_amiwatch/changes`, { signal: abort.signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const seen: string[] = [];
  const reading = readEventStream(res, (type, data) => {
    if (type !== 'change') return;
    for (const c of (JSON.parse(data) as { changes: { id: string }[] }).changes) seen.push(c.id);
    if (seen.some((id) => id.includes('streamed'))) abort.abort();
  }).catch((e: unknown) => {
    if (!abort.signal.aborted) throw e;
  });
  await new SQSClient(inProcess(app)).send(new CreateQueueCommand({ QueueName: 'streamed' }));
  const giveUp = setTimeout(() => abort.abort(), 10_000); // the assertion below then says what was seen
  await reading;
  clearTimeout(giveUp);
  assert.ok(
    seen.some((id) => id.includes('streamed')),
    JSON.stringify(seen),
  );
});
