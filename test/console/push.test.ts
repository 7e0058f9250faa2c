import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetEndpointAttributesCommand, ListPlatformApplicationsCommand, SNSClient } from '@aws-sdk/client-sns';
import { openHarness, titled, type Harness } from './browser.js';

/**
 * SNS mobile push in the console: a platform application created (its credential typed once,
 * never shown), an endpoint for a device token, a message published to it (into the outbox),
 * the endpoint disabled, the application deleted — each checked through the AWS SDK.
 */
let h: Harness;
let sns: SNSClient;
before(async () => {
  h = await openHarness();
  sns = new SNSClient({
    endpoint: h.app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
after(async () => {
  sns.destroy();
  await h.close();
});

test('platform applications and endpoints: create, publish, disable, delete', { timeout: 40_000 }, async () => {
  const page = await h.page();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.getByRole('link', { name: 'Mobile push' }).click();
  await page.getByLabel('Application name').fill('ami-alerts');
  await page.getByLabel('Push platform').selectOption('GCM');
  await page.getByLabel('Platform credential').fill('firebase-server-key');
  await page.getByRole('button', { name: 'Create platform application' }).click();
  const row = page.getByTestId('push-app-ami-alerts');
  await row.getByText('Enabled').waitFor();
  const { PlatformApplications } = await sns.send(new ListPlatformApplicationsCommand({}));
  const arn = PlatformApplications?.[0]?.PlatformApplicationArn;
  assert.equal(arn, 'arn:aws:sns:us-east-1:000000000000:app/GCM/ami-alerts');

  await row.getByRole('link', { name: 'ami-alerts' }).click();
  await page.getByRole('heading', { name: 'ami-alerts' }).waitFor();
  await titled(page, 'Platform application ami-alerts · amiwatch');
  assert.doesNotMatch(await page.getByTestId('push-app-attributes').innerText(), /firebase-server-key/);
  await page.getByLabel('Device token').fill('device-token-1');
  await page.getByLabel('User data').fill('pixel-8');
  await page.getByRole('button', { name: 'Create application endpoint' }).click();
  const endpoint = page.getByTestId('push-endpoint');
  await endpoint.getByText('device-token-1').waitFor();
  const endpointArn = (await endpoint.locator('.mono').first().innerText()).trim();
  assert.match(endpointArn, /^arn:aws:sns:us-east-1:000000000000:endpoint\/GCM\/ami-alerts\/[0-9a-f-]{36}$/);

  await endpoint.getByLabel('Message to the endpoint').fill('ami-0123 is available');
  await endpoint.getByRole('button', { name: 'Publish message' }).click();
  await page
    .getByRole('status')
    .getByText(/^Message published to the endpoint/)
    .waitFor();
  const outbox = (await (await fetch(`${h.app.url}/_amiwatch/outbox`)).json()) as { messages: { endpoint: string; message: string }[] };
  assert.ok(
    outbox.messages.some((m) => m.message.includes('ami-0123 is available')),
    JSON.stringify(outbox.messages),
  );

  await endpoint.getByRole('button', { name: 'Disable' }).click();
  await endpoint.getByText('Disabled', { exact: true }).waitFor();
  const { Attributes } = await sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpointArn }));
  assert.equal(Attributes?.Enabled, 'false');
  await h.shot(page, '37-push-application');

  await page.getByRole('link', { name: 'Mobile push' }).first().click();
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  assert.deepEqual((await sns.send(new ListPlatformApplicationsCommand({}))).PlatformApplications ?? [], []);
  assert.deepEqual(errors, []);
});
