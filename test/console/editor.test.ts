import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openHarness, type Harness } from './browser.js';

/**
 * The JSON pattern editor under fast keyboard input: select-all, Delete, then typing as fast as
 * the keyboard sends keys (playwright's keyboard through CDP, no delay between keys). The editor
 * once replaced its document with a stale value after each render, which fired its change
 * handler, which rendered again: the tab froze and the draft was lost.
 */
let h: Harness;
before(async () => {
  h = await openHarness();
  await h.app.notifications.sns.createTopic({ accountId: '000000000000', region: 'us-east-1', requestId: 'setup' }, { Name: 'ami-topic' });
});
after(() => h.close());

/** Resolves with `work`, or fails when the tab stops answering (frozen) for `ms`. */
async function answers<T>(work: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const frozen = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the tab did not answer within ${ms} ms (frozen) while ${what}`)), ms);
  });
  try {
    return await Promise.race([work, frozen]);
  } finally {
    clearTimeout(timer);
  }
}

const editorText = `document.querySelector('[data-testid="editor-Event pattern"] .cm-content').innerText.replace(/\\u00a0/g, ' ')`;

async function openJsonEditor(page: Page): Promise<void> {
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill('fast-typing');
  await page.getByText('Maximum of 64 characters').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /Custom pattern \(JSON editor\)/ }).check();
  await page.getByTestId('editor-Event pattern').locator('.cm-content').click();
}

test('select-all, Delete, then fast typing: the tab keeps answering and keeps every key', { timeout: 60_000 }, async () => {
  const page = await h.page();
  await openJsonEditor(page);
  const typed = '{"source": ["aws.ec2"], "detail-type": ["EC2 AMI State Change"], "detail": {"State": ["available", "failed"]}}';
  for (let round = 0; round < 4; round++) {
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await answers(page.keyboard.type(typed), 'typing');
    const text = await answers(page.evaluate<string>(editorText), 'reading the editor');
    assert.deepEqual(JSON.parse(text), JSON.parse(typed), `round ${round + 1}: the document is what was typed`);
  }
  await page
    .getByTestId('pattern-status')
    .filter({ hasText: /^Valid event pattern\.$/ })
    .waitFor();
  // The draft holds the same text: the review shows it.
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Topic', { exact: true }).fill('ami-topic');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  assert.deepEqual(JSON.parse(await page.getByTestId('review-pattern').innerText()), JSON.parse(typed));
});

test('typing interleaved with deletions at key speed ends in the typed text', { timeout: 60_000 }, async () => {
  const page = await h.page();
  await openJsonEditor(page);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  for (const chunk of ['{"source": ["aws.ec2x', 'Backspace', '"], "account": ["12345', 'Backspace', 'Backspace', '"]}']) {
    await answers(chunk === 'Backspace' ? page.keyboard.press('Backspace') : page.keyboard.type(chunk), 'typing');
  }
  const text = await answers(page.evaluate<string>(editorText), 'reading the editor');
  assert.deepEqual(JSON.parse(text), { source: ['aws.ec2'], account: ['123'] });
});
