import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, type Harness } from './browser.js';
import { runningInstanceIn } from '../support/ec2-instance.js';

/**
 * The guide's notification half through the console: an SNS topic and an email subscription,
 * confirmed from the Mailbox by following the mail's link; the guide's rule targeting the topic;
 * an image becoming available; its notification opened in the Mailbox. Plus the Queues page.
 */
let h: Harness;
before(async () => {
  h = await openHarness();
});
after(() => h.close());

test('topic, email subscription confirmed from the Mailbox, and the AMI notification mail', { timeout: 60_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/sns`);
  await page.getByText('No topics in us-east-1').waitFor();
  await page.getByLabel('New topic name').fill('ami-notifications');
  await page.getByRole('button', { name: 'Create topic' }).click();
  const topic = page.getByTestId('topic-ami-notifications');
  await topic.getByRole('button', { name: 'Subscriptions and publish' }).click();
  await topic.getByLabel('Endpoint').fill('me@example.com');
  await topic.getByRole('button', { name: 'Create subscription' }).click();
  await topic.getByTestId('subscription').getByText('Pending confirmation').waitFor();
  await h.shot(page, '16-sns-topic-pending');

  await page.getByRole('navigation').getByRole('link', { name: 'Mailbox' }).click();
  const mail = page.getByTestId('mail').filter({ hasText: 'me@example.com' }).first();
  await mail.waitFor();
  await mail.getByRole('button', { name: 'Open mail' }).click();
  const link = mail.getByRole('link', { name: /confirmation\.html/ });
  await h.shot(page, '17-mailbox-confirmation');
  const [confirmed] = await Promise.all([page.waitForEvent('popup'), link.click()]);
  await confirmed.getByRole('heading', { name: 'Subscription confirmed!' }).waitFor();
  await confirmed.close();

  await page.getByRole('navigation').getByRole('link', { name: 'SNS topics' }).click();
  await topic.getByRole('button', { name: 'Subscriptions and publish' }).click();
  await topic.getByTestId('subscription').getByText('Confirmed', { exact: true }).waitFor();
  await topic.getByLabel('Subject').fill('Hello from the console');
  await topic.getByRole('button', { name: 'Publish message' }).click();
  await topic.getByText('Message published.').waitFor();

  // The guide's rule, with the topic as its target, through the wizard.
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill('ami-available');
  await page.getByText('Maximum of 64 characters').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('checkbox', { name: 'available', exact: true }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Topic', { exact: true }).fill('ami-notifications');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.getByTestId('rule-ami-available').waitFor();

  await page.getByRole('navigation').getByRole('link', { name: 'AMIs' }).click();
  await page.getByLabel('Image name', { exact: true }).fill('web-server-v2');
  await page.getByLabel('Instance ID').fill(await runningInstanceIn(h.app));
  await page.getByRole('button', { name: 'Create image' }).click();
  await page.getByTestId('ami-web-server-v2').getByText('available', { exact: true }).waitFor({ timeout: 15_000 });

  await page.getByRole('navigation').getByRole('link', { name: 'Mailbox' }).click();
  await page.getByTestId('mail').filter({ hasText: 'Hello from the console' }).waitFor();
  const notification = page.getByTestId('mail').filter({ hasText: 'AWS Notification Message' }).first();
  await notification.waitFor({ timeout: 15_000 });
  await notification.getByRole('button', { name: 'Open mail' }).click();
  const body = await notification.locator('pre').innerText();
  assert.match(body, /EC2 AMI State Change/);
  assert.match(body, /"State":\s*"available"/);
  await h.shot(page, '18-mailbox-ami-notification');

  // The Dashboard charts the rule's metrics: the AMI event matched once.
  await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
  const matched = page.getByTestId('chart-MatchedEvents');
  await matched.locator('canvas').waitFor();
  const q = new URLSearchParams({ name: 'MatchedEvents', bus: 'default', from: String(Date.now() - 15 * 60_000), step: '10' });
  const series = (await (await fetch(`${h.app.url}/_amiwatch/metrics/series?${q}`)).json()) as { points: { value: number | null }[] };
  assert.ok(series.points.reduce((sum, p) => sum + (p.value ?? 0), 0) >= 1, 'MatchedEvents counted the AMI event');
  await page.getByLabel('Dashboard rule').selectOption('ami-available');
  await page.getByTestId('chart-Invocations').locator('canvas').waitFor();
  await page.waitForTimeout(500);
  await h.shot(page, '21-dashboard');
});

test('queues: create, look at messages without consuming them, delete', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/queues`);
  await page.getByText('No queues in us-east-1').waitFor();
  await page.getByLabel('New queue name').fill('ami-events');
  await page.getByRole('button', { name: 'Create queue' }).click();
  const queue = page.getByTestId('queue-ami-events');
  await queue.waitFor();
  const url = `${h.app.url}/000000000000/ami-events`;
  const sent = await fetch(h.app.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.SendMessage',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
    },
    body: JSON.stringify({ QueueUrl: url, MessageBody: '{"hello":"queue"}' }),
  });
  assert.equal(sent.status, 200, await sent.text());
  await page.reload();
  await queue.getByRole('button', { name: 'Messages' }).click();
  await queue.getByTestId('queue-message').click();
  await queue.getByText('"hello": "queue"').waitFor();
  await h.shot(page, '19-queues');
  await page.reload();
  await queue.getByRole('button', { name: 'Messages' }).click();
  await queue.getByTestId('queue-message').waitFor();
  await queue.getByRole('button', { name: 'Delete' }).click();
  await queue.waitFor({ state: 'detached' });
});
