import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { openHarness, type Harness } from './browser.js';
import { sdkClient } from '../e2e/helpers.js';

/** The Events page's filters search the server's whole history, not only the 50 rows loaded. */
let h: Harness;
before(async () => {
  h = await openHarness();
  const eb = sdkClient(h.app);
  await eb.send(
    new PutEventsCommand({
      Entries: [{ Source: 'billing.app', DetailType: 'Invoice Failed', Detail: '{"invoice":"inv-1","level":"error"}' }],
    }),
  );
  await eb.send(
    new PutEventsCommand({
      Entries: [{ Source: 'billing.app', DetailType: 'Invoice Paid', Detail: '{"invoice":"inv-2","level":"info"}' }],
    }),
  );
  for (let k = 0; k < 7; k++)
    await eb.send(
      new PutEventsCommand({
        Entries: Array.from({ length: 10 }, (_, i) => ({ Source: 'noise.app', DetailType: 'Noise', Detail: JSON.stringify({ i }) })),
      }),
    );
  eb.destroy();
});
after(() => h.close());

test('source, detail-type and pattern filters find events older than the loaded page', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/events`);
  const rows = page.getByTestId('event-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 50, 'the newest 50 are loaded');
  await page.getByLabel('Source filter', { exact: true }).fill('billing');
  await rows.filter({ hasText: 'Invoice Paid' }).waitFor();
  assert.equal(await rows.count(), 2);
  await page.getByLabel('Detail type filter', { exact: true }).fill('failed');
  await rows.filter({ hasText: 'Invoice Paid' }).waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 1);
  await page.getByLabel('Detail type filter', { exact: true }).fill('');
  await page.getByLabel('Pattern filter', { exact: true }).fill('{"detail": {"level": ["info"]}}');
  await rows.filter({ hasText: 'Invoice Failed' }).waitFor({ state: 'detached' });
  await rows.filter({ hasText: 'Invoice Paid' }).waitFor();
  await page.getByLabel('Source filter', { exact: true }).fill('nothing-like-this');
  await page.getByText('No events match these filters').waitFor();
});
