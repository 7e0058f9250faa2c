import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '@amiwatch/event-pattern';
import type { Page } from 'playwright-core';
import { delivered, failure, type DeliveryRequest } from '../../src/delivery/transport.js';
import { openHarness, type Harness } from './browser.js';
import { runningInstanceIn } from '../support/ec2-instance.js';

/**
 * The guide end to end through the console only: the guide's rule built with the Event pattern
 * form, once more with the JSON editor (an invalid pattern first, with AWS's message), an image
 * created on the AMIs page going pending → available while its event shows up live on the Events
 * page with the rule it matched and the delivery, and a failing image through a fault rule.
 * A recording transport stands in for the SNS topic, so that the test reads each delivery's payload.
 */
const guidePattern = { source: ['aws.ec2'], 'detail-type': ['EC2 AMI State Change'], detail: { State: ['available'] } };
const received: DeliveryRequest[] = [];
let h: Harness;

before(async () => {
  h = await openHarness({
    transports: {
      sns: { deliver: async (r) => (received.push(r), delivered) },
      sqs: { deliver: async () => delivered },
      // A function that does not exist: a permanent failure, so the delivery ends `failed`.
      lambda: { deliver: async () => failure(false, 'ResourceNotFoundException', 'Function not found: ami-failed-handler') },
    },
  });
  // The targets the wizard is given exist (it refuses those that do not).
  const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'setup' };
  await h.app.notifications.sns.createTopic(ctx, { Name: 'ami-notifications' });
  await h.app.notifications.sqs.createQueue(ctx, { QueueName: 'ami-events' });
});
after(() => h.close());

async function startWizard(page: Page, name: string): Promise<void> {
  await page.goto(`${h.app.url}/#/rules`);
  await page.getByRole('link', { name: 'Create rule' }).first().click();
  await page.getByRole('heading', { name: 'Define rule detail' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByText('Maximum of 64 characters').waitFor();
}

const next = (page: Page) => page.getByRole('button', { name: 'Next' }).click();

test("the guide's rule through the Event pattern form", { timeout: 30_000 }, async () => {
  const page = await h.page();
  await startWizard(page, 'ami-available');
  await page.getByLabel('Description', { exact: true }).fill('Email me when an AMI is available');
  await h.shot(page, '01-wizard-define-rule-detail');
  await next(page);
  await page.getByRole('heading', { name: 'Build event pattern' }).waitFor();
  // The guide's choices, each under its own label: Event source, then the Event pattern form's
  // Event source → AWS service → Event type, then the state.
  await page.getByRole('radio', { name: /^AWS events or EventBridge partner events/ }).check();
  await page.getByRole('radio', { name: /^Event pattern form/ }).check();
  await page.getByLabel('Event source', { exact: true }).selectOption({ label: 'AWS services' });
  await page.getByLabel('AWS service', { exact: true }).selectOption('EC2');
  await page.getByLabel('Event type', { exact: true }).selectOption('EC2 AMI State Change');
  const editor = page.getByTestId('editor-Event pattern');
  const shown = async () => JSON.parse((await editor.locator('.cm-content').innerText()).replace(/\u00a0/g, ' ')) as unknown;
  assert.equal(await page.getByRole('radio', { name: 'Any state', exact: true }).isChecked(), true);
  assert.deepEqual(await shown(), { source: ['aws.ec2'], 'detail-type': ['EC2 AMI State Change'] });
  await page.getByRole('radio', { name: 'Specific state(s)', exact: true }).check();
  await page.getByRole('checkbox', { name: 'available', exact: true }).check();
  await editor.filter({ hasText: '"State"' }).waitFor();
  assert.deepEqual(await shown(), guidePattern);
  await h.shot(page, '02-wizard-event-pattern-form');
  await page.getByRole('button', { name: 'Test pattern' }).click();
  assert.equal(await page.getByTestId('sandbox-result').innerText(), 'Sample event matched the event pattern.');
  await h.shot(page, '02b-wizard-pattern-sandbox');
  // "To customize the template, choose Edit pattern": the JSON editor, starting from the template.
  await page.getByRole('button', { name: 'Edit pattern' }).click();
  assert.equal(await page.getByRole('radio', { name: /^Custom pattern \(JSON editor\)/ }).isChecked(), true);
  assert.equal(await editor.locator('.cm-content').getAttribute('contenteditable'), 'true');
  assert.deepEqual(await shown(), guidePattern);
  await next(page);
  await page.getByRole('heading', { name: 'Select target(s)' }).waitFor();
  await page.getByRole('radio', { name: /^AWS service/ }).check();
  assert.equal(await page.getByLabel('Select a target', { exact: true }).inputValue(), 'sns');
  await page.getByLabel('Select a target', { exact: true }).selectOption({ label: 'SNS topic' });
  await page.getByLabel('Topic', { exact: true }).fill('ami-notifications');
  await page.getByText('Additional settings').click();
  await h.shot(page, '03-wizard-select-targets');
  await next(page);
  await page.getByRole('button', { name: 'Add new tag' }).click();
  await page.getByLabel('Tag 1 key', { exact: true }).fill('team');
  await page.getByLabel('Tag 1 value', { exact: true }).fill('platform');
  await next(page);
  await page.getByRole('heading', { name: 'Review and create' }).waitFor();
  assert.equal(await page.getByTestId('review-name').innerText(), 'ami-available');
  assert.deepEqual(JSON.parse(await page.getByTestId('review-pattern').innerText()), guidePattern);
  await h.shot(page, '04-wizard-review-and-create');
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.getByTestId('rule-ami-available').waitFor();
  assert.match(await page.getByTestId('rule-ami-available').innerText(), /arn:aws:sns:us-east-1:000000000000:ami-notifications/);
  await h.shot(page, '05-rules');

  const rule = await h.app.events.rules.describeRule(
    { accountId: '000000000000', region: 'us-east-1', requestId: 't' },
    { Name: 'ami-available' },
  );
  assert.deepEqual(JSON.parse(rule.EventPattern!), guidePattern);
  assert.equal(rule.Description, 'Email me when an AMI is available');
});

test('the same rule through the JSON editor: an invalid pattern shows AWS’s message and blocks Next', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await startWizard(page, 'ami-available-json');
  await next(page);
  await page.getByRole('radio', { name: /Custom pattern \(JSON editor\)/ }).check();
  const content = page.getByTestId('editor-Event pattern').locator('.cm-content');
  await content.click();
  await page.keyboard.press('Control+A');
  const invalid = '{"source": ["aws.ec2"], "detail": {"State": "available"}}';
  await page.keyboard.insertText(invalid);
  const expected = `Event pattern is not valid. Reason: ${check(invalid)}`;
  assert.ok(check(invalid), 'the engine rejects it');
  await page.getByTestId('pattern-status').filter({ hasText: 'Event pattern is not valid' }).waitFor();
  assert.equal(await page.getByTestId('pattern-status').textContent(), expected);
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await h.shot(page, '06-wizard-json-editor-invalid');

  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(JSON.stringify(guidePattern, null, 1));
  await page
    .getByTestId('pattern-status')
    .filter({ hasText: /^Valid event pattern\.$/ })
    .waitFor();
  await page.getByLabel('Sample event', { exact: true }).selectOption({ label: 'EC2 AMI State Change — failed' });
  await page.getByRole('button', { name: 'Test pattern' }).click();
  assert.equal(await page.getByTestId('sandbox-result').innerText(), 'Sample event did not match the event pattern.');
  await next(page);
  await page.getByLabel('Select a target', { exact: true }).selectOption('sqs');
  await page.getByLabel('Queue', { exact: true }).fill('ami-events');
  await next(page);
  await next(page);
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.getByTestId('rule-ami-available-json').waitFor();
});

test('an image goes pending → available on the AMIs page while its event appears live on the Events page', {
  timeout: 40_000,
}, async () => {
  const events = await h.page();
  await events.goto(`${h.app.url}/#/events`);
  await events.getByTestId('live').filter({ hasText: 'Live' }).waitFor();
  const amis = await h.page();
  await amis.goto(`${h.app.url}/#/amis`);
  await amis.getByText('No images in us-east-1').waitFor();
  await h.shot(amis, '07-amis-empty');
  await amis.getByLabel('Image name', { exact: true }).fill('web-server-v1');
  await amis.getByLabel('Instance ID', { exact: true }).fill(await runningInstanceIn(h.app));
  await amis.getByRole('button', { name: 'Create image' }).click();
  const row = amis.getByTestId('ami-web-server-v1');
  await row.getByText('pending', { exact: true }).waitFor();
  await row.getByText(/pending \d+s/).waitFor();
  await h.shot(amis, '08-amis-pending');
  await row.getByText('available', { exact: true }).waitFor({ timeout: 15_000 });
  await h.shot(amis, '09-amis-available');

  // The Events page was opened before the image existed and never reloaded: the stream brought it.
  const eventRow = events.getByTestId('event-row').filter({ hasText: 'EC2 AMI State Change' }).filter({ hasText: 'available' });
  await eventRow.waitFor();
  await eventRow.getByText('ami-available, ami-available-json').waitFor();
  await eventRow.getByText('delivered').first().waitFor();
  await eventRow.getByRole('button', { name: 'Expand event' }).click();
  const json = JSON.parse(await eventRow.getByTestId('event-json').innerText()) as { detail: { ImageId: string; State: string } };
  assert.equal(json.detail.State, 'available');
  assert.match(json.detail.ImageId, /^ami-[0-9a-f]{17}$/);
  await h.shot(events, '10-events-live');
  assert.ok(
    received.some((r) => (JSON.parse(r.payload) as { detail: { ImageId: string } }).detail.ImageId === json.detail.ImageId),
    'the rule delivered it to the topic',
  );
});

test('a fault rule makes the next image fail: failed badge, reason, the failed event and its failed delivery', {
  timeout: 40_000,
}, async () => {
  const rules = h.app.events.rules;
  const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 't' };
  await rules.putRule(ctx, { Name: 'ami-failed', EventPattern: '{"source":["aws.ec2"],"detail":{"State":["failed"]}}' });
  await h.app.events.targets.putTargets(ctx, {
    Rule: 'ami-failed',
    Targets: [{ Id: 'handler', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:ami-failed-handler' }],
  });
  const amis = await h.page();
  await amis.goto(`${h.app.url}/#/amis`);
  await amis.getByLabel('Fault operation', { exact: true }).selectOption('CreateImage');
  await amis.getByLabel('Image name pattern', { exact: true }).fill('broken-*');
  await amis.getByLabel('Error message', { exact: true }).fill('Simulated snapshot failure');
  await amis.getByRole('button', { name: 'Add fault rule' }).click();
  await amis.getByTestId('fault-rule').waitFor();
  await amis.getByLabel('Image name', { exact: true }).fill('broken-image');
  await amis.getByLabel('Instance ID', { exact: true }).fill(await runningInstanceIn(h.app));
  await amis.getByRole('button', { name: 'Create image' }).click();
  const row = amis.getByTestId('ami-broken-image');
  await row.getByText('failed', { exact: true }).waitFor({ timeout: 15_000 });
  await row.getByText('Simulated snapshot failure').waitFor();
  await h.shot(amis, '11-amis-failed-fault-rule');

  const events = await h.page();
  await events.goto(`${h.app.url}/#/events`);
  await events.getByLabel('Pattern filter', { exact: true }).fill('{"detail": {"State": ["failed"]}}');
  const failed = events.getByTestId('event-row');
  await failed.first().getByText('failed', { exact: true }).first().waitFor();
  assert.equal(await failed.count(), 1, 'the pattern filter leaves the failed event only');
  await failed.getByText('failed', { exact: true }).nth(1).waitFor();
  assert.match(
    (await failed.locator('tr').first().getAttribute('class')) ?? '',
    /row-failed/,
    'an event with a failed delivery stands out',
  );
  await failed.getByRole('button', { name: 'Expand event' }).click();
  assert.match(await failed.getByTestId('event-json').innerText(), /Simulated snapshot failure/);
  await failed.getByText('ResourceNotFoundException', { exact: false }).first().waitFor();
  await h.shot(events, '12-events-failed-filtered');
});
