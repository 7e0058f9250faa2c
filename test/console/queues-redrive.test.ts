import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsClient } from '../notify/helpers.js';
import { button, openHarness, overflowX, tab, type Harness } from './browser.js';

/**
 * DLQ redrive on the Queues page: queues with a RedrivePolicy, messages dead-lettered by
 * maxReceiveCount through the SDK, then redriven from the console — back to their source queue
 * (keyboard only), or to a chosen queue at one message a second and cancelled while running.
 */
let h: Harness;
let sqs: SQSClient;
const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const url = (name: string) => `${h.app.url}/000000000000/${name}`;

/** A queue and its DLQ (maxReceiveCount 1), with `bodies` dead-lettered into it. */
async function deadLettered(queue: string, bodies: readonly string[]): Promise<void> {
  await sqs.send(new CreateQueueCommand({ QueueName: `${queue}-dlq` }));
  await sqs.send(
    new CreateQueueCommand({
      QueueName: queue,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(`${queue}-dlq`), maxReceiveCount: 1 }) },
    }),
  );
  for (const b of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: url(queue), MessageBody: b }));
  for (let i = 0; i < 2; i++)
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: url(queue), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
}

async function depth(name: string): Promise<number> {
  const a = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url(name),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(a.Attributes!.ApproximateNumberOfMessages) + Number(a.Attributes!.ApproximateNumberOfMessagesNotVisible);
}

before(async () => {
  h = await openHarness();
  sqs = sqsClient(h.app);
  await deadLettered('orders', ['{"order":1}', '{"order":2}', '{"order":3}']);
  await deadLettered('billing', ['b1', 'b2', 'b3', 'b4', 'b5']);
  await sqs.send(new CreateQueueCommand({ QueueName: 'replay' }));
});
after(async () => {
  sqs.destroy();
  await h.close();
});

test('a DLQ shows whose it is; redrive to the source queue, with the keyboard alone', { timeout: 40_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/queues`);
  const dlq = page.getByTestId('queue-orders-dlq');
  await dlq.getByTestId('dlq-of').getByText('Dead-letter queue of orders').waitFor();
  assert.equal((await dlq.locator('td').nth(1).innerText()).trim(), '3');
  const orders = page.getByTestId('queue-orders');
  await orders.getByText('after 1 receives').waitFor();
  assert.equal(await orders.getByRole('button', { name: 'Start DLQ redrive' }).count(), 0, 'only a DLQ can be redriven');

  await tab(
    page,
    "orders-dlq's Start DLQ redrive",
    `(el) => (${button('Start DLQ redrive')})(el) && el.closest('tbody').dataset.testid === 'queue-orders-dlq'`,
  );
  await page.keyboard.press('Enter');
  await dlq.getByText('Each message goes back to the queue it was dead-lettered from: orders.').waitFor();
  await dlq.getByText('No redrive yet.').waitFor();
  await tab(page, 'the DLQ redrive button', button('DLQ redrive'));
  await page.keyboard.press('Enter');
  const task = dlq.getByTestId('redrive-task').first();
  await task.getByText('COMPLETED').waitFor();
  assert.match(await task.getByTestId('redrive-progress').innerText(), /3 of 3 moved/);
  assert.equal(await depth('orders-dlq'), 0);
  const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url('orders'), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  assert.deepEqual(back.Messages!.map((m) => m.Body).sort(), ['{"order":1}', '{"order":2}', '{"order":3}']);
  // The list follows: the DLQ is empty, the source queue has its messages back.
  await dlq.getByTestId('redrive-status').getByText('COMPLETED').waitFor();
  await page.waitForFunction(`document.querySelector('[data-testid="queue-orders"] td:nth-child(2)')?.textContent.trim() === '3'`);
  assert.equal((await dlq.locator('td').nth(1).innerText()).trim(), '0');
});

test('redrive to a chosen queue at a custom velocity, cancelled while running', { timeout: 40_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/queues`);
  const dlq = page.getByTestId('queue-billing-dlq');
  await dlq.getByRole('button', { name: 'Start DLQ redrive' }).click();
  await dlq.getByText('Redrive to custom destination').click();
  await dlq.getByLabel('Destination queue').selectOption({ label: 'replay' });
  await dlq.getByText('Custom max velocity').click();
  const rate = dlq.getByLabel('Maximum messages per second');
  await rate.fill('0');
  await dlq.getByText('Enter a whole number of messages per second from 1 to 500.').waitFor();
  assert.equal(await dlq.getByRole('button', { name: 'DLQ redrive', exact: true }).isDisabled(), true);
  await rate.fill('1');
  await dlq.getByRole('button', { name: 'DLQ redrive', exact: true }).click();
  const task = dlq.getByTestId('redrive-task').first();
  await task.getByText('RUNNING').waitFor();
  await task.getByText(/\b[1-4] of 5 moved/).waitFor();
  assert.equal((await task.locator('td').nth(2).innerText()).trim(), 'replay');
  assert.equal((await task.locator('td').nth(3).innerText()).trim(), '1/s');
  assert.equal(await dlq.getByRole('button', { name: 'DLQ redrive', exact: true }).isDisabled(), true, 'one task at a time');
  await h.shot(page, '23-queues-dlq-redrive');
  await task.getByRole('button', { name: 'Cancel redrive' }).click();
  await task.getByText('CANCELLED').waitFor();
  assert.equal(await task.getByRole('button', { name: 'Cancel redrive' }).count(), 0);
  const moved = await depth('replay');
  assert.ok(moved >= 1 && moved < 5, `${moved} moved before the cancel`);
  await page.waitForTimeout(1500);
  assert.equal(await depth('replay'), moved, 'nothing moves after the cancel');
  assert.equal(await depth('billing-dlq'), 5 - moved, 'the rest stays in the DLQ');
  assert.equal(await dlq.getByRole('button', { name: 'DLQ redrive', exact: true }).isDisabled(), false, 'a new redrive may start');
});

test('the redrive form in a 768 px window: no horizontal scrolling', { timeout: 20_000 }, async () => {
  const page = await h.page(768, 900);
  await page.goto(`${h.app.url}/#/queues`);
  const dlq = page.getByTestId('queue-billing-dlq');
  await dlq.getByRole('button', { name: 'Start DLQ redrive' }).click();
  await dlq.getByText('Custom max velocity').click();
  await dlq.getByLabel('Maximum messages per second').waitFor();
  assert.ok((await overflowX(page)) <= 0, 'no wider than the window');
  await h.shot(page, 'narrow-768-queues-redrive');
  assert.ok(await dlq.getByRole('button', { name: 'DLQ redrive', exact: true }).isVisible());
});
