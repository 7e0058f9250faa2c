import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openHarness, type Harness } from './browser.js';

/**
 * What a first visit downloads: the code editor and the charts only on the pages that show them,
 * every script and style compressed, hashed assets cacheable for good and index.html revalidated.
 */
let h: Harness;
before(async () => {
  h = await openHarness();
});
after(() => h.close());

interface Loaded {
  url: string;
  encoding: string | undefined;
  cache: string | undefined;
}

/** Opens `route` in a fresh context (empty cache) and lists what it fetched from the console. */
async function firstLoad(route: string, ready: (page: Page) => Promise<unknown>): Promise<Loaded[]> {
  const context = await h.browser.newContext();
  const page = await context.newPage();
  const loaded: Loaded[] = [];
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/' || url.pathname.startsWith('/assets/'))
      loaded.push({ url: url.pathname, encoding: r.headers()['content-encoding'], cache: r.headers()['cache-control'] });
  });
  await page.goto(`${h.app.url}/#/${route}`);
  await ready(page);
  // The page keeps its change stream open, so the network never idles: Live means booted.
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
  await context.close();
  return loaded;
}

test('the rules page loads neither the code editor nor the charts; every asset compressed and cacheable', { timeout: 30_000 }, async () => {
  const loaded = await firstLoad('rules', (p) => p.getByRole('heading', { name: 'Rules', exact: true }).waitFor());
  assert.ok(!loaded.some((l) => /code-editor|chart|log-pages|push-pages|cloudtrail/.test(l.url)), loaded.map((l) => l.url).join(', '));
  for (const l of loaded.filter((x) => /\.(js|css)$/.test(x.url))) {
    assert.equal(l.encoding, 'br', `${l.url} compressed`);
    assert.equal(l.cache, 'public, max-age=31536000, immutable', `${l.url} cached`);
  }
  assert.equal(loaded.find((l) => l.url === '/')?.cache, 'no-cache');
});

test('the dashboard loads the charts, not the editor; the wizard loads the editor when it shows it', { timeout: 30_000 }, async () => {
  const dashboard = await firstLoad('dashboard', (p) => p.getByTestId('chart-MatchedEvents').waitFor());
  assert.ok(dashboard.some((l) => /chart-view/.test(l.url)));
  assert.ok(!dashboard.some((l) => /code-editor/.test(l.url)));
  const page = await h.page();
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill('lazy-editor');
  await page.getByText('Maximum of 64 characters').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByTestId('editor-Event pattern').locator('.cm-content').waitFor();
});

test('the log pages are their own chunk, fetched by the first of them opened', { timeout: 30_000 }, async () => {
  const loaded = await firstLoad('logs', (p) => p.getByRole('heading', { name: 'Log groups' }).waitFor());
  assert.ok(
    loaded.some((l) => /log-pages/.test(l.url)),
    loaded.map((l) => l.url).join(', '),
  );
  assert.ok(!loaded.some((l) => /push-pages|cloudtrail|code-editor/.test(l.url)));
});

test('checks whose "no" is expected log nothing in the browser console; a refused bus name stays in its field', {
  timeout: 30_000,
}, async () => {
  const page = await h.page();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${h.app.url}/#/rules/new`);
  const ruleChecked = page.waitForResponse((r) => (r.request().postData() ?? '').includes('"NamePrefix":"a-free-rule-name"'));
  await page.getByLabel('Name', { exact: true }).fill('a-free-rule-name');
  await ruleChecked;
  await page.goto(`${h.app.url}/#/functions`);
  await page.getByRole('button', { name: 'Create function' }).first().click();
  const functionChecked = page.waitForResponse((r) => r.url().includes('/2015-03-31/functions'));
  await page.getByLabel('Function name').fill('a-free-function-name');
  await functionChecked;
  assert.deepEqual(errors, []);

  await page.goto(`${h.app.url}/#/buses`);
  await page.getByLabel('New event bus name').fill('bad name!');
  await page.getByRole('button', { name: 'Create event bus' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByLabel('New event bus name').inputValue(), 'bad name!');
});
