import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateEventBusCommand, PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, CreateFunctionCommand, GetPolicyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Page } from 'playwright-core';
import { sdkClient } from '../e2e/helpers.js';
import { lambdaClient, ROLE, until, zipOf } from '../lambda/helpers.js';
import { openHarness, type Harness } from './browser.js';

/**
 * A rule made in the console with a Lambda function as its target delivers, as in AWS's console:
 * the wizard adds a statement to the function's resource-based policy that lets
 * events.amazonaws.com invoke it for this rule (AWS:SourceArn), once; an edit adds it for new
 * Lambda targets and never a second one (nor one where the user's own statement already allows
 * the rule); an AddPermission that fails is shown, not swallowed.
 */
let h: Harness;
let lambda: LambdaClient;
let eb: EventBridgeClient;

const LOGGER = "exports.handler = async (event) => { console.log('got', JSON.stringify(event.detail)); return 'ok'; };\n";
const RULE = 'orders.to-lambda_v1';
const RULE_ARN = `arn:aws:events:us-east-1:000000000000:rule/${RULE}`;

before(async () => {
  h = await openHarness();
  lambda = lambdaClient(h.app);
  eb = sdkClient(h.app);
  for (const name of ['order-logger', 'order-auditor']) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': LOGGER }) },
      }),
    );
  }
});
after(async () => {
  lambda.destroy();
  eb.destroy();
  await h.close();
});

type Delivery = { status: string; lastError?: string; targetId?: string };
async function deliveriesFor(marker: string): Promise<Delivery[]> {
  const body = (await (await fetch(`${h.app.url}/_amiwatch/events?bus=default`)).json()) as {
    events: { event: { detail: { marker?: string } }; deliveries: Delivery[] }[];
  };
  return body.events.filter((e) => e.event.detail.marker === marker).flatMap((e) => e.deliveries);
}

/** PutEvents, then the deliveries once none is pending any more. */
async function send(marker: string, count: number): Promise<Delivery[]> {
  const out = await eb.send(
    new PutEventsCommand({ Entries: [{ Source: 'shop.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ marker }) }] }),
  );
  assert.equal(out.FailedEntryCount, 0);
  return until(async () => {
    const d = await deliveriesFor(marker);
    return d.length === count && d.every((x) => x.status === 'delivered' || x.status === 'failed') ? d : undefined;
  }, 20_000);
}

/** The statements of a function's policy that let this rule in. */
async function statementsFor(fn: string, ruleArn: string): Promise<{ Sid: string }[]> {
  const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: fn }));
  const doc = JSON.parse(Policy!) as { Statement: { Sid: string; Condition?: { ArnLike?: Record<string, string> } }[] };
  return doc.Statement.filter((s) => s.Condition?.ArnLike?.['AWS:SourceArn'] === ruleArn);
}

async function patternStep(page: Page, pattern: string): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /Custom pattern \(JSON editor\)/ }).check();
  await page.getByTestId('editor-Event pattern').locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(pattern);
  await page
    .getByTestId('pattern-status')
    .filter({ hasText: /^Valid event pattern\.$/ })
    .waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
}

test('a rule created in the console with a Lambda target delivers; editing it never adds a second statement', {
  timeout: 90_000,
}, async () => {
  const page = await h.page();
  // The function has no policy yet: asking whether it lets the rule in must log no failed request.
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill(RULE);
  await patternStep(page, '{"source": ["shop.orders"]}');
  await page.getByLabel('Select a target', { exact: true }).selectOption('lambda');
  await page.getByLabel('Function', { exact: true }).fill('order-logger');
  await page.getByTestId('lambda-permission-note').first().waitFor();
  await h.shot(page, 'wizard-lambda-target');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Review and create' }).waitFor();
  assert.match(await page.getByTestId('review-lambda-permission').innerText(), /events\.amazonaws\.com/);
  await h.shot(page, 'wizard-lambda-review');
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.getByTestId(`rule-${RULE}`).waitFor();
  assert.deepEqual(errors, []);

  const [first] = await send('first', 1);
  assert.equal(first!.status, 'delivered', `delivered, not ${first!.lastError}`);
  await until(async () => {
    const body = (await (await fetch(`${h.app.url}/_amiwatch/functions/order-logger/logs`)).json()) as { events: { message: string }[] };
    return body.events.some((e) => e.message.includes('got {"marker":"first"}')) || undefined;
  });
  const added = await statementsFor('order-logger', RULE_ARN);
  assert.equal(added.length, 1);
  assert.match(added[0]!.Sid, /^AWSEvents_[a-zA-Z0-9_-]{1,90}$/);

  // The user lets the rule into the second function with the CLI before the edit adds it as a target.
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'order-auditor',
      StatementId: 'added-by-cli',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: RULE_ARN,
    }),
  );
  for (const round of [1, 2]) {
    await page.getByTestId(`rule-${RULE}`).getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: `Edit rule ${RULE}` }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Valid event pattern.').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    if (round === 1) {
      await page.getByRole('button', { name: 'Add another target' }).click();
      await page.getByLabel('Select a target', { exact: true }).nth(1).selectOption('lambda');
      await page.getByLabel('Function', { exact: true }).nth(1).fill('order-auditor');
    }
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Update rule' }).click();
    await page.getByTestId(`rule-${RULE}`).getByText('order-auditor').waitFor();
  }
  assert.deepEqual(await statementsFor('order-logger', RULE_ARN), added, 'the same single statement after two edits');
  assert.deepEqual(
    (await statementsFor('order-auditor', RULE_ARN)).map((s) => s.Sid),
    ['added-by-cli'],
    "the user's statement is enough",
  );
  const later = await send('after-edits', 2);
  assert.deepEqual(
    later.map((d) => d.status),
    ['delivered', 'delivered'],
    JSON.stringify(later),
  );
});

test('a custom bus, a 64-character rule name with dots, a 64-character target ID: a valid statement id; a missing function is refused before create', {
  timeout: 60_000,
}, async () => {
  const bus = 'b'.repeat(64);
  await eb.send(new CreateEventBusCommand({ Name: bus }));
  const name = `${'r.'.repeat(31)}rr`;
  const page = await h.page();
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Event bus', { exact: true }).selectOption(bus);
  await patternStep(page, '{"source": ["shop.long"]}');
  await page.getByLabel('Select a target', { exact: true }).selectOption('lambda');
  await page.getByLabel('Function', { exact: true }).fill('order-logger');
  await page.getByText('Additional settings').click();
  await page.getByLabel('Target ID', { exact: true }).fill(`t.${'x'.repeat(62)}`);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.getByTestId(`rule-${name}`).waitFor();
  const ruleArn = `arn:aws:events:us-east-1:000000000000:rule/${bus}/${name}`;
  const [statement] = await statementsFor('order-logger', ruleArn);
  assert.ok(statement, 'a statement for the rule on the custom bus');
  assert.ok(statement.Sid.length <= 100 && /^AWSEvents_[a-zA-Z0-9_-]+$/.test(statement.Sid), statement.Sid);
  const [other] = await statementsFor('order-logger', RULE_ARN);
  assert.notEqual(statement.Sid, other?.Sid, 'its own statement, not the other rule’s');

  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill('to-nowhere');
  await patternStep(page, '{"source": ["shop.none"]}');
  await page.getByLabel('Select a target', { exact: true }).selectOption('lambda');
  await page.getByLabel('Function', { exact: true }).fill('no-such-function');
  // Refused before anything is written: no rule whose every delivery would fail.
  await page
    .getByTestId('target-missing')
    .getByText('Function "no-such-function" does not exist in us-east-1. Choose an existing one, or create it.')
    .waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await page.getByTestId('target-missing').getByRole('link', { name: 'Create function…' }).waitFor();
  await h.shot(page, 'wizard-lambda-missing-function');
});
