import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';

/**
 * Debian's packer 1.6.6 (`amazon-ebs` built in; scripts/install-system-deps.sh installs it) bakes
 * the template of docs/testing-ami-automation.md against amiwatch: source AMI lookup, temporary
 * key pair and security group, RunInstances, waits, StopInstances, CreateImage, wait available,
 * copy to eu-west-1, share with an account, tags (the snapshots' with snapshot_tags), terminate,
 * clean-up — twice, the second time replacing the first image (force_deregister) and deleting its
 * snapshots in both regions (force_delete_snapshot). The guide's rule receives each baked image's
 * `available` event.
 */
const run = promisify(execFile);
const template = fileURLToPath(new URL('./fixtures/packer/golden.json', import.meta.url));
const received: DeliveryRequest[] = [];
let app: App;
let eb: EventBridgeClient;
let ec2: EC2Client;
let eu: EC2Client;
let dir: string;
let skip: string | false = false;
try {
  await run('packer', ['version']);
} catch {
  skip = 'packer is not installed (apt-get install -y packer)';
}

before(async () => {
  app = await startTestServer(
    { amiDurations: { CreateImage: 500, CopyImage: 500, RegisterImage: 500, CreateRestoreImageTask: 500 } },
    { transports: { sqs: { deliver: async (r) => (received.push(r), delivered) } } },
  );
  eb = sdkClient(app);
  ec2 = new EC2Client(inProcess(app));
  eu = new EC2Client(inProcess(app, 'eu-west-1'));
  dir = await mkdtemp(join(tmpdir(), 'amiwatch-packer-'));
});
after(async () => {
  for (const c of [eb, ec2, eu]) c?.destroy();
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function bake(): Promise<string> {
  // CHECKPOINT_DISABLE: packer would otherwise ask checkpoint.hashicorp.com for updates.
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', PACKER_CACHE_DIR: join(dir, 'cache'), HOME: dir, PACKER_CONFIG_DIR: dir };
  const { stdout } = await run('packer', ['build', '-machine-readable', '-var', `endpoint=${app.url}`, template], {
    env,
    cwd: dir,
    timeout: 150_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const artifact = /artifact,0,id,(.*)$/m.exec(stdout);
  assert.ok(artifact, stdout.slice(-2000));
  return artifact[1]!;
}

it('packer build: the golden image in us-east-1 and eu-west-1, shared, tagged; nothing left behind; the guide rule notified', {
  skip,
  timeout: 400_000,
}, async () => {
  await eb.send(
    new PutRuleCommand({
      Name: 'ami-available',
      EventPattern: '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}',
    }),
  );
  await eb.send(new PutTargetsCommand({ Rule: 'ami-available', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:amis' }] }));

  const first = await bake();
  // `us-east-1:ami-…,eu-west-1:ami-…`
  const ids = Object.fromEntries(first.split('%!(PACKER_COMMA)').map((pair) => pair.split(':') as [string, string]));
  const home = ids['us-east-1']!;
  const copy = ids['eu-west-1']!;
  const [image] = (await ec2.send(new DescribeImagesCommand({ ImageIds: [home] }))).Images!;
  assert.equal(image!.Name, 'web-golden');
  assert.equal(image!.State, 'available');
  assert.equal(image!.Description, 'Golden web image baked by Packer');
  assert.deepEqual(image!.Tags!.map((t) => `${t.Key}=${t.Value}`).sort(), ['source=packer', 'team=platform']);
  const permissions = await ec2.send(new DescribeImageAttributeCommand({ ImageId: home, Attribute: 'launchPermission' }));
  assert.deepEqual(permissions.LaunchPermissions, [{ UserId: '111111111111' }]);
  const [copied] = (await eu.send(new DescribeImagesCommand({ ImageIds: [copy] }))).Images!;
  assert.equal(copied!.State, 'available');
  assert.equal(copied!.SourceImageId, home);
  // The snapshots are real: the image's tags plus snapshot_tags (which win where both name a key).
  const homeSnapshot = image!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
  const copySnapshot = copied!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
  for (const [client, id] of [
    [ec2, homeSnapshot],
    [eu, copySnapshot],
  ] as const) {
    const [snapshot] = (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots!;
    assert.equal(snapshot!.State, 'completed');
    assert.deepEqual(snapshot!.Tags!.map((t) => `${t.Key}=${t.Value}`).sort(), [
      'backup=weekly',
      'source=packer-snapshot',
      'team=platform',
    ]);
  }
  const tagged = await ec2.send(
    new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:backup', Values: ['weekly'] }] }),
  );
  assert.deepEqual(
    tagged.Snapshots!.map((s) => s.SnapshotId),
    [homeSnapshot],
  );

  const instances = (
    await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:purpose', Values: ['bake'] }] }))
  ).Reservations!.flatMap((r) => r.Instances!);
  assert.deepEqual(
    instances.map((i) => i.State!.Name),
    ['terminated'],
    'the builder instance is terminated',
  );
  assert.equal(instances[0]!.Tags!.find((t) => t.Key === 'Name')?.Value, 'Packer Builder');
  assert.deepEqual((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs, [], 'temporary key pair deleted');
  assert.deepEqual(
    (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!.map((g) => g.GroupName),
    ['default'],
    'temporary group deleted',
  );

  // force_deregister: the second bake replaces the first image of that name.
  const second = await bake();
  const again = /us-east-1:(ami-[0-9a-f]+)/.exec(second)![1]!;
  assert.notEqual(again, home);
  const named = (await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: ['web-golden'] }] })))
    .Images!;
  assert.deepEqual(
    named.map((i) => [i.ImageId, i.State]).sort(),
    [
      [home, 'deregistered'],
      [again, 'available'],
    ].sort(),
  );

  // force_delete_snapshot: the replaced images' snapshots are gone, in both regions; the new ones are there.
  await assert.rejects(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [homeSnapshot] })), { name: 'InvalidSnapshot.NotFound' });
  await assert.rejects(eu.send(new DescribeSnapshotsCommand({ SnapshotIds: [copySnapshot] })), { name: 'InvalidSnapshot.NotFound' });
  const left = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots!;
  assert.deepEqual(
    left.map((s) => s.SnapshotId),
    [named.find((i) => i.ImageId === again)!.BlockDeviceMappings![0]!.Ebs!.SnapshotId],
  );

  const deadline = Date.now() + 5000;
  while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  const events = received.map((r) => JSON.parse(r.payload) as { region: string; detail: { ImageId: string; State: string } });
  assert.deepEqual(
    events.map((e) => [e.region, e.detail.ImageId, e.detail.State]),
    [
      ['us-east-1', home, 'available'],
      ['us-east-1', again, 'available'],
    ],
  );
});
