import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { startSubscriber, waitFor } from './helpers.js';

/**
 * A data directory written before the one delivery engine may hold SNS deliveries as resource
 * documents (kind `sns-pending-delivery`): the next start moves each into the delivery queue,
 * which sends it, and the document is gone.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'amiwatch-sns-legacy-'));
const subscriber = await startSubscriber();
const apps: App[] = [];
after(async () => {
  for (const a of apps) await a.close().catch(() => undefined);
  await subscriber.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('pending deliveries of an earlier version are delivered through the queue after an upgrade', { timeout: 30_000 }, async () => {
  const first = await startTestServer({ inMemory: false, dataDir });
  apps.push(first);
  const topicArn = 'arn:aws:sns:us-east-1:000000000000:old';
  const legacy = {
    id: 'p-1',
    topicArn,
    subscriptionArn: `${topicArn}:0b6b2b1c-0000-4000-8000-000000000001`,
    protocol: 'http',
    endpoint: subscriber.url,
    messageId: 'm-legacy',
    kind: 'unsubscribe-confirmation',
    send: {
      http: {
        headers: { 'content-type': 'text/plain; charset=UTF-8' },
        body: JSON.stringify({ Type: 'UnsubscribeConfirmation', MessageId: 'm-legacy' }),
      },
    },
    attempts: 1,
    dueAt: 0,
  };
  await first.store.writeResources([{ kind: 'sns-pending-delivery', key: legacy.id, doc: JSON.stringify(legacy) }]);
  await first.close();
  apps.length = 0;

  const second = await startTestServer({ inMemory: false, dataDir });
  apps.push(second);
  const post = await waitFor(() => subscriber.posts.find((p) => p.doc.MessageId === 'm-legacy'), 'the adopted delivery');
  assert.equal(post.doc.Type, 'UnsubscribeConfirmation');
  assert.deepEqual(await second.store.loadResources('sns-pending-delivery'), [], 'the old document is gone');
  const [event] = await second.store.readEvents({ limit: 1 });
  assert.equal(JSON.parse(event!.deliveries[0]!.target).target.Id, legacy.subscriptionArn, 'a job of the queue, in the history');
});
