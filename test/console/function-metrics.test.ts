import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { ROLE, zipOf } from '../lambda/helpers.js';
import { openHarness, type Harness } from './browser.js';

/**
 * A function's page charts Lambda's metrics (AWS/Lambda Invocations, Errors, Duration,
 * Throttles) of the region the console is in: a function of the same name in two regions is two
 * functions, with two sets of metrics, as in CloudWatch.
 */
let h: Harness;
before(async () => {
  h = await openHarness();
  const code = zipOf({ 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("no"); return "ok"; };' });
  for (const [region, ok, failing] of [
    ['us-east-1', 1, 0],
    ['eu-west-1', 3, 2],
  ] as const) {
    const lambda = new LambdaClient({
      endpoint: h.app.url,
      region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'regional-fn',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: code },
      }),
    );
    for (let i = 0; i < ok; i++) await lambda.send(new InvokeCommand({ FunctionName: 'regional-fn', Payload: Buffer.from('{}') }));
    for (let i = 0; i < failing; i++)
      await lambda.send(new InvokeCommand({ FunctionName: 'regional-fn', Payload: Buffer.from('{"fail":true}') }));
    if (region === 'eu-west-1') {
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'regional-fn', ReservedConcurrentExecutions: 0 }));
      await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'regional-fn', Payload: Buffer.from('{}') })), {
        name: 'TooManyRequestsException',
      });
    }
    lambda.destroy();
  }
});
after(() => h.close());

const summary = (page: Awaited<ReturnType<Harness['page']>>, chart: string) =>
  page.getByTestId(`chart-${chart}`).getByTestId('chart-summary');

test("a function page charts AWS/Lambda metrics of the console's region, and follows the region selector", {
  timeout: 40_000,
}, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/function/regional-fn`);
  await page.getByRole('heading', { name: 'Monitoring' }).waitFor();
  await summary(page, 'Invocations').filter({ hasText: 'total 1' }).waitFor();
  await summary(page, 'Errors')
    .filter({ hasText: /no data|total 0/ })
    .waitFor();
  await summary(page, 'Throttles')
    .filter({ hasText: /no data|total 0/ })
    .waitFor();
  await page.getByTestId('chart-Duration').waitFor();
  await page.getByText('arn:aws:lambda:us-east-1:000000000000:function:regional-fn').first().waitFor();

  await page.getByLabel('Region').selectOption('eu-west-1');
  await page.getByText('arn:aws:lambda:eu-west-1:000000000000:function:regional-fn').first().waitFor();
  await summary(page, 'Invocations').filter({ hasText: 'total 5' }).waitFor();
  await summary(page, 'Errors').filter({ hasText: 'total 2' }).waitFor();
  await summary(page, 'Throttles').filter({ hasText: 'total 1' }).waitFor();
  await page.getByRole('heading', { name: 'Monitoring' }).scrollIntoViewIfNeeded();
  await h.shot(page, '34-function-metrics');

  await page.getByLabel('Region').selectOption('us-west-2');
  await page
    .getByRole('alert')
    .getByText(/ResourceNotFoundException/)
    .waitFor();
});
