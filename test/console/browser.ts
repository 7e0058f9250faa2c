import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';

/**
 * The browser suites' harness: one amiwatch (in memory, ephemeral port) and one Debian Chromium
 * per test file, a fresh page per test. The console must be built (`npm test` builds it).
 * Screenshots go to test-artifacts/console/ (gitignored); docs/console/ holds the curated ones.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const shotsDir = join('test-artifacts', 'console');

export interface Harness {
  app: App;
  browser: Browser;
  page(width?: number, height?: number): Promise<Page>;
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openHarness(
  options: Parameters<typeof startTestServer>[1] = {},
  config: Parameters<typeof startTestServer>[0] = {},
): Promise<Harness> {
  const app = await startTestServer(config, options);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(shotsDir, { recursive: true });
  const pages: Page[] = [];
  return {
    app,
    browser,
    async page(width = 1280, height = 800) {
      const page = await browser.newPage({ viewport: { width, height } });
      page.setDefaultTimeout(10_000);
      // Auto-accept confirm() dialogs (delete, deregister).
      page.on('dialog', (d) => void d.accept());
      pages.push(page);
      await page.goto(app.url);
      return page;
    },
    async shot(page, name) {
      await page.screenshot({ path: join(shotsDir, `${name}.png`) });
    },
    async close() {
      await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
      await browser.close();
      await app.close();
    },
  };
}

/** Predicates on `document.activeElement` for `tab`: an element by its aria-label, a button by its text. */
export const named = (label: string) => `(el) => el.getAttribute('aria-label') === ${JSON.stringify(label)}`;
export const button = (text: string) => `(el) => el.tagName === 'BUTTON' && el.textContent.trim() === ${JSON.stringify(text)}`;

/** Presses Tab until the focused element satisfies `predicate` (the path a keyboard user takes). */
export async function tab(page: Page, description: string, predicate: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`(${predicate})(document.activeElement)`)) return;
  }
  assert.fail(`Tab never reached ${description}`);
}

/** How many pixels the page is wider than a window (0 or less: no horizontal scrolling). */
export const overflowX = (page: Page): Promise<number> =>
  page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

/** Waits for the tab's title (set by an effect after the page renders, so not at once). */
export const titled = (page: Page, title: string) =>
  page.waitForFunction((t) => (globalThis as unknown as { document: { title: string } }).document.title === t, title);
