import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateImageCommand, EC2Client } from '@aws-sdk/client-ec2';
import { openHarness, type Harness } from './browser.js';
import { eventBridgeStatement } from '../support/target-policies.js';
import { runningInstance } from '../support/ec2-instance.js';

/**
 * A page per rule, image, topic, queue, function and bus, reached by the links on the lists;
 * the tools AWS's consoles have: send events to a bus, SQS send / receive / delete, SNS
 * subscribe and unsubscribe.
 */
const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'setup' };
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:orders-queue';
let h: Harness;
before(async () => {
  h = await openHarness();
  await h.app.notifications.sqs.createQueue(ctx, { QueueName: 'orders-queue' });
  await h.app.notifications.sns.createTopic(ctx, { Name: 'orders-topic' });
  const { RuleArn } = await h.app.events.rules.putRule(ctx, {
    Name: 'orders-rule',
    EventPattern: '{"source":["shop.orders"]}',
    Description: 'orders to the queue',
  });
  // The statement the console's wizard adds: EventBridge may send to the queue (enforced as on AWS).
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [eventBridgeStatement('sqs:SendMessage', QUEUE_ARN, RuleArn)] });
  await h.app.notifications.sqs.setQueueAttributes(ctx, { QueueUrl: 'http://localhost/000000000000/orders-queue', Attributes: { Policy } });
  await h.app.events.targets.putTargets(ctx, { Rule: 'orders-rule', Targets: [{ Id: 'queue', Arn: QUEUE_ARN }] });
});
after(() => h.close());

test('a rule page: pattern, linked targets, and the deliveries of an event sent from the bus page', { timeout: 40_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/rules`);
  await page.getByRole('link', { name: 'orders-rule' }).click();
  await page.getByRole('heading', { name: 'orders-rule' }).waitFor();
  assert.equal(await page.title(), 'Rule orders-rule · amiwatch');
  assert.deepEqual(JSON.parse(await page.getByTestId('rule-pattern').innerText()), { source: ['shop.orders'] });
  assert.equal(await page.getByTestId('rule-target').getByRole('link', { name: QUEUE_ARN }).getAttribute('href'), '#/queue/orders-queue');
  await page.getByText('No event matched this rule lately.').waitFor();

  const bus = await h.page();
  await bus.goto(`${h.app.url}/#/buses`);
  await bus.getByRole('link', { name: 'default' }).click();
  await bus.getByRole('heading', { name: 'Send events' }).waitFor();
  await bus.getByLabel('Event source', { exact: true }).fill('aws.ec2');
  await bus.getByRole('button', { name: 'Send' }).click();
  await bus.getByRole('alert').getByText('NotAuthorizedForSourceException: Not authorized for the source.').waitFor();
  await bus.getByLabel('Event source', { exact: true }).fill('shop.orders');
  await bus.getByLabel('Detail type', { exact: true }).fill('Order Placed');
  await bus.getByLabel('Event detail', { exact: true }).fill('{"order": "o-1"}');
  await bus.getByRole('button', { name: 'Send' }).click();
  await bus.getByText(/^Event sent: /).waitFor();

  // The rule page, left open, shows the delivery as it happens.
  await page.getByTestId('rule-delivery').getByText('delivered').waitFor({ timeout: 10_000 });
  await page.getByTestId('chart-MatchedEvents').getByTestId('chart-summary').filter({ hasText: 'total 1' }).waitFor({ timeout: 10_000 });
  await h.shot(page, '26-rule-page');
  await h.shot(bus, '29-bus-send-events');
  await page.getByTestId('rule-delivery').getByRole('link', { name: QUEUE_ARN }).click();
  await page.getByRole('heading', { name: 'orders-queue' }).waitFor();
  await page.getByTestId('attr-ApproximateNumberOfMessages').filter({ hasText: '1' }).waitFor();
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.getByText(/^Message sent: /).waitFor();
  await page.getByTestId('attr-ApproximateNumberOfMessages').filter({ hasText: '2' }).waitFor();
  await page.getByRole('button', { name: 'Poll for messages' }).click();
  await page.getByText('2 message(s) received', { exact: false }).waitFor();
  assert.equal(await page.getByTestId('received-message').count(), 2);
  await page.getByTestId('received-message').first().getByRole('button', { name: 'Delete message' }).click();
  await page.getByText(/^Message .* deleted\.$/).waitFor();
  assert.equal(await page.getByTestId('received-message').count(), 1);
  await page.getByTestId('attr-ApproximateNumberOfMessagesNotVisible').filter({ hasText: '1' }).waitFor();
  await h.shot(page, '28-queue-page');
});

test('an image page: fields, tags, block devices and its events; linked from the AMIs list', { timeout: 40_000 }, async () => {
  const ec2 = new EC2Client({
    endpoint: h.app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const { ImageId } = await ec2.send(
    new CreateImageCommand({
      InstanceId: await runningInstance(ec2),
      Name: 'detail-image',
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'team', Value: 'platform' }] }],
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 16, VolumeType: 'gp3' } }],
    }),
  );
  ec2.destroy();
  const page = await h.page();
  await page.goto(`${h.app.url}/#/amis`);
  await page.getByTestId('ami-detail-image').getByRole('link', { name: ImageId! }).click();
  await page.getByRole('heading', { name: 'detail-image' }).waitFor();
  assert.match(await page.getByTestId('image-tags').innerText(), /team\s+platform/);
  assert.match(await page.getByTestId('image-block-devices').innerText(), /\/dev\/xvda[\s\S]*16[\s\S]*gp3/);
  // pending → available: the event appears on the page, with no reload.
  await page.getByTestId('image-event').getByText('available').waitFor({ timeout: 15_000 });
  await page.getByTestId('image-fields').getByText('available', { exact: true }).waitFor();
  await h.shot(page, '27-image-page');
});

test('a topic page: subscribe a queue, then unsubscribe it', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/sns`);
  await page.getByRole('link', { name: 'orders-topic' }).click();
  await page.getByRole('heading', { name: 'orders-topic' }).waitFor();
  await page.getByLabel('Protocol').selectOption('sqs');
  await page.getByLabel('Endpoint').fill(QUEUE_ARN);
  await page.getByRole('button', { name: 'Create subscription' }).click();
  const sub = page.getByTestId('subscription');
  await sub.getByText('Confirmed').waitFor();
  assert.equal(await sub.getByRole('link', { name: QUEUE_ARN }).getAttribute('href'), '#/queue/orders-queue');
  await sub.getByRole('button', { name: 'Unsubscribe' }).click();
  await sub.waitFor({ state: 'detached' });
  await page.getByText(`Unsubscribed ${QUEUE_ARN}.`).waitFor();
});
