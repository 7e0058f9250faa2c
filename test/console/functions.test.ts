import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaClient, ROLE, TUTORIAL_FUNCTION, zipOf } from '../lambda/helpers.js';
import { button, named, openHarness, overflowX, tab, type Harness } from './browser.js';

/**
 * The Functions page: functions created with the SDK, invoked from the console, their logs read;
 * functions created from the console (inline code zipped in the browser, or an uploaded .zip),
 * their code updated and deleted.
 */
let h: Harness;
let client: LambdaClient;

before(async () => {
  h = await openHarness();
  client = lambdaClient(h.app);
  const create = (name: string, code: string) =>
    client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': code }) },
      }),
    );
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
  await fn
    .getByTestId('function-logs')
    .getByText(/LogEC2InstanceStateChange/)
    .first()
    .waitFor();
  await h.shot(page, '22-functions');

  const failing = page.getByTestId('function-always-fails');
  await failing.getByRole('button', { name: 'Test and logs' }).click();
  await failing.getByRole('button', { name: 'Invoke' }).click();
  await failing
    .getByTestId('invoke-result')
    .getByText(/Failed \(Unhandled\)/)
    .waitFor({ timeout: 30_000 });
  assert.match(await failing.getByTestId('invoke-result').locator('pre').innerText(), /boom/);
});

const INLINE = `export const handler = async (event) => {
  console.log('inline function got', JSON.stringify(event));
  return { greeting: process.env.GREETING, got: event.name };
};
`;

test('Create function with inline code, from the keyboard alone; invoke it; see its result and logs', { timeout: 60_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/functions`);
  await page.getByRole('heading', { name: 'Lambda functions' }).waitFor();
  await tab(page, 'Create function', button('Create function'));
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'Create function' });
  await tab(page, 'Function name', named('Function name'));
  await page.keyboard.type('bad name');
  await form.getByText('Use only letters, numbers, hyphens (-) and underscores (_); no spaces.').waitFor();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('LogEC2InstanceStateChange');
  await form.getByText('A function named LogEC2InstanceStateChange already exists in us-east-1.').waitFor();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('hello-inline');
  await form.getByText('1 to 64 characters: letters, numbers, hyphens and underscores; unique in the Region.').waitFor();
  await tab(page, 'Runtime', named('Runtime'));
  await page.keyboard.type('nodejs22');
  await tab(page, 'Memory', named('Memory (MB)'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('64');
  await form.getByText('Between 128 and 10240 MB.').waitFor();
  assert.equal(await form.getByRole('button', { name: 'Create function' }).isDisabled(), true);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('256');
  await tab(page, 'Timeout', named('Timeout (seconds)'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('10');
  await tab(page, 'Add environment variable', button('Add environment variable'));
  await page.keyboard.press('Enter');
  await tab(page, 'the variable key', named('Environment variable 1 key'));
  await page.keyboard.type('1x');
  await form.getByText('A key starts with a letter and has at least 2 characters: letters, numbers, underscores.').waitFor();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('GREETING');
  await tab(page, 'the variable value', named('Environment variable 1 value'));
  await page.keyboard.type('hi from env');
  await tab(page, 'the code editor', named('Function code'));
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(INLINE);
  // Tab leaves the editor (no trap) and reaches the form's button.
  await tab(page, 'Create function', button('Create function'), 10);
  await page.evaluate(`window.scrollTo(0, document.querySelector('form[aria-label="Create function"]').offsetTop - 8)`);
  await h.shot(page, '24-function-create');
  await page.keyboard.press('Enter');

  const fn = page.getByTestId('function-hello-inline');
  await fn.getByLabel('Test event').fill('{"name":"amiwatch"}');
  await fn.getByRole('button', { name: 'Invoke' }).click();
  await fn.getByTestId('invoke-result').getByText('Succeeded (200)').waitFor({ timeout: 30_000 });
  assert.deepEqual(JSON.parse(await fn.getByTestId('invoke-result').locator('pre').innerText()), {
    greeting: 'hi from env',
    got: 'amiwatch',
  });
  await fn
    .getByTestId('function-logs')
    .getByText(/inline function got \{"name":"amiwatch"\}/)
    .waitFor();
  await h.shot(page, '25-function-inline-invoked');
  const made = await client.send(new GetFunctionCommand({ FunctionName: 'hello-inline' }));
  assert.equal(made.Configuration?.Runtime, 'nodejs22.x');
  assert.equal(made.Configuration?.MemorySize, 256);
  assert.equal(made.Configuration?.Timeout, 10);
  assert.deepEqual(made.Configuration?.Environment?.Variables, { GREETING: 'hi from env' });
});

test('Create function from an uploaded .zip; update its code inline (other files kept); delete it', { timeout: 60_000 }, async () => {
  const zip = zipOf({
    'app/main.js': "const lib = require('./lib');\nexports.handler = async () => lib.answer('v1');\n",
    'app/lib.js': 'exports.answer = (v) => `${v}: 42`;\n',
  });
  const page = await h.page();
  await page.goto(`${h.app.url}/#/functions`);
  await page.getByRole('button', { name: 'Create function' }).click();
  const form = page.getByRole('form', { name: 'Create function' });
  await form.getByLabel('Function name').fill('zipped');
  await form.getByLabel('Handler').fill('app/main.handler');
  await form.getByText('Upload a .zip file').click();
  assert.equal(await form.getByRole('button', { name: 'Create function' }).isDisabled(), true, 'no file chosen yet');
  await form
    .getByLabel('Deployment package (.zip)')
    .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a zip') });
  await form.getByRole('button', { name: 'Create function' }).click();
  await form.getByText(/This file is not a \.zip archive/).waitFor();
  await form.getByLabel('Deployment package (.zip)').setInputFiles({ name: 'fn.zip', mimeType: 'application/zip', buffer: zip });
  await form.getByRole('button', { name: 'Create function' }).click();
  const fn = page.getByTestId('function-zipped');
  await fn.getByRole('button', { name: 'Invoke' }).click();
  await fn.getByTestId('invoke-result').getByText('Succeeded (200)').waitFor({ timeout: 30_000 });
  assert.equal(await fn.getByTestId('invoke-result').locator('pre').innerText(), '"v1: 42"');

  await fn.getByRole('button', { name: 'Code' }).click();
  const editor = fn.getByLabel('Function code');
  await editor.getByText("exports.handler = async () => lib.answer('v1');").waitFor();
  await fn.getByText("The package's other 1 file(s) are kept as they are.").waitFor();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText("const lib = require('./lib');\nexports.handler = async () => lib.answer('v2');\n");
  await fn.getByRole('button', { name: 'Deploy' }).click();
  await fn.getByText(/^Deployed: \d+ bytes/).waitFor();
  await fn.getByRole('button', { name: 'Test and logs' }).click();
  await fn.getByRole('button', { name: 'Invoke' }).click();
  await fn.getByTestId('invoke-result').getByText('"v2: 42"').waitFor({ timeout: 30_000 });

  await fn.getByRole('button', { name: 'Delete' }).click();
  await fn.waitFor({ state: 'detached' });
  await assert.rejects(
    client.send(new GetFunctionCommand({ FunctionName: 'zipped' })),
    (e: Error) => e.name === 'ResourceNotFoundException',
  );
});

test('the Create function form in a 768 px window: no horizontal scrolling', { timeout: 20_000 }, async () => {
  const page = await h.page(768, 900);
  await page.goto(`${h.app.url}/#/functions`);
  await page.getByRole('button', { name: 'Create function' }).click();
  await page.getByRole('button', { name: 'Add environment variable' }).click();
  await page.getByLabel('Function code').waitFor();
  assert.ok((await overflowX(page)) <= 0, 'no wider than the window');
  await h.shot(page, 'narrow-768-function-create');
});

test('Create a Python function from the inline template: the runtime switch swaps handler and template; it runs and its log group is named', {
  timeout: 60_000,
}, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/functions`);
  await page.getByRole('button', { name: 'Create function' }).click();
  const form = page.getByRole('form', { name: 'Create function' });
  await form.getByLabel('Function name').fill('hello-python');
  await form.getByLabel('Runtime').selectOption('python3.12');
  assert.equal(await form.getByLabel('Handler').inputValue(), 'lambda_function.lambda_handler');
  await form.getByRole('button', { name: 'Create function' }).click();
  const fn = page.getByTestId('function-hello-python');
  await fn.getByLabel('Test event').fill('{"ImageId":"ami-0123456789abcdef0"}');
  await fn.getByRole('button', { name: 'Invoke' }).click();
  await fn.getByTestId('invoke-result').getByText('Succeeded (200)').waitFor({ timeout: 30_000 });
  assert.deepEqual(JSON.parse(await fn.getByTestId('invoke-result').locator('pre').innerText()), {
    statusCode: 200,
    body: '"Hello from amiwatch!"',
  });
  await fn
    .getByTestId('function-logs')
    .getByText(/Received event: \{"ImageId": "ami-0123456789abcdef0"\}/)
    .waitFor();
  await fn.getByText('aws logs tail /aws/lambda/hello-python --follow').waitFor();
  const made = await client.send(new GetFunctionCommand({ FunctionName: 'hello-python' }));
  assert.equal(made.Configuration?.Runtime, 'python3.12');
  assert.equal(made.Configuration?.Handler, 'lambda_function.lambda_handler');
});
