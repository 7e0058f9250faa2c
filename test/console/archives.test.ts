import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { sdkClient } from '../e2e/helpers.js';
import { openHarness, type Harness } from './browser.js';

/**
 * An archive made in the console fills up; a replay started there re-delivers to a rule made
 * after the events arrived, its progress shown until COMPLETED.
 */
let h: Harness;
let eb: EventBridgeClient;
const received: DeliveryRequest[] = [];

before(async () => {
  h = await openHarness({ transports: { sqs: { deliver: async (r) => (received.push(r), delivered) } } });
  eb = sdkClient(h.app);
});
after(async () => {
  eb.destroy();
  await h.close();
});

test('archives and replays from the console', { timeout: 90_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/archives`);
  await page.getByLabel('Archive name', { exact: true }).fill('orders');
  await page.getByLabel('Archive event pattern').fill('{"source": ["shop"]}');
  await page.getByRole('button', { name: 'Create archive' }).click();
  await page.getByTestId('archive-orders').waitFor();
  await eb.send(
    new PutEventsCommand({ Entries: [1, 2, 3].map((n) => ({ Source: 'shop', DetailType: 'order', Detail: JSON.stringify({ n }) })) }),
  );
  for (let i = 0; i < 100; i++) {
    await page.reload();
    if ((await page.getByTestId('archive-orders').getByTestId('event-count').innerText()).startsWith('3 ')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(await page.getByTestId('archive-orders').getByTestId('event-count').innerText(), /^3 \(\d+ bytes\)$/);

  await eb.send(new PutRuleCommand({ Name: 'late', EventPattern: '{"source":["shop"]}' }));
  await eb.send(new PutTargetsCommand({ Rule: 'late', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:late' }] }));
  await page.getByLabel('Replay name for orders').fill('again');
  await page.getByLabel('Rules for orders').fill('late');
  await page.getByRole('button', { name: 'Start replay' }).click();
  await page.getByTestId('replay-again').getByText('COMPLETED').waitFor({ timeout: 20_000 });
  assert.equal(await page.getByLabel('Progress of again').evaluate((el) => (el as unknown as { value: number }).value), 1);
  await h.shot(page, 'archives-and-replays');
  for (let i = 0; i < 100 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(received.length, 3);
  assert.ok(received.every((r) => JSON.parse(r.payload)['replay-name'] === 'again'));
});
