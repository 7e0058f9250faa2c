import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAliasCommand, CreateFunctionCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { openHarness, type Harness } from './browser.js';
import { ROLE, TUTORIAL_FUNCTION, zipOf } from '../lambda/helpers.js';

/**
 * A function's page beyond its configuration: triggers (an SQS event source mapping added by
 * the queue's name, disabled, deleted), versions (one published) and aliases (one made by
 * another client appears) — each checked through the AWS SDK.
 */
let h: Harness;
let lambda: LambdaClient;
const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'setup' };
before(async () => {
  h = await openHarness();
  lambda = new LambdaClient({
    endpoint: h.app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'worker',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': TUTORIAL_FUNCTION }) },
    }),
  );
  await h.app.notifications.sqs.createQueue(ctx, { QueueName: 'jobs' });
});
after(async () => {
  lambda.destroy();
  await h.close();
});

test("a function's triggers, versions and aliases", { timeout: 40_000 }, async () => {
  const page = await h.page();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${h.app.url}/#/function/worker`);
  await page.getByText('No triggers').waitFor();
  await page.getByLabel('SQS queue').fill('jobs');
  await page.getByLabel('Batch size').fill('5');
  await page.getByRole('button', { name: 'Add trigger' }).click();
  const trigger = page.getByTestId('trigger');
  await trigger.getByText('Enabled', { exact: true }).waitFor({ timeout: 10_000 });
  assert.equal(await trigger.getByRole('link', { name: 'arn:aws:sqs:us-east-1:000000000000:jobs' }).getAttribute('href'), '#/queue/jobs');
  await trigger.getByRole('button', { name: 'Disable' }).click();
  await trigger.getByText('Disabled', { exact: true }).waitFor({ timeout: 10_000 });
  const [mapping] = (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'worker' }))).EventSourceMappings ?? [];
  assert.equal(mapping?.State, 'Disabled');
  assert.equal(mapping?.BatchSize, 5);

  await page.getByLabel('Version description').fill('first cut');
  await page.getByRole('button', { name: 'Publish new version' }).click();
  await page.getByTestId('function-versions').getByText('Version 1').waitFor();
  await lambda.send(new CreateAliasCommand({ FunctionName: 'worker', Name: 'live', FunctionVersion: '1' }));
  await page.getByTestId('function-versions').getByText('alias live').waitFor({ timeout: 5000 });
  await h.shot(page, '38-function-triggers');

  await trigger.getByRole('button', { name: 'Delete' }).click();
  await trigger.waitFor({ state: 'detached', timeout: 10_000 });
  assert.deepEqual((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'worker' }))).EventSourceMappings, []);
  assert.deepEqual(errors, []);
});
