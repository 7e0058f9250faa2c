import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CopySnapshotCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeleteTagsCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  EC2Client,
  RegisterImageCommand,
  paginateDescribeSnapshots,
  waitUntilImageAvailable,
  waitUntilSnapshotCompleted,
} from '@aws-sdk/client-ec2';
import { CloudTrailClient, CreateTrailCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { startTestServer } from '../e2e/helpers.js';
import { awsCliJson, awsCliSkip } from '../support/aws-cli.js';
import { runningInstance } from '../support/ec2-instance.js';
import { inProcess } from '../support/in-process.js';

/**
 * EBS snapshots through the whole server with real clients: the AWS SDK v3 (its serializer, XML
 * parser, waiter and paginator) and the AWS CLI v2 over a socket; the "EBS Snapshot
 * Notification" events reach a rule's target on the default bus of their region; CloudTrail
 * records the mutating calls.
 */
const received: DeliveryRequest[] = [];
let app: App;
let ec2: EC2Client;
let ec2Eu: EC2Client;
const fast = { minDelay: 1, maxDelay: 1, maxWaitTime: 20 };
const aws = awsCliJson(
  () => app.url,
  () => process.cwd(),
);

before(async () => {
  app = await startTestServer(
    {
      amiDurations: { CreateImage: 300, CopyImage: 300, RegisterImage: 100, CreateRestoreImageTask: 300 },
      instanceDurations: { pending: 100, stopping: 100, 'shutting-down': 100 },
      snapshotDurationMs: 200,
    },
    { transports: { sqs: { deliver: async (r) => (received.push(r), delivered) } } },
  );
  ec2 = new EC2Client(inProcess(app));
  ec2Eu = new EC2Client(inProcess(app, 'eu-west-1'));
  for (const region of ['us-east-1', 'eu-west-1']) {
    const eb = new EventBridgeClient(inProcess(app, region));
    await eb.send(
      new PutRuleCommand({ Name: 'snapshots', EventPattern: '{"source":["aws.ec2"],"detail-type":["EBS Snapshot Notification"]}' }),
    );
    await eb.send(
      new PutTargetsCommand({ Rule: 'snapshots', Targets: [{ Id: 'q', Arn: `arn:aws:sqs:${region}:000000000000:snapshot-events` }] }),
    );
    eb.destroy();
  }
  const ct = new CloudTrailClient(inProcess(app));
  await ct.send(new CreateTrailCommand({ Name: 'audit', S3BucketName: 'audit-logs' }));
  await ct.send(new StartLoggingCommand({ Name: 'audit' }));
  ct.destroy();
});
after(async () => {
  ec2.destroy();
  ec2Eu.destroy();
  await app.close();
});

/** The events the rule's target got for this snapshot id (waits for `count`). */
async function eventsFor(snapshotId: string, count = 1): Promise<any[]> {
  const deadline = Date.now() + 10_000;
  const mine = () => received.map((r) => JSON.parse(r.payload)).filter((e) => e.resources[0].endsWith(`/${snapshotId}`));
  while (mine().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return mine();
}

async function rootVolume(instanceId: string): Promise<string> {
  const { Volumes } = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }));
  return Volumes![0]!.VolumeId!;
}

describe('snapshots with the AWS SDK v3', () => {
  it('CreateSnapshot, waiter, DescribeSnapshots (filters, paginator), tags, CopySnapshot to another region — with their events', {
    timeout: 60_000,
  }, async () => {
    const volumeId = await rootVolume(await runningInstance(ec2));
    const created = await ec2.send(
      new CreateSnapshotCommand({
        VolumeId: volumeId,
        Description: 'sdk nightly',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: 'sdk-1' }] }],
      }),
    );
    assert.equal(created.State, 'pending');
    assert.equal(created.VolumeId, volumeId);
    assert.ok(created.StartTime instanceof Date);
    assert.deepEqual(created.Tags, [{ Key: 'Name', Value: 'sdk-1' }]);
    const id = created.SnapshotId!;
    await waitUntilSnapshotCompleted({ client: ec2, ...fast }, { SnapshotIds: [id] });

    const [shown] = (
      await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:Name', Values: ['sdk-*'] }] }))
    ).Snapshots!;
    assert.deepEqual(
      [shown!.SnapshotId, shown!.State, shown!.Progress, shown!.Description, shown!.VolumeSize, shown!.OwnerId, shown!.StorageTier],
      [id, 'completed', '100%', 'sdk nightly', 8, '000000000000', 'standard'],
    );
    const [event] = await eventsFor(id);
    assert.equal(event['detail-type'], 'EBS Snapshot Notification');
    assert.deepEqual(event.resources, [`arn:aws:ec2::us-east-1:snapshot/${id}`]);
    assert.deepEqual(
      { ...event.detail, startTime: 'T', endTime: 'T' },
      {
        event: 'createSnapshot',
        result: 'succeeded',
        cause: '',
        'request-id': '',
        snapshot_id: `arn:aws:ec2::us-east-1:snapshot/${id}`,
        source: `arn:aws:ec2::us-east-1:volume/${volumeId}`,
        startTime: 'T',
        endTime: 'T',
      },
    );
    assert.match(event.detail.startTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'team', Value: 'platform' }] }));
    await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'Name' }] }));
    const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }] }));
    assert.deepEqual(tags.Tags, [{ ResourceId: id, ResourceType: 'snapshot', Key: 'team', Value: 'platform' }]);

    const copy = await ec2Eu.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: id }));
    await waitUntilSnapshotCompleted({ client: ec2Eu, ...fast }, { SnapshotIds: [copy.SnapshotId!] });
    const [copied] = await eventsFor(copy.SnapshotId!);
    assert.equal(copied.region, 'eu-west-1');
    assert.equal(copied.detail.event, 'copySnapshot');
    assert.equal(copied.detail.source, `arn:aws:ec2::us-east-1:snapshot/${id}`);
    assert.equal(copied.detail.transferType, 'standard');

    for (let n = 0; n < 5; n++) await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }));
    const seen: string[] = [];
    for await (const page of paginateDescribeSnapshots({ client: ec2, pageSize: 5 }, { OwnerIds: ['self'] })) {
      assert.ok(page.Snapshots!.length <= 5);
      seen.push(...page.Snapshots!.map((s) => s.SnapshotId!));
    }
    assert.equal(seen.length, 6);
    assert.equal(new Set(seen).size, 6);
  });

  it("CreateImage's snapshots; DeleteSnapshot refused while in use; RegisterImage of an unknown snapshot; DeleteAssociatedSnapshots", {
    timeout: 60_000,
  }, async () => {
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'sdk-snap-image' }));
    await waitUntilImageAvailable({ client: ec2, ...fast }, { ImageIds: [ImageId!] });
    const snapshotId = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.BlockDeviceMappings![0]!.Ebs!
      .SnapshotId!;
    const [event] = await eventsFor(snapshotId);
    assert.equal(event.detail.event, 'createSnapshot');
    assert.equal(event.detail.result, 'succeeded');
    await assert.rejects(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })), {
      name: 'InvalidSnapshot.InUse',
      message: `The snapshot ${snapshotId} is currently in use by ${ImageId}`,
    });
    await assert.rejects(
      ec2.send(
        new RegisterImageCommand({
          Name: 'sdk-ghost',
          RootDeviceName: '/dev/xvda',
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }],
        }),
      ),
      { name: 'InvalidSnapshot.NotFound', message: "The snapshot 'snap-0123456789abcdef0' does not exist." },
    );
    const out = await ec2.send(new DeregisterImageCommand({ ImageId, DeleteAssociatedSnapshots: true }));
    assert.equal(out.Return, true);
    assert.deepEqual(out.DeleteSnapshotResults, [{ SnapshotId: snapshotId, ReturnCode: 'success' }]);
    await assert.rejects(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })), { name: 'InvalidSnapshot.NotFound' });
  });

  it('a snapshot that fails (amiwatch:fail tag): error with its StateMessage, and a failed event', { timeout: 30_000 }, async () => {
    const volumeId = await rootVolume(await runningInstance(ec2));
    const { SnapshotId } = await ec2.send(
      new CreateSnapshotCommand({
        VolumeId: volumeId,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'amiwatch:fail', Value: 'Volume I/O error' }] }],
      }),
    );
    const [event] = await eventsFor(SnapshotId!);
    assert.deepEqual([event.detail.result, event.detail.cause], ['failed', 'Volume I/O error']);
    const [failed] = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId!] }))).Snapshots!;
    assert.deepEqual([failed!.State, failed!.StateMessage], ['error', 'Volume I/O error']);
  });

  it('CloudTrail records the snapshot calls with their resources', async () => {
    const ct = new CloudTrailClient(inProcess(app));
    const { Events } = await ct.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateSnapshot' }] }),
    );
    ct.destroy();
    assert.ok(Events!.length >= 7);
    const last = Events!.at(-1)!;
    assert.equal(last.EventSource, 'ec2.amazonaws.com');
    assert.equal(last.ReadOnly, 'false');
    assert.ok(last.Resources!.some((r) => r.ResourceType === 'AWS::EC2::Snapshot' && r.ResourceName?.startsWith('snap-')));
    assert.ok(last.Resources!.some((r) => r.ResourceType === 'AWS::EC2::Volume'));
    const record = JSON.parse(last.CloudTrailEvent!);
    assert.match(record.responseElements.snapshotId, /^snap-/);
    assert.match(record.responseElements.volumeId, /^vol-/);
    assert.equal(record.requestParameters.volumeId, record.responseElements.volumeId);
  });
});

describe('snapshots with the AWS CLI v2', { skip: awsCliSkip }, () => {
  it('create-snapshot, describe-snapshots, copy-snapshot, create-tags, register-image, delete-snapshot (in use, then deleted)', {
    timeout: 60_000,
  }, async () => {
    const volumeId = await rootVolume(await runningInstance(ec2));
    const created = await aws(
      'ec2',
      'create-snapshot',
      '--volume-id',
      volumeId,
      '--description',
      'cli snap',
      '--tag-specifications',
      'ResourceType=snapshot,Tags=[{Key=Name,Value=cli-1}]',
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.out.State, 'pending');
    assert.equal(created.out.VolumeId, volumeId);
    assert.deepEqual(created.out.Tags, [{ Key: 'Name', Value: 'cli-1' }]);
    const id = created.out.SnapshotId as string;
    await waitUntilSnapshotCompleted({ client: ec2, ...fast }, { SnapshotIds: [id] });

    const listed = await aws(
      'ec2',
      'describe-snapshots',
      '--owner-ids',
      'self',
      '--filters',
      'Name=tag:Name,Values=cli-1',
      'Name=status,Values=completed',
    );
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      listed.out.Snapshots.map((s: any) => [s.SnapshotId, s.State, s.Description, s.Progress]),
      [[id, 'completed', 'cli snap', '100%']],
    );
    const copied = await aws('ec2', 'copy-snapshot', '--region', 'eu-west-1', '--source-region', 'us-east-1', '--source-snapshot-id', id);
    assert.equal(copied.code, 0, copied.stderr);
    assert.match(copied.out.SnapshotId, /^snap-[0-9a-f]{17}$/);
    assert.equal((await eventsFor(copied.out.SnapshotId))[0].detail.event, 'copySnapshot');

    assert.equal((await aws('ec2', 'create-tags', '--resources', id, '--tags', 'Key=env,Value=prod')).code, 0);
    const tags = await aws('ec2', 'describe-tags', '--filters', `Name=resource-id,Values=${id}`, 'Name=key,Values=env');
    assert.deepEqual(tags.out.Tags, [{ ResourceId: id, ResourceType: 'snapshot', Key: 'env', Value: 'prod' }]);

    const reg = await aws(
      'ec2',
      'register-image',
      '--name',
      'cli-from-snap',
      '--root-device-name',
      '/dev/xvda',
      '--block-device-mappings',
      `DeviceName=/dev/xvda,Ebs={SnapshotId=${id}}`,
    );
    assert.equal(reg.code, 0, reg.stderr);
    const inUse = await aws('ec2', 'delete-snapshot', '--snapshot-id', id);
    assert.notEqual(inUse.code, 0);
    assert.match(
      inUse.stderr,
      new RegExp(
        `\\(InvalidSnapshot\\.InUse\\) when calling the DeleteSnapshot operation: The snapshot ${id} is currently in use by ${reg.out.ImageId}`,
      ),
    );
    const ghost = await aws(
      'ec2',
      'register-image',
      '--name',
      'cli-ghost',
      '--root-device-name',
      '/dev/xvda',
      '--block-device-mappings',
      'DeviceName=/dev/xvda,Ebs={SnapshotId=snap-0000000000000000a}',
    );
    assert.match(
      ghost.stderr,
      /\(InvalidSnapshot\.NotFound\) when calling the RegisterImage operation: The snapshot 'snap-0000000000000000a' does not exist\./,
    );

    // Debian's CLI v2.9 predates DeregisterImage's --delete-associated-snapshots (the SDK case covers
    // it): deregister, then delete the snapshot, which is no longer in use.
    const dereg = await aws('ec2', 'deregister-image', '--image-id', reg.out.ImageId);
    assert.equal(dereg.code, 0, dereg.stderr);
    const deleted = await aws('ec2', 'delete-snapshot', '--snapshot-id', id);
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await aws('ec2', 'delete-snapshot', '--snapshot-id', id);
    assert.match(
      gone.stderr,
      new RegExp(`\\(InvalidSnapshot\\.NotFound\\) when calling the DeleteSnapshot operation: The snapshot '${id}' does not exist\\.`),
    );
  });
});
