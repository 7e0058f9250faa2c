import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateImageCommand, DeregisterImageCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DeleteRuleCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListArchivesCommand,
  ListReplaysCommand,
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { sdkClient, startTestServer } from './helpers.js';
import { runningInstance } from '../support/ec2-instance.js';

const received: DeliveryRequest[] = [];
let app: App;
let eb: EventBridgeClient;
let ec2: EC2Client;
const ACCOUNT = '000000000000';
const busArn = (name: string) => `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${name}`;

before(async () => {
  app = await startTestServer(
    { amiDurations: { CreateImage: 50, CopyImage: 50, RegisterImage: 50, CreateRestoreImageTask: 50 } as never },
    {
      transports: { sqs: { deliver: async (r) => (received.push(r), delivered) } },
    },
  );
  eb = sdkClient(app);
  ec2 = new EC2Client({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
after(async () => {
  eb.destroy();
  ec2.destroy();
  await app.close();
});

const until = async (what: string, ok: () => Promise<boolean> | boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const rejects = async (p: Promise<unknown>, name: string, message?: RegExp) => {
  await assert.rejects(p, (e: Error) => (assert.equal(e.name, name), message && assert.match(e.message, message), true));
};

test('archives: create, the managed rule in ListRules, describe counts, update, list, validation', async () => {
  await eb.send(new CreateEventBusCommand({ Name: 'orders' }));
  const created = await eb.send(
    new CreateArchiveCommand({ ArchiveName: 'orders-all', EventSourceArn: busArn('orders'), RetentionDays: 7, Description: 'all' }),
  );
  assert.equal(created.ArchiveArn, `arn:aws:events:us-east-1:${ACCOUNT}:archive/orders-all`);
  assert.equal(created.State, 'ENABLED');
  assert.ok(created.CreationTime instanceof Date);
  await rejects(
    eb.send(new CreateArchiveCommand({ ArchiveName: 'orders-all', EventSourceArn: busArn('orders') })),
    'ResourceAlreadyExistsException',
    /^Archive orders-all already exists\.$/,
  );
  await rejects(
    eb.send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: busArn('nope') })),
    'ResourceNotFoundException',
    /Event bus nope does not exist/,
  );
  await rejects(
    eb.send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: busArn('orders'), EventPattern: '{"source":"x"}' })),
    'InvalidEventPatternException',
  );
  await rejects(
    eb.send(new DescribeArchiveCommand({ ArchiveName: 'nope' })),
    'ResourceNotFoundException',
    /^Archive nope does not exist\.$/,
  );

  const rules = await eb.send(new ListRulesCommand({ EventBusName: 'orders' }));
  const managed = rules.Rules!.find((r) => r.Name === 'Events-Archive-orders-all')!;
  assert.equal(managed.ManagedBy, 'events.amazonaws.com');
  assert.deepEqual(JSON.parse(managed.EventPattern!), { 'replay-name': [{ exists: false }] });
  await rejects(
    eb.send(new DeleteRuleCommand({ Name: 'Events-Archive-orders-all', EventBusName: 'orders', Force: true })),
    'ManagedRuleException',
  );

  await eb.send(
    new PutEventsCommand({
      Entries: [1, 2, 3].map((n) => ({ EventBusName: 'orders', Source: 'shop', DetailType: 'order', Detail: JSON.stringify({ n }) })),
    }),
  );
  await until('3 archived events', async () => (await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders-all' }))).EventCount === 3);
  const d = await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders-all' }));
  assert.equal(d.EventSourceArn, busArn('orders'));
  assert.equal(d.RetentionDays, 7);
  assert.equal(d.Description, 'all');
  assert.ok(d.SizeBytes! > 3 * 150, `SizeBytes ${d.SizeBytes}`);

  await eb.send(new UpdateArchiveCommand({ ArchiveName: 'orders-all', EventPattern: '{"detail":{"n":[2]}}', RetentionDays: 0 }));
  const rule = (await eb.send(new ListRulesCommand({ EventBusName: 'orders', NamePrefix: 'Events-Archive-' }))).Rules![0]!;
  assert.deepEqual(JSON.parse(rule.EventPattern!), { detail: { n: [2] }, 'replay-name': [{ exists: false }] });
  const list = await eb.send(new ListArchivesCommand({ EventSourceArn: busArn('orders') }));
  assert.deepEqual(
    list.Archives!.map((a) => [a.ArchiveName, a.RetentionDays, a.EventCount]),
    [['orders-all', 0, 3]],
  );

  await eb.send(new DeleteArchiveCommand({ ArchiveName: 'orders-all' }));
  assert.equal((await eb.send(new ListRulesCommand({ EventBusName: 'orders', NamePrefix: 'Events-Archive-' }))).Rules!.length, 0);
  assert.equal((await eb.send(new ListArchivesCommand({}))).Archives!.length, 0);
});

test('a replay re-delivers archived AMI events to a rule created after they arrived, marked with replay-name and not archived again', {
  timeout: 60_000,
}, async () => {
  const t0 = new Date(Date.now() - 60_000);
  // The instance imaged emits state-change events of its own (source aws.ec2 too): the archive keeps the AMI's.
  const instanceId = await runningInstance(ec2);
  await eb.send(
    new CreateArchiveCommand({
      ArchiveName: 'ami-events',
      EventSourceArn: busArn('default'),
      EventPattern: '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"]}',
    }),
  );
  const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'replay-me' }));
  await until(
    'the available event archived',
    async () => (await eb.send(new DescribeArchiveCommand({ ArchiveName: 'ami-events' }))).EventCount === 1,
  );
  await ec2.send(new DeregisterImageCommand({ ImageId }));
  await until(
    'the deregistered event archived',
    async () => (await eb.send(new DescribeArchiveCommand({ ArchiveName: 'ami-events' }))).EventCount === 2,
  );

  // The rule arrives after the events did: only a replay can bring them to it.
  await eb.send(new PutRuleCommand({ Name: 'ami-available', EventPattern: '{"source":["aws.ec2"],"detail":{"State":["available"]}}' }));
  await eb.send(new PutTargetsCommand({ Rule: 'ami-available', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:ami' }] }));
  await eb.send(new PutRuleCommand({ Name: 'everything-ec2', EventPattern: '{"source":["aws.ec2"]}' }));
  await eb.send(new PutTargetsCommand({ Rule: 'everything-ec2', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:other' }] }));
  assert.equal(received.length, 0);

  const archiveArn = `arn:aws:events:us-east-1:${ACCOUNT}:archive/ami-events`;
  const end = new Date(Date.now() + 1000);
  await rejects(
    eb.send(
      new StartReplayCommand({
        ReplayName: 'r0',
        EventSourceArn: archiveArn,
        EventStartTime: end,
        EventEndTime: t0,
        Destination: { Arn: busArn('default') },
      }),
    ),
    'ValidationException',
    /^Parameter EventEndTime is not valid\. Reason: EventStartTime must be before EventEndTime\.$/,
  );
  await rejects(
    eb.send(
      new StartReplayCommand({
        ReplayName: 'r0',
        EventSourceArn: archiveArn,
        EventStartTime: t0,
        EventEndTime: end,
        Destination: { Arn: busArn('orders') },
      }),
    ),
    'ValidationException',
    /^Parameter Destination\.Arn is not valid\. Reason: Cross event bus replay is not permitted\.$/,
  );
  await rejects(
    eb.send(
      new StartReplayCommand({
        ReplayName: 'r0',
        EventSourceArn: `${archiveArn}-nope`,
        EventStartTime: t0,
        EventEndTime: end,
        Destination: { Arn: busArn('default') },
      }),
    ),
    'ValidationException',
    /^Parameter EventSourceArn is not valid\. Reason: Archive ami-events-nope does not exist\.$/,
  );
  const started = await eb.send(
    new StartReplayCommand({
      ReplayName: 'fix-1',
      EventSourceArn: archiveArn,
      EventStartTime: t0,
      EventEndTime: end,
      Destination: { Arn: busArn('default'), FilterArns: [`arn:aws:events:us-east-1:${ACCOUNT}:rule/ami-available`] },
    }),
  );
  assert.equal(started.State, 'STARTING');
  assert.equal(started.ReplayArn, `arn:aws:events:us-east-1:${ACCOUNT}:replay/fix-1`);
  await until(
    'the replay completes',
    async () => (await eb.send(new DescribeReplayCommand({ ReplayName: 'fix-1' }))).State === 'COMPLETED',
  );
  await until('the replayed event delivered', () => received.length === 1);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(received.length, 1, 'only the FilterArns rule received it, and only the available event matched');
  const event = JSON.parse(received[0]!.payload);
  assert.equal(event['replay-name'], 'fix-1');
  assert.equal(event.detail.ImageId, ImageId);
  assert.equal(event.detail.State, 'available');
  assert.equal(received[0]!.target.ruleName, 'ami-available');

  const described = await eb.send(new DescribeReplayCommand({ ReplayName: 'fix-1' }));
  assert.equal(described.EventSourceArn, archiveArn);
  assert.deepEqual(described.Destination, {
    Arn: busArn('default'),
    FilterArns: [`arn:aws:events:us-east-1:${ACCOUNT}:rule/ami-available`],
  });
  assert.ok(described.EventLastReplayedTime instanceof Date);
  assert.ok(described.ReplayEndTime instanceof Date);
  // Replayed events are not archived again.
  assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'ami-events' }))).EventCount, 2);
  await rejects(eb.send(new CancelReplayCommand({ ReplayName: 'fix-1' })), 'IllegalStatusException');
  await rejects(
    eb.send(
      new StartReplayCommand({
        ReplayName: 'fix-1',
        EventSourceArn: archiveArn,
        EventStartTime: t0,
        EventEndTime: end,
        Destination: { Arn: busArn('default') },
      }),
    ),
    'ResourceAlreadyExistsException',
    /^Replay fix-1 already exists\.$/,
  );
  const listed = await eb.send(new ListReplaysCommand({ EventSourceArn: archiveArn }));
  assert.deepEqual(
    listed.Replays!.map((r) => [r.ReplayName, r.State]),
    [['fix-1', 'COMPLETED']],
  );

  // Without FilterArns every matching rule of the bus gets the replayed events.
  await eb.send(
    new StartReplayCommand({
      ReplayName: 'all-rules',
      EventSourceArn: archiveArn,
      EventStartTime: t0,
      EventEndTime: end,
      Destination: { Arn: busArn('default') },
    }),
  );
  await until('all rules replayed', () => received.length === 1 + 1 + 2);
  assert.ok(received.slice(1).every((r) => JSON.parse(r.payload)['replay-name'] === 'all-rules'));
});
