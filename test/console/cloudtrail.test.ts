import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { openHarness, type Harness } from './browser.js';

/**
 * CloudTrail in the console: a trail created and started, a call made by another client found
 * in the event history by its name (its resource linked to its page, its record opened), the
 * trail stopped — checked through the AWS SDK.
 */
const config = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
let h: Harness;
before(async () => {
  h = await openHarness();
});
after(() => h.close());

test('trails and the event history', { timeout: 40_000 }, async () => {
  const trail = new CloudTrailClient({ endpoint: h.app.url, ...config });
  const sns = new SNSClient({ endpoint: h.app.url, ...config });
  try {
    const page = await h.page();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.getByRole('link', { name: 'CloudTrail' }).click();
    await page.getByText('No trails').waitFor();
    await page.getByLabel('Trail name').fill('management');
    await page.getByLabel('S3 bucket name').fill('audit-logs');
    await page.getByRole('button', { name: 'Create trail' }).click();
    const row = page.getByTestId('trail-management');
    await row.getByText('Logging', { exact: true }).waitFor();
    assert.equal((await trail.send(new GetTrailStatusCommand({ Name: 'management' }))).IsLogging, true);

    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'audited' }));
    await page.getByLabel('Lookup attribute').selectOption('EventName');
    await page.getByLabel('Lookup value').fill('CreateTopic');
    await page.getByRole('button', { name: 'Look up' }).click();
    const event = page.getByTestId('trail-event');
    // The history read when the page opened was empty (no trail logged yet): rows are the lookup's.
    await event.first().waitFor();
    assert.equal(await event.count(), 1);
    assert.match(await event.innerText(), /CreateTopic\s+sns\.amazonaws\.com/);
    assert.equal(await event.getByRole('link', { name: TopicArn! }).getAttribute('href'), `#/topic/${encodeURIComponent(TopicArn!)}`);
    await event.getByRole('button', { name: 'CreateTopic' }).click();
    const record = JSON.parse(await page.getByTestId('trail-event-json').innerText()) as {
      eventName: string;
      requestParameters: { name: string };
    };
    assert.equal(record.eventName, 'CreateTopic');
    assert.equal(record.requestParameters.name, 'audited');
    await h.shot(page, '39-cloudtrail');

    await row.getByRole('button', { name: 'Stop logging' }).click();
    await row.getByText('Not logging').waitFor();
    assert.equal((await trail.send(new GetTrailStatusCommand({ Name: 'management' }))).IsLogging, false);
    // Made by another client (in another region, for all regions): the list shows it.
    const west = new CloudTrailClient({ endpoint: h.app.url, ...config, region: 'eu-west-1' });
    await west.send(new CreateTrailCommand({ Name: 'from-the-cli', S3BucketName: 'audit-logs', IsMultiRegionTrail: true }));
    west.destroy();
    await page.getByTestId('trail-from-the-cli').getByText('eu-west-1').waitFor({ timeout: 3000 });
    assert.deepEqual(errors, []);
  } finally {
    trail.destroy();
    sns.destroy();
  }
});
