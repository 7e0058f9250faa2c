import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateImageCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateArchiveCommand, CreateConnectionCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { openHarness, type Harness } from './browser.js';
import { sdkClient } from '../e2e/helpers.js';
import { runningInstance } from '../support/ec2-instance.js';

/**
 * Live everywhere: what the AWS SDK creates shows on the open list pages within a second or two
 * without a reload (the console follows /_amiwatch/changes), images newest first; each page has
 * its own title; a server that stops answering is shown as down, not as empty.
 */
let h: Harness;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
before(async () => {
  h = await openHarness();
});
after(() => h.close().catch(() => undefined));

test('an AMI made with the SDK appears at the top of the open AMIs page, then turns available', { timeout: 30_000 }, async () => {
  const ec2 = new EC2Client({ endpoint: h.app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'older-image' }));
    const page = await h.page();
    await page.goto(`${h.app.url}/#/amis`);
    await page.getByTestId('ami-older-image').waitFor();
    assert.equal(await page.title(), 'AMIs · amiwatch');
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'made-by-the-sdk' }));
    await page.getByTestId('ami-made-by-the-sdk').waitFor({ timeout: 3000 });
    assert.equal(await page.locator('tbody tr').first().getAttribute('data-testid'), 'ami-made-by-the-sdk', 'newest first');
    // pending → available is a change too (the lifecycle's write): no polling needed to see it.
    await page.getByTestId('ami-made-by-the-sdk').getByText('available').waitFor({ timeout: 10_000 });
  } finally {
    ec2.destroy();
  }
});

test('topics and rules made with the SDK appear on their open pages', { timeout: 30_000 }, async () => {
  const sns = new SNSClient({ endpoint: h.app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const events = sdkClient(h.app);
  try {
    const page = await h.page();
    await page.goto(`${h.app.url}/#/sns`);
    await page.getByRole('heading', { name: 'SNS topics' }).waitFor();
    assert.equal(await page.title(), 'SNS topics · amiwatch');
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await sns.send(new CreateTopicCommand({ Name: 'made-by-the-cli' }));
    await page.getByText('made-by-the-cli').first().waitFor({ timeout: 3000 });
    await page.goto(`${h.app.url}/#/rules`);
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await events.send(new PutRuleCommand({ Name: 'rule-from-the-sdk', EventPattern: '{"source":["aws.ec2"]}' }));
    await page.getByTestId('rule-rule-from-the-sdk').waitFor({ timeout: 3000 });
  } finally {
    sns.destroy();
    events.destroy();
  }
});

test('a skip link leads past the navigation to the page', { timeout: 20_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/events`);
  await page.getByRole('heading', { name: 'Events' }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate<string>('document.activeElement?.textContent?.trim()'), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate<string>('document.activeElement?.id'), 'main');
});

test('archives and connections made with the SDK appear on their open pages', { timeout: 30_000 }, async () => {
  const events = sdkClient(h.app);
  try {
    const page = await h.page();
    await page.goto(`${h.app.url}/#/archives`);
    await page.getByRole('heading', { name: 'Archives and replays' }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await events.send(
      new CreateArchiveCommand({
        ArchiveName: 'archive-from-the-sdk',
        EventSourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
      }),
    );
    await page.getByTestId('archive-archive-from-the-sdk').waitFor({ timeout: 3000 });
    await page.goto(`${h.app.url}/#/api-destinations`);
    await page.getByRole('heading', { name: 'API destinations', level: 1 }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await events.send(
      new CreateConnectionCommand({
        Name: 'connection-from-the-sdk',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'secret' } },
      }),
    );
    await page.getByTestId('connection-connection-from-the-sdk').waitFor({ timeout: 3000 });
  } finally {
    events.destroy();
  }
});

// Last: it stops the server.
test('a server that stops answering is shown as down: red Live dot and a banner, not an empty page', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/mailbox`);
  await page.getByText('No mail yet').waitFor();
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
  await h.app.close();
  await page.getByTestId('connection').filter({ hasText: 'Server down' }).waitFor({ timeout: 5000 });
  await page.getByTestId('server-down').waitFor();
  await page.getByText('No mail yet').waitFor({ state: 'detached', timeout: 5000 });
  await h.shot(page, '32-server-down');
});
