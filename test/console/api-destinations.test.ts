import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListApiDestinationsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { sdkClient } from '../e2e/helpers.js';
import { openHarness, type Harness } from './browser.js';

/**
 * The console creates a connection (API key) and an API destination, and the rule wizard picks
 * that API destination as the target: the guide's rule with a webhook target, made in the
 * console, delivers to a real local HTTP server with the key. The key is never shown back.
 */
let h: Harness;
let eb: EventBridgeClient;
let hook: Server;
let hookUrl = '';
const hits: { headers: IncomingMessage['headers']; body: string }[] = [];

before(async () => {
  h = await openHarness();
  eb = sdkClient(h.app);
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => (hits.push({ headers: req.headers, body }), res.writeHead(200).end()));
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/slack`;
});
after(async () => {
  eb.destroy();
  await h.close();
  hook.closeAllConnections();
  await new Promise((r) => hook.close(r));
});

test('connections and API destinations from the console; a rule made in the wizard sends AMI events to the webhook', {
  timeout: 90_000,
}, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/api-destinations`);
  await page.getByLabel('Connection name', { exact: true }).fill('slack');
  await page.getByLabel('Authorization type').selectOption('API_KEY');
  await page.getByLabel('API key name', { exact: true }).fill('x-slack-key');
  await page.getByLabel('API key value', { exact: true }).fill('xoxb-secret');
  await page.getByRole('button', { name: 'Create connection' }).click();
  await page.getByTestId('connection-slack').getByText('AUTHORIZED').waitFor();
  assert.ok(!(await page.content()).includes('xoxb-secret'), 'the key is not shown back');

  await page.getByLabel('API destination name', { exact: true }).fill('slack-hook');
  await page.getByLabel('API destination endpoint', { exact: true }).fill(hookUrl);
  await page.getByLabel('Invocation rate limit per second', { exact: true }).fill('20');
  await page.getByRole('button', { name: 'Create API destination' }).click();
  await page.getByTestId('api-destination-slack-hook').getByText('20/s').waitFor();
  await h.shot(page, 'api-destinations');
  const arn = (await eb.send(new ListApiDestinationsCommand({}))).ApiDestinations![0]!.ApiDestinationArn!;

  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill('ami-to-slack');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /Custom pattern \(JSON editor\)/ }).check();
  await page.getByTestId('editor-Event pattern').locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('{"source": ["aws.ec2"], "detail-type": ["EC2 AMI State Change"]}');
  await page
    .getByTestId('pattern-status')
    .filter({ hasText: /^Valid event pattern\.$/ })
    .waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Select a target', { exact: true }).selectOption('api-destination');
  assert.equal(await page.locator('#choices-0 option').first().getAttribute('value'), arn, 'the API destinations are offered');
  await page.getByLabel('API destination', { exact: true }).fill(arn);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.getByTestId('rule-ami-to-slack').waitFor();

  await h.app.events.ingestion.putServiceEvents([
    {
      source: 'aws.ec2',
      detailType: 'EC2 AMI State Change',
      detail: { ImageId: 'ami-0abc', State: 'available' },
      resources: [],
      account: '000000000000',
      region: 'us-east-1',
      time: Date.now(),
    },
  ]);
  const deadline = Date.now() + 15_000;
  while (hits.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(hits.length, 1);
  assert.equal(hits[0]!.headers['x-slack-key'], 'xoxb-secret');
  assert.equal(JSON.parse(hits[0]!.body).detail.ImageId, 'ami-0abc');
});
