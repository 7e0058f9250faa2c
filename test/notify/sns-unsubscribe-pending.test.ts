import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PublishCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, startSubscriber, topicWithRetryingHttpSubscriber, waitFor } from './helpers.js';

/**
 * Unsubscribe stops deliveries to that subscriber, including one that failed and is waiting for
 * its retry: the retry is dropped (and said so in the delivery log), not sent to an endpoint that
 * has asked to hear nothing more.
 */
const subscriber = await startSubscriber({ confirm: true, status: (doc) => (doc.Type === 'Notification' ? 503 : 200) });
const posts = subscriber.posts;
after(() => subscriber.close());

test('a retry waiting for an unsubscribed endpoint is dropped', { timeout: 30_000 }, async () => {
  const app = await startTestServer();
  after(() => app.close());
  const sns = snsClient(app);
  // Retries 1 s apart: the unsubscribe lands inside the first wait.
  const { TopicArn, SubscriptionArn: arn } = await topicWithRetryingHttpSubscriber(sns, 'unsubscribe-while-retrying', subscriber.url, 3, 1);
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'ami-0123 is available' }));
  await waitFor(() => posts.find((p) => p.doc.MessageId === MessageId), 'the first, failed attempt');
  await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));

  type Delivery = { messageId: string; status: string; attempts: number; error?: string };
  const dropped = await waitFor(async () => {
    const { deliveries } = (await (await fetch(`${app.url}/_amiwatch/sns/deliveries`)).json()) as { deliveries: Delivery[] };
    return deliveries.find((d) => d.messageId === MessageId && d.status === 'failed');
  }, 'the dropped delivery in the log');
  assert.equal(dropped.error, 'SUBSCRIPTION_DELETED: The subscription was deleted before the message was delivered');
  assert.equal(dropped.attempts, 1);
  await new Promise((r) => setTimeout(r, 1500)); // past when a second attempt would have gone out
  assert.equal(posts.filter((p) => p.doc.MessageId === MessageId).length, 1, 'one attempt, before the unsubscribe');
  sns.destroy();
});
