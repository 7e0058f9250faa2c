import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { button, named, openHarness, overflowX, tab, type Harness } from './browser.js';
import { runningInstanceIn } from '../support/ec2-instance.js';

/**
 * The console's pages beyond the guide's path: the wizard from the keyboard alone, a 768 px
 * window, name uniqueness per bus, rule actions (disable, enable, edit with its tags, delete), paging, event
 * buses with their policies, and the region selector.
 */
const ctx = (region = 'us-east-1') => ({ accountId: '000000000000', region, requestId: 'test' });
let h: Harness;

before(async () => {
  h = await openHarness();
  const { rules, buses, permissions } = h.app.events;
  await rules.putRule(ctx(), {
    Name: 'existing',
    EventPattern: '{"source":["aws.ec2"]}',
    Tags: [
      { Key: 'team', Value: 'platform' },
      { Key: 'cost-center', Value: '42' },
    ],
  });
  await buses.createEventBus(ctx(), { Name: 'orders' });
  // The wizard refuses targets that do not exist.
  for (const Name of ['kb-topic', 'edited-topic']) await h.app.notifications.sns.createTopic(ctx(), { Name });
  await permissions.putPermission(ctx(), {
    EventBusName: 'orders',
    Action: 'events:PutEvents',
    Principal: '111122223333',
    StatementId: 'partner',
  });
  for (let i = 0; i < 30; i++)
    await rules.putRule(ctx(), {
      Name: `bulk-${String(i).padStart(2, '0')}`,
      EventBusName: 'orders',
      EventPattern: '{"source":["orders"]}',
    });
});
after(() => h.close());

test('the create-rule wizard works with the keyboard alone', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByRole('heading', { name: 'Define rule detail' }).waitFor();
  await tab(page, 'the Name field', named('Name'));
  await page.keyboard.type('kb-rule');
  await tab(page, 'Next', button('Next'));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Build event pattern' }).waitFor();
  await tab(page, 'the "available" state', `(el) => el.type === 'checkbox' && el.parentElement.textContent.trim() === 'available'`);
  await page.keyboard.press('Space');
  await tab(page, 'Next', button('Next'));
  await page.keyboard.press('Enter');
  await tab(page, 'the Topic field', named('Topic'));
  await page.keyboard.type('kb-topic');
  await tab(page, 'Next', button('Next'));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /Configure tags/ }).waitFor();
  await tab(page, 'Next', button('Next'));
  await page.keyboard.press('Enter');
  await tab(page, 'Create rule', button('Create rule'));
  await page.keyboard.press('Enter');
  await page.getByTestId('rule-kb-rule').waitFor();
  const rule = await h.app.events.rules.describeRule(ctx(), { Name: 'kb-rule' });
  assert.deepEqual(JSON.parse(rule.EventPattern!), {
    source: ['aws.ec2'],
    'detail-type': ['EC2 AMI State Change'],
    detail: { State: ['available'] },
  });
});

test('a 768 px window: no horizontal scrolling, navigation still reachable', { timeout: 30_000 }, async () => {
  const page = await h.page(768, 900);
  for (const route of ['rules', 'rules/new', 'events', 'amis', 'buses', 'sns', 'mailbox', 'functions', 'queues', 'dashboard']) {
    await page.goto(`${h.app.url}/#/${route}`);
    await page.locator('h1').first().waitFor();
    await page.waitForTimeout(200);
    const overflow = await overflowX(page);
    assert.ok(overflow <= 0, `${route}: ${overflow}px wider than the window`);
    assert.ok(await page.getByRole('navigation').getByRole('link', { name: 'AMIs' }).isVisible(), `${route}: navigation visible`);
  }
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByRole('heading', { name: 'Define rule detail' }).waitFor();
  await h.shot(page, '20-narrow-768-wizard');
});

test('rule names are checked as you type, per event bus', { timeout: 20_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/rules/new`);
  await page.getByLabel('Name', { exact: true }).fill('existing');
  await page.getByText('A rule named "existing" already exists on event bus default in us-east-1.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await page.getByLabel('Event bus', { exact: true }).selectOption('orders');
  await page.getByText('Maximum of 64 characters').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), false);
  await page.getByLabel('Name', { exact: true }).fill('bad name!');
  await page.getByText('Use letters, numbers, periods, hyphens and underscores only.').waitFor();
});

test('rules: disable, enable, edit and delete from the list', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/rules`);
  const row = page.getByTestId('rule-existing');
  await row.getByRole('button', { name: 'Disable' }).click();
  await row.getByText('Disabled', { exact: true }).waitFor();
  assert.equal((await h.app.events.rules.describeRule(ctx(), { Name: 'existing' })).State, 'DISABLED');
  await row.getByRole('button', { name: 'Enable' }).click();
  await row.getByText('Enabled', { exact: true }).waitFor();

  await row.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('heading', { name: 'Edit rule existing' }).waitFor();
  await page.getByLabel('Description', { exact: true }).fill('edited in the console');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Valid event pattern.').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Add another target' }).click();
  await page.getByLabel('Topic', { exact: true }).fill('edited-topic');
  await page.getByRole('button', { name: 'Next' }).click();
  // The rule's own tags are shown, and what is changed here is what the rule ends up with.
  assert.equal(await page.getByLabel('Tag 1 key', { exact: true }).inputValue(), 'team');
  assert.equal(await page.getByLabel('Tag 2 value', { exact: true }).inputValue(), '42');
  await page.getByLabel('Tag 1 value', { exact: true }).fill('web');
  await page.getByRole('button', { name: 'Remove' }).nth(1).click();
  await page.getByRole('button', { name: 'Add new tag' }).click();
  await page.getByLabel('Tag 2 key', { exact: true }).fill('env');
  await page.getByLabel('Tag 2 value', { exact: true }).fill('prod');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('team=web, env=prod').waitFor();
  await page.getByRole('button', { name: 'Update rule' }).click();
  await row.getByText('edited in the console').waitFor();
  await row.getByText('arn:aws:sns:us-east-1:000000000000:edited-topic').waitFor();
  const { Arn } = await h.app.events.rules.describeRule(ctx(), { Name: 'existing' });
  const { Tags } = await h.app.events.tags.listTagsForResource(ctx(), { ResourceARN: Arn });
  assert.deepEqual(Tags?.map((t) => `${t.Key}=${t.Value}`).sort(), ['env=prod', 'team=web']);

  await row.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  await assert.rejects(h.app.events.rules.describeRule(ctx(), { Name: 'existing' }));
});

test('rules are paged; event buses show their policies', { timeout: 30_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/rules/orders`);
  await page.getByTestId('rule-bulk-00').waitFor();
  await page.getByText('Page 1').waitFor();
  await h.shot(page, '13-rules-paged');
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2').waitFor();
  await page.getByTestId('rule-bulk-29').waitFor();
  assert.equal(await page.getByTestId('rule-bulk-00').count(), 0);

  await page.goto(`${h.app.url}/#/buses`);
  const orders = page.getByTestId('bus-orders');
  await orders.getByText(/111122223333/).waitFor();
  await page.getByLabel('New event bus name').fill('from-the-console');
  await page.getByRole('button', { name: 'Create event bus' }).click();
  await page.getByTestId('bus-from-the-console').waitFor();
  await h.shot(page, '14-event-buses');
  await page.getByTestId('bus-from-the-console').getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('bus-from-the-console').waitFor({ state: 'detached' });
});

test('the region selector scopes every page; the account is shown', { timeout: 20_000 }, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/rules`);
  assert.equal(await page.getByTestId('account').innerText(), '000000000000');
  await page.getByTestId('rule-kb-rule').waitFor();
  await page.getByLabel('Region').selectOption('eu-west-1');
  await page.getByText('No rules on event bus default').waitFor();
  await h.app.events.rules.putRule(ctx('eu-west-1'), { Name: 'in-ireland', EventPattern: '{"source":["aws.ec2"]}' });
  await page.reload();
  await page.getByTestId('rule-in-ireland').waitFor();
  assert.equal(await page.getByTestId('rule-kb-rule').count(), 0);
  await page.getByRole('navigation').getByRole('link', { name: 'AMIs' }).click();
  await page.getByText('No images in eu-west-1').waitFor();
  await page.getByLabel('Region').selectOption('us-east-1');
});

test('AMIs: register, copy, restore, then disable, enable and deregister from the list', { timeout: 40_000 }, async () => {
  const page = await h.page();
  // A snapshot of an instance's volume to register from (RegisterImage refuses made-up ids).
  const c = ctx('us-east-1');
  const instanceId = await runningInstanceIn(h.app);
  const volumeId = (await h.app.ec2.describeVolumes(c, { Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }))
    .Volumes![0]!.VolumeId!;
  const { SnapshotId } = await h.app.ec2.createSnapshot(c, { VolumeId: volumeId });
  await page.goto(`${h.app.url}/#/amis`);
  await page.getByLabel('Operation', { exact: true }).selectOption('RegisterImage');
  await page.getByLabel('Image name', { exact: true }).fill('registered');
  await page.getByLabel('Root snapshot ID').fill(SnapshotId!);
  await page.getByRole('button', { name: 'Register image' }).click();
  const registered = page.getByTestId('ami-registered');
  await registered.getByText('available', { exact: true }).waitFor({ timeout: 15_000 });
  const sourceId = (await registered.locator('td').first().innerText()).trim();

  await page.getByLabel('Operation', { exact: true }).selectOption('CopyImage');
  await page.getByLabel('Image name', { exact: true }).fill('copied');
  await page.getByLabel('Source AMI ID').fill(sourceId);
  await page.getByLabel('Source Region').fill('us-east-1');
  await page.getByRole('button', { name: 'Copy image' }).click();
  await page.getByTestId('ami-copied').getByText('pending', { exact: true }).waitFor();

  await page.getByLabel('Operation', { exact: true }).selectOption('CreateRestoreImageTask');
  await page.getByLabel('Image name', { exact: true }).fill('restored');
  await page.getByLabel('S3 bucket').fill('my-ami-bucket');
  await page.getByLabel('Object key').fill(`${sourceId}.bin`);
  await page.getByRole('button', { name: 'Restore image' }).click();
  await page.getByTestId('ami-restored').waitFor();

  await registered.getByRole('button', { name: 'Disable' }).click();
  await registered.getByText('disabled', { exact: true }).waitFor();
  await registered.getByRole('button', { name: 'Enable' }).click();
  await registered.getByText('available', { exact: true }).waitFor();
  await registered.getByRole('button', { name: 'Deregister' }).click();
  await registered.getByText('deregistered', { exact: true }).waitFor();
  const history = (await (await fetch(`${h.app.url}/_amiwatch/events?bus=default`)).json()) as {
    events: { event: { detail: { ImageId: string; State: string } } }[];
  };
  const states = history.events.filter((e) => e.event.detail.ImageId === sourceId).map((e) => e.event.detail.State);
  assert.deepEqual(states.sort(), ['available', 'available', 'deregistered', 'disabled'].sort());
});
