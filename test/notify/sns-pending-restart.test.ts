import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, startSubscriber, topicWithRetryingHttpSubscriber, waitFor } from './helpers.js';

/**
 * An HTTP notification that failed once and waits to be retried is not lost when amiwatch stops:
 * the next process, on the same data directory, delivers it (same MessageId).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'amiwatch-sns-restart-'));
let healthy = false;
const subscriber = await startSubscriber({ confirm: true, status: (doc) => (doc.Type === 'Notification' && !healthy ? 503 : 200) });
const posts = subscriber.posts;
let apps: App[] = [];
after(async () => {
  for (const a of apps) await a.close().catch(() => undefined);
  await subscriber.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a notification waiting to be retried is delivered by the next process', { timeout: 30_000 }, async () => {
  const first = await startTestServer({ inMemory: false, dataDir });
  apps.push(first);
  const sns = snsClient(first);
  // One retry, 2 s after the first failure: long enough to stop the server in between.
  const { TopicArn } = await topicWithRetryingHttpSubscriber(sns, 'restart', subscriber.url, 1, 2);
  await waitFor(() => posts.find((p) => p.doc.Type === 'SubscriptionConfirmation'), 'the confirmation');
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'ami-0123 is available' }));
  await waitFor(() => posts.find((p) => p.doc.MessageId === MessageId && p.status === 503), 'the first, failed attempt');
  await new Promise((r) => setTimeout(r, 100)); // the failure is written before the wait starts
  sns.destroy();
  await first.close();
  apps = [];

  healthy = true;
  const second = await startTestServer({ inMemory: false, dataDir });
  apps.push(second);
  const delivered = await waitFor(
    () => posts.find((p) => p.doc.MessageId === MessageId && p.status === 200),
    'the resumed delivery',
    10_000,
  );
  assert.equal(delivered.doc.Type, 'Notification');
  assert.deepEqual(
    posts.filter((p) => p.doc.MessageId === MessageId).map((p) => p.status),
    [503, 200],
    'one failed attempt before the restart, one after',
  );
});
