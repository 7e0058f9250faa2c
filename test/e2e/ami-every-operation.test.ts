import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateRestoreImageTaskCommand,
  CreateStoreImageTaskCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeStoreImageTasksCommand,
  DisableImageCommand,
  EC2Client,
  EnableImageCommand,
  RegisterImageCommand,
} from '@aws-sdk/client-ec2';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { sdkClient, startTestServer } from './helpers.js';
import { runningInstance } from '../support/ec2-instance.js';

/**
 * Every AMI operation of the guide (and the current page's disable/enable) through the server,
 * with the real SDK: each transition lands on its region's default bus as exactly the guide's
 * event, matches the rule there, is delivered, and shows in the event history; DescribeImages
 * shows the states and StateReasons.
 */
const received: DeliveryRequest[] = [];
let app: App;
let ec2: EC2Client;
let ec2Eu: EC2Client;
const ebs: EventBridgeClient[] = [];
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

before(async () => {
  const fast = { CreateImage: 150, CopyImage: 150, RegisterImage: 150, CreateRestoreImageTask: 150 };
  app = await startTestServer({ amiDurations: fast }, { transports: { sqs: { deliver: async (r) => (received.push(r), delivered) } } });
  ec2 = new EC2Client({ endpoint: app.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  ec2Eu = new EC2Client({ endpoint: app.url, region: 'eu-west-1', credentials: creds, maxAttempts: 1 });
  for (const region of ['us-east-1', 'eu-west-1']) {
    const eb = sdkClient(app, creds, region);
    ebs.push(eb);
    await eb.send(
      new PutRuleCommand({ Name: 'all-ami-changes', EventPattern: '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"]}' }),
    );
    await eb.send(
      new PutTargetsCommand({ Rule: 'all-ami-changes', Targets: [{ Id: 'q', Arn: `arn:aws:sqs:${region}:000000000000:ami` }] }),
    );
  }
});
after(async () => {
  ec2.destroy();
  ec2Eu.destroy();
  for (const eb of ebs) eb.destroy();
  await app.close();
});

type AmiEvent = {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, string>;
};

async function eventFor(imageId: string, state: string): Promise<AmiEvent> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const hit = received
      .map((r) => JSON.parse(r.payload) as AmiEvent)
      .find((e) => e.detail.ImageId === imageId && e.detail.State === state);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no ${state} event for ${imageId}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The guide's shape, field by field and in its order. */
function assertGuideEvent(e: AmiEvent, imageId: string, state: string, region: string, errorMessage = ''): void {
  assert.deepEqual(Object.keys(e), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.equal(e.version, '0');
  assert.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(e['detail-type'], 'EC2 AMI State Change');
  assert.equal(e.source, 'aws.ec2');
  assert.equal(e.account, '000000000000');
  assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(e.region, region);
  assert.deepEqual(e.resources, [`arn:aws:ec2:${region}::image/${imageId}`]);
  assert.deepEqual(Object.keys(e.detail), ['RequestId', 'ImageId', 'State', 'ErrorMessage']);
  assert.equal(e.detail.ImageId, imageId);
  assert.equal(e.detail.State, state);
  assert.equal(e.detail.ErrorMessage, errorMessage);
  assert.ok(e.detail.RequestId);
}

const describe1 = async (client: EC2Client, imageId: string) =>
  (await client.send(new DescribeImagesCommand({ ImageIds: [imageId], IncludeDisabled: true }))).Images![0]!;

test('create, copy across regions, register, store and restore: pending, then available', { timeout: 60_000 }, async () => {
  const created = (await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'golden-1' }))).ImageId!;
  assert.equal((await describe1(ec2, created)).State, 'pending');
  assertGuideEvent(await eventFor(created, 'available'), created, 'available', 'us-east-1');
  assert.equal((await describe1(ec2, created)).State, 'available');

  const copied = (await ec2Eu.send(new CopyImageCommand({ SourceImageId: created, SourceRegion: 'us-east-1', Name: 'golden-1-eu' })))
    .ImageId!;
  assertGuideEvent(await eventFor(copied, 'available'), copied, 'available', 'eu-west-1');

  // Registered from the snapshot CreateImage made (a real one: RegisterImage refuses made-up ids).
  const snapshotId = (await describe1(ec2, created)).BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
  const registered = (
    await ec2.send(
      new RegisterImageCommand({
        Name: 'golden-reg',
        RootDeviceName: '/dev/xvda',
        VirtualizationType: 'hvm',
        Architecture: 'x86_64',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId } }],
      }),
    )
  ).ImageId!;
  assertGuideEvent(await eventFor(registered, 'available'), registered, 'available', 'us-east-1');

  const { ObjectKey } = await ec2.send(new CreateStoreImageTaskCommand({ ImageId: created, Bucket: 'ami-archive' }));
  for (let i = 0; i < 200; i++) {
    const [task] = (await ec2.send(new DescribeStoreImageTasksCommand({ ImageIds: [created] }))).StoreImageTaskResults!;
    if (task?.StoreTaskState === 'Completed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const restored = (
    await ec2.send(new CreateRestoreImageTaskCommand({ Bucket: 'ami-archive', ObjectKey: ObjectKey!, Name: 'golden-restored' }))
  ).ImageId!;
  assertGuideEvent(await eventFor(restored, 'available'), restored, 'available', 'us-east-1');
});

test('failures: by fault rule and by request tag — failed with StateReason and ErrorMessage', { timeout: 30_000 }, async () => {
  const fault = await fetch(`${app.url}/_amiwatch/ec2/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ operation: 'CreateImage', namePattern: 'nightly-*', errorMessage: 'Snapshot limit reached' }),
  });
  assert.equal(fault.status, 201);
  const byRule = (await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'nightly-42' }))).ImageId!;
  assertGuideEvent(await eventFor(byRule, 'failed'), byRule, 'failed', 'us-east-1', 'Snapshot limit reached');
  const described = await describe1(ec2, byRule);
  assert.equal(described.State, 'failed');
  assert.equal(described.StateReason?.Message, 'Snapshot limit reached');

  const byTag = (
    await ec2.send(
      new CreateImageCommand({
        InstanceId: await runningInstance(ec2),
        Name: 'tagged-fail',
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'amiwatch:fail', Value: 'Disk read error' }] }],
      }),
    )
  ).ImageId!;
  assertGuideEvent(await eventFor(byTag, 'failed'), byTag, 'failed', 'us-east-1', 'Disk read error');
});

test('disable, enable and deregister: synchronous, each with its event; the history shows the rule matched', {
  timeout: 30_000,
}, async () => {
  const id = (await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'toggled' }))).ImageId!;
  await eventFor(id, 'available');
  await ec2.send(new DisableImageCommand({ ImageId: id }));
  assertGuideEvent(await eventFor(id, 'disabled'), id, 'disabled', 'us-east-1');
  assert.equal((await describe1(ec2, id)).State, 'disabled');
  await ec2.send(new EnableImageCommand({ ImageId: id }));
  await ec2.send(new DeregisterImageCommand({ ImageId: id }));
  assertGuideEvent(await eventFor(id, 'deregistered'), id, 'deregistered', 'us-east-1');
  assert.equal((await describe1(ec2, id)).State, 'deregistered');
  const availableTwice = received.filter((r) => {
    const e = JSON.parse(r.payload) as AmiEvent;
    return e.detail.ImageId === id && e.detail.State === 'available';
  });
  assert.equal(availableTwice.length, 2, 'available after create, and again after EnableImage');

  const history = (await (await fetch(`${app.url}/_amiwatch/events?bus=default`)).json()) as {
    events: { event: AmiEvent; rules: string[] }[];
  };
  const mine = history.events.filter((h) => h.event.detail?.ImageId === id).map((h) => [h.event.detail.State, h.rules.length]);
  assert.deepEqual(mine.reverse(), [
    ['available', 1],
    ['disabled', 1],
    ['available', 1],
    ['deregistered', 1],
  ]);

  // A user's PutEvents may not claim AWS's source.
  const put = await ebs[0]!.send(
    new PutEventsCommand({ Entries: [{ Source: 'aws.ec2', DetailType: 'EC2 AMI State Change', Detail: '{}' }] }),
  );
  assert.equal(put.Entries![0]!.ErrorCode, 'NotAuthorizedForSourceException');
});
