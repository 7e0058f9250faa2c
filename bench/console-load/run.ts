import { chromium } from 'playwright-core';
import { startTestServer } from '../../test/e2e/helpers.js';

/**
 * First load of console pages as a browser sees it: bytes transferred over the wire (CDP's
 * encodedDataLength, so compression counts) and first contentful paint, in a fresh browser
 * context (empty cache) per page. Medians of a few runs. Run with
 * `node --import tsx bench/console-load/run.ts` after `npm run build`.
 */
const routes = ['dashboard', 'rules'];
const runs = Number(process.argv[2] ?? 5);
const app = await startTestServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  for (const route of routes) {
    const bytes: number[] = [];
    const fcp: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let total = 0;
      cdp.on('Network.loadingFinished', (e) => (total += e.encodedDataLength));
      await page.goto(`${app.url}/#/${route}`);
      await page.locator('h1').first().waitFor();
      // The page keeps a change stream open (the network never idles): the first chart or the
      // first table row, then Live, mark a page that is all there.
      await page.locator('figure canvas, table, .empty').first().waitFor();
      await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
      fcp.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
      bytes.push(total);
      await context.close();
    }
    console.log(
      `${route}: ${(median(bytes) / 1024).toFixed(1)} KB transferred, first contentful paint ${median(fcp).toFixed(0)} ms (median of ${runs})`,
    );
  }
} finally {
  await browser.close();
  await app.close();
}
