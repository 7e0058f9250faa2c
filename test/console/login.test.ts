import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHarness, type Harness } from './browser.js';
import { runningInstanceIn } from '../support/ec2-instance.js';

/**
 * With a credentials file the server verifies every signature, the console's included: it asks
 * for an access key and signs each call in the browser (the SDK's SigV4 signer). A wrong secret is
 * refused with AWS's error; the right one works for the AWS APIs, the control API and the live
 * stream alike.
 */
let h: Harness;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'console-login-'));
  const file = join(dir, 'credentials.json');
  writeFileSync(
    file,
    JSON.stringify({ credentials: [{ accessKeyId: 'AKIACONSOLE', secretAccessKey: 'console-secret', accountId: '111111111111' }] }),
  );
  h = await openHarness({}, { credentialsFile: file });
  await h.app.events.rules.putRule(
    { accountId: '111111111111', region: 'us-east-1', requestId: 't' },
    { Name: 'signed-rule', EventPattern: '{"source":["aws.ec2"]}' },
  );
});
after(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

test('unsigned calls are refused; the console signs in and signs every call', { timeout: 30_000 }, async () => {
  const unsigned = await fetch(`${h.app.url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSEvents.ListRules',
      authorization: `AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
    },
    body: '{}',
  });
  assert.equal(unsigned.status, 403);
  assert.equal(((await unsigned.json()) as { __type: string }).__type, 'UnrecognizedClientException');

  const page = await h.page();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await h.shot(page, '15-sign-in');
  await page.getByLabel('Access key ID').fill('AKIACONSOLE');
  await page.getByLabel('Secret access key').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Refused on the sign-in form itself: the key is checked with a signed call before it is kept.
  await page
    .getByRole('alert')
    .getByText(/InvalidSignatureException: The request signature we calculated does not match/)
    .waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Sign in' }).isVisible(), true);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
  assert.equal(await page.evaluate<string | null>("sessionStorage.getItem('amiwatch.key')"), null);

  await page.getByLabel('Secret access key').fill('console-secret');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('rule-signed-rule').waitFor();
  await page.getByTestId('account').filter({ hasText: '111111111111' }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'Events' }).click();
  await page.getByTestId('live').filter({ hasText: 'Live' }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'AMIs' }).click();
  await page.getByText('No fault rules').waitFor();
  await page.getByLabel('Image name pattern').fill('never-*');
  await page.getByLabel('Error message').fill('signed fault');
  await page.getByRole('button', { name: 'Add fault rule' }).click();
  await page.getByTestId('fault-rule').waitFor();
  await page.getByLabel('Image name', { exact: true }).fill('signed-image');
  await page.getByLabel('Instance ID').fill(await runningInstanceIn(h.app, '111111111111'));
  await page.getByRole('button', { name: 'Create image' }).click();
  await page.getByTestId('ami-signed-image').waitFor();
});
