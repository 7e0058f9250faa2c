import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, topicWithRetryingHttpSubscriber, waitFor } from './helpers.js';

/**
 * An HTTP notification that failed once and waits to be retried is not lost when amiwatch stops:
 * the next process, on the same data directory, delivers it (same MessageId).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'amiwatch-sns-restart-'));
const posts: { type: string; messageId: string; status: number }[] = [];
let healthy = false;
const subscriber = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', async () => {
    const doc = JSON.parse(body) as Record<string, string>;
    if (doc.Type === 'SubscriptionConfirmation') await fetch(doc.SubscribeURL!);
    const status = doc.Type === 'Notification' && !healthy ? 503 : 200;
    posts.push({ type: doc.Type!, messageId: doc.MessageId!, status });
    res.writeHead(status).end();
  });
});
let apps: App[] = [];
after(async () => {
  for (const a of apps) await a.close().catch(() => undefined);
  subscriber.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a notification waiting to be retried is delivered by the next process', { timeout: 30_000 }, async () => {
  await new Promise<void>((r) => subscriber.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/hook`;
  const first = await startTestServer({ inMemory: false, dataDir });
  apps.push(first);
  const sns = snsClient(first);
  // One retry, 2 s after the first failure: long enough to stop the server in between.
  const { TopicArn } = await topicWithRetryingHttpSubscriber(sns, 'restart', endpoint, 1, 2);
  await waitFor(() => posts.find((p) => p.type === 'SubscriptionConfirmation'), 'the confirmation');
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'ami-0123 is available' }));
  await waitFor(() => posts.find((p) => p.messageId === MessageId && p.status === 503), 'the first, failed attempt');
  await new Promise((r) => setTimeout(r, 100)); // the failure is written before the wait starts
  sns.destroy();
  await first.close();
  apps = [];

  healthy = true;
  const second = await startTestServer({ inMemory: false, dataDir });
  apps.push(second);
  const delivered = await waitFor(() => posts.find((p) => p.messageId === MessageId && p.status === 200), 'the resumed delivery', 10_000);
  assert.equal(delivered.type, 'Notification');
  assert.deepEqual(posts.filter((p) => p.messageId === MessageId).map((p) => p.status), [503, 200], "one failed attempt before the restart, one after");
});
