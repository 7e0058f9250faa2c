import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaClient, ROLE, TUTORIAL_FUNCTION, zipOf } from '../lambda/helpers.js';
import { openHarness, type Harness } from './browser.js';

/** The Functions page: functions created with the SDK, invoked from the console, their logs read. */
let h: Harness;
let client: LambdaClient;

before(async () => {
  h = await openHarness();
  client = lambdaClient(h.app);
  const create = (name: string, code: string) =>
    client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': code }) } }));
  await create('LogEC2InstanceStateChange', TUTORIAL_FUNCTION);
  await create('always-fails', "exports.handler = async () => { throw new Error('boom'); };\n");
});
after(async () => {
  client.destroy();
  await h.close();
});

test('list, invoke with a test event, read the logs; a failing function shows as failed', { timeout: 60_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/functions`);
  const fn = page.getByTestId('function-LogEC2InstanceStateChange');
  await fn.getByRole('button', { name: 'Test and logs' }).click();
  await fn.getByRole('button', { name: 'Invoke' }).click();
  await fn.getByTestId('invoke-result').getByText('Succeeded (200)').waitFor({ timeout: 30_000 });
  assert.equal((await fn.getByTestId('invoke-result').locator('pre').innerText()).trim(), '"Finished"');
  await fn.getByTestId('function-logs').getByText(/LogEC2InstanceStateChange/).first().waitFor();
  await h.shot(page, '22-functions');

  const failing = page.getByTestId('function-always-fails');
  await failing.getByRole('button', { name: 'Test and logs' }).click();
  await failing.getByRole('button', { name: 'Invoke' }).click();
  await failing.getByTestId('invoke-result').getByText(/Failed \(Unhandled\)/).waitFor({ timeout: 30_000 });
  assert.match(await failing.getByTestId('invoke-result').locator('pre').innerText(), /boom/);
});
