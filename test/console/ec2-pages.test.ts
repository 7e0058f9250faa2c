import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateImageCommand, DescribeImagesCommand, EC2Client, waitUntilImageAvailable } from '@aws-sdk/client-ec2';
import { openHarness, type Harness } from './browser.js';
import { runningInstance } from '../support/ec2-instance.js';

/**
 * The Instances and Snapshots pages beside the AMIs: lists kept live by the change stream, a page
 * per instance (volumes, CreateSnapshot, its state-change events) and per snapshot (fields, tags,
 * its "EBS Snapshot Notification"), linked from each other and from the image page.
 */
let h: Harness;
let ec2: EC2Client;
before(async () => {
  h = await openHarness({}, { instanceDurations: { pending: 500, stopping: 500, 'shutting-down': 500 }, snapshotDurationMs: 1000 });
  ec2 = new EC2Client({
    endpoint: h.app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
after(async () => {
  ec2.destroy();
  await h.close();
});

test('instances: the list shows a launch live; the instance page snapshots a volume; the snapshot page shows its event', {
  timeout: 60_000,
}, async () => {
  const page = await h.page();
  await page.goto(`${h.app.url}/#/instances`);
  await page.getByText('No instances in us-east-1').waitFor();
  const instanceId = await runningInstance(ec2);
  // Launched by the SDK, shown with no reload (the change stream).
  const row = page.getByTestId(`instance-${instanceId}`);
  await row.getByText('running', { exact: true }).waitFor({ timeout: 10_000 });
  await page.waitForFunction("document.title === 'Instances · amiwatch'");
  await row.getByRole('link', { name: instanceId }).click();
  await page.getByRole('heading', { name: instanceId }).waitFor();
  await page.waitForFunction(`document.title === 'Instance ${instanceId} · amiwatch'`);
  assert.match(await page.getByTestId('instance-fields').innerText(), /t3\.micro/);
  await page.getByTestId('instance-event').getByText('running', { exact: true }).waitFor({ timeout: 10_000 });
  assert.match(await page.getByTestId('instance-volumes').innerText(), /\/dev\/xvda\s+vol-[0-9a-f]{17}/);
  await page.getByTestId('instance-volumes').getByRole('button', { name: 'Create snapshot' }).click();
  const notice = page.getByRole('status').filter({ hasText: 'CreateSnapshot started' });
  await notice.waitFor();
  const snapshotId = /snap-[0-9a-f]{17}/.exec(await notice.innerText())![0];
  await h.shot(page, '40-instance-page');

  await notice.getByRole('link', { name: snapshotId }).click();
  await page.getByRole('heading', { name: snapshotId }).waitFor();
  // pending → completed and its createSnapshot event, with no reload.
  await page.getByTestId('snapshot-event').getByText('succeeded').waitFor({ timeout: 15_000 });
  await page.getByTestId('snapshot-fields').getByText('100%').waitFor();
  assert.match(await page.getByTestId('snapshot-fields').innerText(), new RegExp(`Snapshot of vol-[0-9a-f]{17} \\(${instanceId}\\)`));
  await h.shot(page, '41-snapshot-page');

  // Back on the list: stop the instance from its row.
  await page.goto(`${h.app.url}/#/instances`);
  await page.getByTestId(`instance-${instanceId}`).getByRole('button', { name: 'Stop' }).click();
  await page.getByTestId(`instance-${instanceId}`).getByText('stopped', { exact: true }).waitFor({ timeout: 10_000 });
});

test("snapshots: the list, an image's snapshot linked from its page, DeleteSnapshot refused while in use", {
  timeout: 60_000,
}, async () => {
  const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'console-snapshots' }));
  await waitUntilImageAvailable({ client: ec2, minDelay: 1, maxDelay: 1, maxWaitTime: 20 }, { ImageIds: [ImageId!] });
  const snapshotId = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.BlockDeviceMappings![0]!.Ebs!
    .SnapshotId!;
  const page = await h.page();
  await page.goto(`${h.app.url}/#/ami/${ImageId}`);
  await page.getByTestId('image-block-devices').getByRole('link', { name: snapshotId }).click();
  await page.getByRole('heading', { name: snapshotId }).waitFor();
  assert.match(
    await page.getByTestId('snapshot-fields').innerText(),
    new RegExp(`Created by CreateImage\\(i-[0-9a-f]{17}\\) for ${ImageId}`),
  );

  await page.goto(`${h.app.url}/#/snapshots`);
  const row = page.getByTestId(`snapshot-${snapshotId}`);
  await row.getByText('completed', { exact: true }).waitFor();
  await h.shot(page, '42-snapshots-page');
  await row.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alert').getByText(`The snapshot ${snapshotId} is currently in use by ${ImageId}`).waitFor();
  assert.equal(await row.count(), 1, 'still listed');
});
