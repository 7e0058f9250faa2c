import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PutEventsCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { openHarness, type Harness } from './browser.js';
import { sdkClient } from '../e2e/helpers.js';

/**
 * The dashboard shows the metrics of the region it is in (a "default" bus and a rule of the same
 * name exist in both regions here), each chart with its total in words.
 */
let h: Harness;
before(async () => {
  h = await openHarness();
  for (const [region, events] of [
    ['us-east-1', 1],
    ['eu-west-1', 4],
  ] as const) {
    const eb = sdkClient(h.app, undefined, region);
    await eb.send(new PutRuleCommand({ Name: 'regional', EventPattern: '{"source":["regional"]}' }));
    await eb.send(
      new PutEventsCommand({ Entries: Array.from({ length: events }, () => ({ Source: 'regional', DetailType: 'r', Detail: '{}' })) }),
    );
    eb.destroy();
  }
});
after(() => h.close());

test('the dashboard follows the region selector', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/dashboard`);
  const matched = page.getByTestId('chart-MatchedEvents').getByTestId('chart-summary');
  await matched.filter({ hasText: 'total 1' }).waitFor();
  assert.equal(await page.title(), 'Dashboard · amiwatch');
  await page.getByLabel('Region').selectOption('eu-west-1');
  await page.getByTestId('chart-MatchedEvents').getByTestId('chart-summary').filter({ hasText: 'total 4' }).waitFor();
  await h.shot(page, '33-dashboard-region');
  await page.getByLabel('Region').selectOption('us-west-2');
  await page
    .getByTestId('chart-MatchedEvents')
    .getByTestId('chart-summary')
    .filter({ hasText: /no data|total 0/ })
    .waitFor();
});
