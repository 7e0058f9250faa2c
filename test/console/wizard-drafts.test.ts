import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openHarness, type Harness } from './browser.js';

/**
 * The wizard's target step leads to a working target (existing ones offered, a missing one
 * refused with a way to create it), and work is not lost: leaving the wizard, the browser's Back
 * button, Cancel and switching from the JSON editor back to the form.
 */
const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'test' };
let h: Harness;
before(async () => {
  h = await openHarness();
  await h.app.notifications.sns.createTopic(ctx, { Name: 'existing-topic' });
});
after(() => h.close());

async function toTargets(page: Page, name: string): Promise<void> {
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByText('Maximum of 64 characters').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('checkbox', { name: 'available', exact: true }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Select target(s)' }).waitFor();
}

/** Answers the next confirm() with `accept`, instead of the harness's accept-all. */
function answerNextDialog(page: Page, accept: boolean): Promise<string> {
  page.removeAllListeners('dialog');
  return new Promise((resolve) =>
    page.once('dialog', (d) => {
      resolve(d.message());
      void (accept ? d.accept() : d.dismiss());
      page.on('dialog', (x) => void x.accept());
    }),
  );
}

test('a topic that does not exist is refused, can be created from the step, and existing ones are offered', {
  timeout: 30_000,
}, async () => {
  const page = await h.page();
  await toTargets(page, 'needs-a-topic');
  // The heading of the new step has the focus (a screen reader announces the step).
  assert.equal(await page.evaluate<string>('document.activeElement?.textContent'), 'Select target(s)');
  const offered = await page.locator('datalist#choices-0 option').evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  assert.deepEqual(offered, ['existing-topic']);
  await page.getByLabel('Topic', { exact: true }).fill('missing-topic');
  await page
    .getByTestId('target-missing')
    .getByText('Topic "missing-topic" does not exist in us-east-1. Choose an existing one, or create it.')
    .waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await h.shot(page, '30-wizard-target-missing');
  await page.getByRole('button', { name: 'Create topic missing-topic' }).click();
  await page.getByTestId('target-exists').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), false);
  const topics = await h.app.notifications.sns.listTopics(ctx, {});
  assert.ok(topics.Topics?.some((t) => t.TopicArn === 'arn:aws:sns:us-east-1:000000000000:missing-topic'));
  await page.getByLabel('Topic', { exact: true }).fill('existing-topic');
  await page.getByTestId('target-exists').waitFor();
});

test('the draft survives leaving the wizard by a link and by Back, and comes back where it was', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await toTargets(page, 'kept-rule');
  await page.getByLabel('Topic', { exact: true }).fill('existing-topic');
  await page.getByRole('navigation').getByRole('link', { name: 'SNS topics' }).click();
  await page.getByRole('heading', { name: 'SNS topics' }).waitFor();
  await page.goBack();
  await page.getByTestId('draft-restored').waitFor();
  assert.equal(await page.getByLabel('Topic', { exact: true }).inputValue(), 'existing-topic');
  await h.shot(page, '31-wizard-draft-restored');
  await page.getByRole('navigation').getByRole('link', { name: 'Rules' }).click();
  await page.getByRole('link', { name: 'Create rule' }).first().click();
  await page.getByTestId('draft-restored').waitFor();
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.getByRole('button', { name: 'Previous' }).click();
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'kept-rule');
});

test('Cancel asks before discarding the draft', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await toTargets(page, 'cancelled-rule');
  let asked = answerNextDialog(page, false);
  await page.getByRole('button', { name: 'Cancel' }).click();
  assert.match(await asked, /Discard this draft\?/);
  await page.getByRole('heading', { name: 'Select target(s)' }).waitFor();
  asked = answerNextDialog(page, true);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await asked;
  await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Create rule' }).first().click();
  await page.getByRole('heading', { name: 'Define rule detail' }).waitFor();
  assert.equal(await page.getByTestId('draft-restored').count(), 0);
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), '');
});

test('switching from the JSON editor back to the form asks before replacing the edited pattern', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill('json-then-form');
  await page.getByText('Maximum of 64 characters').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /Custom pattern \(JSON editor\)/ }).check();
  const content = page.getByTestId('editor-Event pattern').locator('.cm-content');
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('{"source": ["my.app"]}');
  let asked = answerNextDialog(page, false);
  await page.getByRole('radio', { name: /^Event pattern form/ }).click();
  assert.match(await asked, /replaced by the one the form builds/);
  assert.equal(await page.getByRole('radio', { name: /Custom pattern \(JSON editor\)/ }).isChecked(), true);
  assert.deepEqual(JSON.parse((await content.innerText()).replace(/\u00a0/g, ' ')), { source: ['my.app'] });
  asked = answerNextDialog(page, true);
  await page.getByRole('radio', { name: /^Event pattern form/ }).click();
  await asked;
  assert.equal(await page.getByRole('radio', { name: /^Event pattern form/ }).isChecked(), true);
});
