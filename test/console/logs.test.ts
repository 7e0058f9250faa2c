import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ConsoleMessage, Page } from 'playwright-core';
import { openHarness, titled, type Harness } from './browser.js';
import { ROLE, TUTORIAL_FUNCTION, zipOf } from '../lambda/helpers.js';

/**
 * CloudWatch Logs in the console: log groups (search, create, retention, delete), a group's
 * streams and a search across them, a stream's events followed live and filtered; a function's
 * page leads to its logs ("View logs"). And pages that show a policy that is not there say so,
 * with nothing logged in the browser's console (GetPolicy's 404 is never asked for).
 */
const config = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
let h: Harness;
let cwl: CloudWatchLogsClient;
let lambda: LambdaClient;
before(async () => {
  h = await openHarness();
  cwl = new CloudWatchLogsClient({ endpoint: h.app.url, ...config });
  lambda = new LambdaClient({ endpoint: h.app.url, ...config });
});
after(async () => {
  cwl.destroy();
  lambda.destroy();
  await h.close();
});

/** The browser console's errors ("Failed to load resource: … 404" among them) from now on. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url}`));
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

const put = (message: string, stream = 'web') =>
  cwl.send(
    new PutLogEventsCommand({ logGroupName: '/demo/ami-notes', logStreamName: stream, logEvents: [{ timestamp: Date.now(), message }] }),
  );

test("log groups: retention and delete; a group's streams; a stream's events followed live and filtered", { timeout: 60_000 }, async () => {
  await cwl.send(new CreateLogGroupCommand({ logGroupName: '/demo/ami-notes' }));
  await cwl.send(new CreateLogStreamCommand({ logGroupName: '/demo/ami-notes', logStreamName: 'web' }));
  await cwl.send(new CreateLogStreamCommand({ logGroupName: '/demo/ami-notes', logStreamName: 'worker' }));
  await put('ami-0123 available');
  await put('ami-0456 failed', 'worker');
  const page = await h.page();
  const errors = consoleErrors(page);
  await page.getByRole('link', { name: 'Log groups' }).click();
  await titled(page, 'Log groups · amiwatch');
  const row = page.getByTestId('log-group-/demo/ami-notes');
  await row.getByLabel('Retention of /demo/ami-notes').selectOption({ label: '1 week' });
  for (let i = 0; i < 50; i++) {
    const { logGroups } = await cwl.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/demo/ami-notes' }));
    if (logGroups?.[0]?.retentionInDays === 7) break;
    assert.ok(i < 49, 'PutRetentionPolicy was sent');
    await new Promise((r) => setTimeout(r, 100));
  }
  // Made by another client while the page is open: it appears.
  await cwl.send(new CreateLogGroupCommand({ logGroupName: '/demo/made-elsewhere' }));
  await page.getByTestId('log-group-/demo/made-elsewhere').waitFor();
  await page.getByLabel('Filter log groups').fill('AMI-NOTES');
  await page.getByTestId('log-group-/demo/made-elsewhere').waitFor({ state: 'detached' });

  await row.getByRole('link', { name: '/demo/ami-notes' }).click();
  await page.getByRole('heading', { name: '/demo/ami-notes' }).waitFor();
  await titled(page, 'Log group /demo/ami-notes · amiwatch');
  await page.getByTestId('log-group-fields').getByText('arn:aws:logs:us-east-1:000000000000:log-group:/demo/ami-notes').waitFor();
  await page.getByTestId('log-stream').nth(1).waitFor();
  assert.equal(await page.getByTestId('log-stream').count(), 2);
  // Search across streams with a filter pattern.
  await page.getByLabel('Filter pattern').fill('failed');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('search-summary').getByText('1 event(s) match.').waitFor();
  assert.match(await page.getByTestId('log-event').innerText(), /worker\s+ami-0456 failed/);
  await h.shot(page, '35-log-group');

  await page.getByTestId('log-stream').getByRole('link', { name: 'web' }).click();
  await page.getByRole('heading', { name: 'web' }).waitFor();
  await titled(page, 'Log stream web · amiwatch');
  await page.getByTestId('log-event').getByText('ami-0123 available').waitFor();
  // Written by another client while the page follows: appended, the older event kept.
  await put('ami-0789 available');
  await put('ami-0999 deregistered');
  await page.getByTestId('log-event').getByText('ami-0999 deregistered').waitFor({ timeout: 5000 });
  assert.deepEqual(
    (await page.getByTestId('log-event').locator('pre').allInnerTexts()).map((t) => t.trim()),
    ['ami-0123 available', 'ami-0789 available', 'ami-0999 deregistered'],
  );
  await page.getByLabel('Filter events').fill('available');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByTestId('log-event').getByText('ami-0999 deregistered').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('log-event').count(), 2);
  // Still followed with the filter on: a matching event comes in, a non-matching one does not.
  await put('ami-0aaa available');
  await put('ami-0bbb failed');
  await page.getByTestId('log-event').getByText('ami-0aaa available').waitFor({ timeout: 5000 });
  assert.equal(await page.getByTestId('log-event').getByText('ami-0bbb failed').count(), 0);
  await h.shot(page, '36-log-stream-follow');

  await page.goto(`${h.app.url}/#/logs`);
  await page.getByTestId('log-group-/demo/made-elsewhere').getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('log-group-/demo/made-elsewhere').waitFor({ state: 'detached' });
  const { logGroups } = await cwl.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/demo/' }));
  assert.deepEqual(
    logGroups?.map((g) => g.logGroupName),
    ['/demo/ami-notes'],
  );
  assert.deepEqual(errors, []);
});

test("a function's page: no policy shown as none, then AddPermission's; View logs opens its log group; no browser console error", {
  timeout: 60_000,
}, async () => {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'logged-fn',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': TUTORIAL_FUNCTION }) },
    }),
  );
  await lambda.send(new InvokeCommand({ FunctionName: 'logged-fn', Payload: Buffer.from('{"detail":{"state":"running"}}') }));
  await h.app.notifications.sqs.createQueue(
    { accountId: '000000000000', region: 'us-east-1', requestId: 'setup' },
    { QueueName: 'plain-queue' },
  );
  const page = await h.page();
  const errors = consoleErrors(page);
  await page.goto(`${h.app.url}/#/function/logged-fn`);
  await page.getByTestId('policy-none').getByText('No resource-based policy').waitFor();
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'logged-fn',
      StatementId: 'from-rule',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
    }),
  );
  // Changed by another client: the page shows the new policy.
  await page.getByTestId('policy').getByText('"Sid": "from-rule"').waitFor({ timeout: 5000 });

  await page.getByRole('link', { name: 'View logs' }).click();
  await page.getByRole('heading', { name: '/aws/lambda/logged-fn' }).waitFor();
  await page.getByTestId('log-stream').first().getByRole('link').click();
  await page.getByTestId('log-event').getByText('LogEC2InstanceStateChange').waitFor();
  assert.ok(
    (await page
      .getByTestId('log-event')
      .getByText(/^START RequestId: /)
      .count()) >= 1,
  );

  await page.goto(`${h.app.url}/#/queue/plain-queue`);
  await page.getByTestId('policy-none').getByText('No access policy').waitFor();
  const topic = await h.app.notifications.sns.createTopic(
    { accountId: '000000000000', region: 'us-east-1', requestId: 'setup' },
    { Name: 'plain-topic' },
  );
  await page.goto(`${h.app.url}/#/topic/${encodeURIComponent(topic.TopicArn!)}`);
  // SNS gives every topic its owner's default policy.
  await page.getByTestId('policy').getByText('"Sid": "__default_statement_ID"').waitFor();
  await page.goto(`${h.app.url}/#/logs`);
  await page.getByTestId('log-group-/aws/lambda/logged-fn').waitFor();
  assert.deepEqual(errors, []);
});
