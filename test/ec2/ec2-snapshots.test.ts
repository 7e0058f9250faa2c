import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../src/core/shared/clock.js';
import { SqliteEc2Store } from '../../src/storage/sqlite/sqlite-ec2-store.js';
import { ACCOUNT, OTHER_ACCOUNT, ctx, harness, instanceOf, rejectsWith, seedSnapshot, testOptions, type Harness } from './helpers.js';

/**
 * EBS snapshots on a manual clock: CreateImage's real snapshots, CreateSnapshot, CopySnapshot
 * (across regions), DescribeSnapshots, DeleteSnapshot's in-use rule, RegisterImage's check,
 * DeregisterImage's DeleteAssociatedSnapshots, tags, and the "EBS Snapshot Notification" events.
 */
const duration = testOptions.snapshotDurationMs;

async function volumeOf(h: Harness, over = {}): Promise<string> {
  const instanceId = await instanceOf(h, over);
  const { Volumes } = await h.service.describeVolumes(ctx(over), { Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] });
  return Volumes![0]!.VolumeId!;
}

async function completedSnapshot(h: Harness, over = {}, tags: Array<{ Key: string; Value: string }> = []): Promise<string> {
  const { SnapshotId } = await h.service.createSnapshot(ctx(over), {
    VolumeId: await volumeOf(h, over),
    ...(tags.length > 0 && { TagSpecifications: [{ ResourceType: 'snapshot', Tags: tags }] }),
  });
  h.clock.advance(duration);
  await h.service.lifecycle.settle();
  return SnapshotId!;
}

const one = async (h: Harness, id: string, over = {}) =>
  (await h.service.describeSnapshots(ctx(over), { SnapshotIds: [id] })).Snapshots![0]!;

describe('snapshots: CreateImage makes real ones', () => {
  it('one per volume, pending with the image, completed before it, each with a createSnapshot event', async () => {
    const h = harness();
    const instanceId = await instanceOf(h);
    const volumeId = (await h.service.describeVolumes(ctx(), {})).Volumes![0]!.VolumeId!;
    const { ImageId } = await h.service.createImage(ctx(), {
      InstanceId: instanceId,
      Name: 'with-snapshots',
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'team', Value: 'bake' }] }],
    });
    const image = (await h.service.describeImages(ctx(), { ImageIds: [ImageId!] })).Images![0]!;
    const snapshotId = image.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    const pending = await one(h, snapshotId);
    assert.equal(pending.State, 'pending');
    assert.equal(pending.VolumeId, volumeId);
    assert.equal(pending.OwnerId, ACCOUNT);
    assert.equal(pending.Description, `Created by CreateImage(${instanceId}) for ${ImageId}`);
    assert.deepEqual(pending.Tags, [{ Key: 'team', Value: 'bake' }]);
    assert.equal(pending.Progress, '0%');

    h.clock.advance(testOptions.durations.CreateImage);
    await h.service.lifecycle.settle();
    const done = await one(h, snapshotId);
    assert.equal(done.State, 'completed');
    assert.equal(done.Progress, '100%');
    assert.equal(h.sink.snapshotEvents.length, 1);
    const event = h.sink.snapshotEvents[0]!;
    assert.deepEqual(
      { ...event, id: 'x' },
      {
        version: '0',
        id: 'x',
        'detail-type': 'EBS Snapshot Notification',
        source: 'aws.ec2',
        account: ACCOUNT,
        time: event.detail.endTime,
        region: 'us-east-1',
        resources: [`arn:aws:ec2::us-east-1:snapshot/${snapshotId}`],
        detail: {
          event: 'createSnapshot',
          result: 'succeeded',
          cause: '',
          'request-id': '',
          snapshot_id: `arn:aws:ec2::us-east-1:snapshot/${snapshotId}`,
          source: `arn:aws:ec2::us-east-1:volume/${volumeId}`,
          startTime: '2026-01-01T00:00:00Z',
          endTime: '2026-01-01T00:00:03Z',
        },
      },
    );
    assert.deepEqual(h.sink.states(), [`${ImageId}:available`]);
    const { Tags } = await h.service.describeTags(ctx(), { Filters: [{ Name: 'resource-type', Values: ['snapshot'] }] });
    assert.deepEqual(Tags, [{ ResourceId: snapshotId, ResourceType: 'snapshot', Key: 'team', Value: 'bake' }]);
  });

  it('the snapshots of an image that fails end in error, their events failed with its message as cause', async () => {
    const h = harness();
    const instanceId = await instanceOf(h);
    const { ImageId } = await h.service.createImage(ctx(), {
      InstanceId: instanceId,
      Name: 'doomed',
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'amiwatch:fail', Value: 'Snapshot quota exceeded' }] }],
    });
    h.clock.advance(testOptions.durations.CreateImage);
    await h.service.lifecycle.settle();
    const snapshotId = (await h.service.describeImages(ctx(), { ImageIds: [ImageId!] })).Images![0]!.BlockDeviceMappings![0]!.Ebs!
      .SnapshotId!;
    const s = await one(h, snapshotId);
    assert.equal(s.State, 'error');
    assert.equal(s.StateMessage, 'Snapshot quota exceeded');
    assert.equal(h.sink.snapshotEvents[0]!.detail.result, 'failed');
    assert.equal(h.sink.snapshotEvents[0]!.detail.cause, 'Snapshot quota exceeded');
  });

  it('CopyImage copies the snapshots (no event: EBS reports copies of CopySnapshot only)', async () => {
    const h = harness();
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'src' });
    h.clock.advance(testOptions.durations.CreateImage);
    await h.service.lifecycle.settle();
    const source = (await h.service.describeImages(ctx(), { ImageIds: [ImageId!] })).Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    const eu = { region: 'eu-west-1' };
    const copy = await h.service.copyImage(ctx(eu), { SourceImageId: ImageId!, SourceRegion: 'us-east-1', Name: 'copy' });
    const copied = (await h.service.describeImages(ctx(eu), { ImageIds: [copy.ImageId!] })).Images![0]!.BlockDeviceMappings![0]!.Ebs!
      .SnapshotId!;
    const s = await one(h, copied, eu);
    assert.notEqual(copied, source);
    assert.equal(s.VolumeId, 'vol-ffffffff');
    assert.match(
      s.Description!,
      new RegExp(`^Copied for DestinationAmi ${copy.ImageId} from SourceAmi ${ImageId} for SourceSnapshot ${source}\\.`),
    );
    h.clock.advance(testOptions.durations.CopyImage);
    await h.service.lifecycle.settle();
    assert.equal((await one(h, copied, eu)).State, 'completed');
    assert.equal(h.sink.snapshotEvents.length, 1, 'only the CreateImage snapshot emitted');
  });
});

describe('snapshots: CreateSnapshot, CopySnapshot, DeleteSnapshot', () => {
  it('CreateSnapshot from an instance volume: pending, progress grows, completed with its event', async () => {
    const h = harness();
    const volumeId = await volumeOf(h);
    h.clock.set(10_000);
    const created = await h.service.createSnapshot(ctx(), {
      VolumeId: volumeId,
      Description: 'nightly',
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: 'n1' }] }],
    });
    assert.match(created.SnapshotId!, /^snap-[0-9a-f]{17}$/);
    assert.equal(created.State, 'pending');
    assert.equal(created.VolumeId, volumeId);
    assert.equal(created.VolumeSize, 8);
    assert.equal(created.Description, 'nightly');
    assert.equal(created.OwnerId, ACCOUNT);
    assert.deepEqual(created.Tags, [{ Key: 'Name', Value: 'n1' }]);
    h.clock.advance(duration / 2);
    assert.equal((await one(h, created.SnapshotId!)).Progress, '50%');
    h.clock.advance(duration / 2);
    await h.service.lifecycle.settle();
    const done = await one(h, created.SnapshotId!);
    assert.equal(done.State, 'completed');
    assert.equal(done.CompletionTime?.getTime(), 10_000 + duration);
    const e = h.sink.snapshotEvents.at(-1)!;
    assert.equal(e.detail.event, 'createSnapshot');
    assert.equal(e.detail.source, `arn:aws:ec2::us-east-1:volume/${volumeId}`);
    assert.equal(e.detail.startTime, '1970-01-01T00:00:10Z');
    assert.equal(e.detail.endTime, '1970-01-01T00:00:12Z');
    // Settling again emits nothing more: the transition fired once.
    await h.service.lifecycle.settle();
    assert.equal(h.sink.snapshotEvents.length, 1);
  });

  it("refuses unknown, malformed and other accounts' volumes; a dry run changes nothing", async () => {
    const h = harness();
    const theirs = await volumeOf(h, { accountId: OTHER_ACCOUNT });
    await rejectsWith(
      h.service.createSnapshot(ctx(), { VolumeId: theirs }),
      'InvalidVolume.NotFound',
      `The volume '${theirs}' does not exist.`,
    );
    await rejectsWith(
      h.service.createSnapshot(ctx(), { VolumeId: 'vol-1' }),
      'InvalidVolumeID.Malformed',
      'Invalid id: "vol-1" (expecting "vol-...")',
    );
    await rejectsWith(h.service.createSnapshot(ctx(), {} as never), 'MissingParameter');
    await rejectsWith(h.service.createSnapshot(ctx(), { VolumeId: await volumeOf(h), DryRun: true }), 'DryRunOperation');
    assert.deepEqual((await h.service.describeSnapshots(ctx(), {})).Snapshots, []);
  });

  it('a snapshot tagged amiwatch:fail ends in error with a failed event', async () => {
    const h = harness();
    const { SnapshotId } = await h.service.createSnapshot(ctx(), {
      VolumeId: await volumeOf(h),
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'amiwatch:fail', Value: 'Volume I/O error' }] }],
    });
    h.clock.advance(duration);
    await h.service.lifecycle.settle();
    assert.equal((await one(h, SnapshotId!)).State, 'error');
    assert.deepEqual([h.sink.snapshotEvents[0]!.detail.result, h.sink.snapshotEvents[0]!.detail.cause], ['failed', 'Volume I/O error']);
  });

  it('a CreateSnapshot fault rule fails the snapshots whose Name tag it matches, after its delay', async () => {
    const h = harness();
    await h.service.faults.add({
      operation: 'CreateSnapshot',
      namePattern: 'nightly-*',
      errorMessage: 'Snapshot limit reached',
      delayMs: 500,
    });
    const make = (name: string) =>
      volumeOf(h).then((VolumeId) =>
        h.service.createSnapshot(ctx(), {
          VolumeId,
          TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: name }] }],
        }),
      );
    const bad = await make('nightly-1');
    const good = await make('weekly-1');
    h.clock.advance(500);
    await h.service.lifecycle.settle();
    assert.deepEqual(
      [(await one(h, bad.SnapshotId!)).State, (await one(h, bad.SnapshotId!)).StateMessage],
      ['error', 'Snapshot limit reached'],
    );
    assert.equal((await one(h, good.SnapshotId!)).State, 'pending');
    // A `*` rule is the image operations': it does not touch snapshots.
    await h.service.faults.add({ operation: '*', errorMessage: 'images only' });
    const other = await make('other-1');
    h.clock.advance(duration);
    await h.service.lifecycle.settle();
    assert.equal((await one(h, other.SnapshotId!)).State, 'completed');
  });

  it('CopySnapshot across regions: the copy and its copySnapshot event live in the destination; a second copy is incremental', async () => {
    const h = harness();
    const source = await completedSnapshot(h);
    const eu = { region: 'eu-west-1' };
    const first = await h.service.copySnapshot(ctx(eu), {
      SourceRegion: 'us-east-1',
      SourceSnapshotId: source,
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'copy', Value: '1' }] }],
    });
    assert.deepEqual(first.Tags, [{ Key: 'copy', Value: '1' }]);
    const copy = await one(h, first.SnapshotId!, eu);
    assert.equal(copy.Description, `[Copied ${source} from us-east-1]`);
    assert.equal(copy.VolumeId, 'vol-ffffffff');
    await rejectsWith(h.service.describeSnapshots(ctx(), { SnapshotIds: [first.SnapshotId!] }), 'InvalidSnapshot.NotFound');
    h.clock.advance(duration);
    await h.service.lifecycle.settle();
    const second = await h.service.copySnapshot(ctx(eu), { SourceRegion: 'us-east-1', SourceSnapshotId: source, Description: 'again' });
    h.clock.advance(duration);
    await h.service.lifecycle.settle();
    const copies = h.sink.snapshotEvents.filter((e) => e.detail.event === 'copySnapshot');
    assert.equal(copies.length, 2);
    assert.equal(copies[0]!.region, 'eu-west-1');
    assert.equal(copies[0]!.detail.snapshot_id, `arn:aws:ec2::eu-west-1:snapshot/${first.SnapshotId}`);
    assert.equal(copies[0]!.detail.source, `arn:aws:ec2::us-east-1:snapshot/${source}`);
    assert.deepEqual([copies[0]!.detail.incremental, copies[0]!.detail.transferType], ['false', 'standard']);
    assert.equal(copies[1]!.detail.snapshot_id, `arn:aws:ec2::eu-west-1:snapshot/${second.SnapshotId}`);
    assert.equal(copies[1]!.detail.incremental, 'true');
  });

  it("CopySnapshot refuses a pending source, another account's and an unknown one", async () => {
    const h = harness();
    const { SnapshotId } = await h.service.createSnapshot(ctx(), { VolumeId: await volumeOf(h) });
    await rejectsWith(
      h.service.copySnapshot(ctx(), { SourceRegion: 'us-east-1', SourceSnapshotId: SnapshotId! }),
      'IncorrectState',
      `The snapshot '${SnapshotId}' is in state 'pending' and cannot be copied.`,
    );
    await rejectsWith(
      h.service.copySnapshot(ctx({ accountId: OTHER_ACCOUNT }), { SourceRegion: 'us-east-1', SourceSnapshotId: SnapshotId! }),
      'InvalidSnapshot.NotFound',
      `The snapshot '${SnapshotId}' does not exist.`,
    );
    await rejectsWith(
      h.service.copySnapshot(ctx(), { SourceRegion: 'us-east-1', SourceSnapshotId: 'snap-x' }),
      'InvalidSnapshotID.Malformed',
    );
  });

  it('DeleteSnapshot: refused with InvalidSnapshot.InUse while a registered image uses it, allowed after DeregisterImage', async () => {
    const h = harness();
    const snap = await completedSnapshot(h);
    const { ImageId } = await h.service.registerImage(ctx(), {
      Name: 'from-snap',
      RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snap } }],
    });
    await rejectsWith(
      h.service.deleteSnapshot(ctx(), { SnapshotId: snap }),
      'InvalidSnapshot.InUse',
      `The snapshot ${snap} is currently in use by ${ImageId}`,
    );
    await rejectsWith(h.service.deleteSnapshot(ctx({ accountId: OTHER_ACCOUNT }), { SnapshotId: snap }), 'InvalidSnapshot.NotFound');
    await h.service.deregisterImage(ctx(), { ImageId: ImageId! });
    await h.service.deleteSnapshot(ctx(), { SnapshotId: snap });
    await rejectsWith(
      h.service.describeSnapshots(ctx(), { SnapshotIds: [snap] }),
      'InvalidSnapshot.NotFound',
      `The snapshot '${snap}' does not exist.`,
    );
    await rejectsWith(h.service.deleteSnapshot(ctx(), { SnapshotId: snap }), 'InvalidSnapshot.NotFound');
  });

  it("RegisterImage refuses a snapshot that does not exist (or is another account's)", async () => {
    const h = harness();
    const theirs = await seedSnapshot(h.store, 'snap-0000000000000000f', { accountId: OTHER_ACCOUNT });
    for (const id of ['snap-0123456789abcdef0', theirs]) {
      await rejectsWith(
        h.service.registerImage(ctx(), {
          Name: `bad-${id}`,
          RootDeviceName: '/dev/xvda',
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: id } }],
        }),
        'InvalidSnapshot.NotFound',
        `The snapshot '${id}' does not exist.`,
      );
    }
    assert.equal((await h.service.describeImages(ctx(), { Owners: ['self'] })).Images!.length, 0);
    // RunInstances' own mappings too: a volume from a snapshot needs the snapshot.
    const { Images } = await h.service.describeImages(ctx(), { Owners: ['amazon'] });
    await rejectsWith(
      h.service.runInstances(ctx(), {
        ImageId: Images![0]!.ImageId!,
        MinCount: 1,
        MaxCount: 1,
        BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }],
      }),
      'InvalidSnapshot.NotFound',
    );
  });

  it('DeregisterImage DeleteAssociatedSnapshots: deleted (success), kept while another image uses it (skipped)', async () => {
    const h = harness();
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'own' });
    h.clock.advance(testOptions.durations.CreateImage);
    await h.service.lifecycle.settle();
    const own = (await h.service.describeImages(ctx(), { ImageIds: [ImageId!] })).Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    const shared = await completedSnapshot(h);
    const reg = (name: string) =>
      h.service.registerImage(ctx(), {
        Name: name,
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: shared } }],
      });
    const a = await reg('img-a');
    await reg('img-b');
    assert.deepEqual(await h.service.deregisterImage(ctx(), { ImageId: ImageId!, DeleteAssociatedSnapshots: true }), {
      Return: true,
      DeleteSnapshotResults: [{ SnapshotId: own, ReturnCode: 'success' }],
    });
    await rejectsWith(h.service.describeSnapshots(ctx(), { SnapshotIds: [own] }), 'InvalidSnapshot.NotFound');
    assert.deepEqual(await h.service.deregisterImage(ctx(), { ImageId: a.ImageId!, DeleteAssociatedSnapshots: true }), {
      Return: true,
      DeleteSnapshotResults: [{ SnapshotId: shared, ReturnCode: 'skipped' }],
    });
    assert.equal((await one(h, shared)).State, 'completed');
  });

  it('CreateTags / DeleteTags / DescribeTags on snapshots', async () => {
    const h = harness();
    const snap = await completedSnapshot(h);
    await h.service.createTags(ctx(), {
      Resources: [snap],
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
    });
    await h.service.deleteTags(ctx(), { Resources: [snap], Tags: [{ Key: 'a' }] });
    assert.deepEqual((await one(h, snap)).Tags, [{ Key: 'b', Value: '2' }]);
    const { Tags } = await h.service.describeTags(ctx(), { Filters: [{ Name: 'resource-id', Values: [snap] }] });
    assert.deepEqual(Tags, [{ ResourceId: snap, ResourceType: 'snapshot', Key: 'b', Value: '2' }]);
    await rejectsWith(
      h.service.createTags(ctx({ accountId: OTHER_ACCOUNT }), { Resources: [snap], Tags: [{ Key: 'x', Value: 'y' }] }),
      'InvalidSnapshot.NotFound',
    );
  });
});

describe('snapshots: DescribeSnapshots', () => {
  it('owners, filters, pages as AWS pages them', async () => {
    const h = harness();
    const ids: string[] = [];
    for (let n = 0; n < 7; n++) ids.push(await completedSnapshot(h, {}, [{ Key: 'n', Value: String(n) }]));
    await completedSnapshot(h, { accountId: OTHER_ACCOUNT });
    ids.sort();
    const all = await h.service.describeSnapshots(ctx(), {});
    assert.deepEqual(
      all.Snapshots!.map((s) => s.SnapshotId),
      ids,
    );
    assert.equal((await h.service.describeSnapshots(ctx(), { OwnerIds: ['self'] })).Snapshots!.length, 7);
    assert.equal((await h.service.describeSnapshots(ctx(), { OwnerIds: [ACCOUNT] })).Snapshots!.length, 7);
    assert.equal((await h.service.describeSnapshots(ctx(), { OwnerIds: ['amazon'] })).Snapshots!.length, 0);
    assert.equal((await h.service.describeSnapshots(ctx(), { OwnerIds: [OTHER_ACCOUNT] })).Snapshots!.length, 0);
    const tagged = await h.service.describeSnapshots(ctx(), { Filters: [{ Name: 'tag:n', Values: ['3', '5'] }] });
    assert.equal(tagged.Snapshots!.length, 2);
    const byStatus = await h.service.describeSnapshots(ctx(), {
      Filters: [
        { Name: 'status', Values: ['completed'] },
        { Name: 'volume-size', Values: ['8'] },
        { Name: 'owner-id', Values: [ACCOUNT] },
      ],
    });
    assert.equal(byStatus.Snapshots!.length, 7);
    const p1 = await h.service.describeSnapshots(ctx(), { MaxResults: 5 });
    assert.equal(p1.Snapshots!.length, 5);
    assert.ok(p1.NextToken);
    const p2 = await h.service.describeSnapshots(ctx(), { MaxResults: 5, NextToken: p1.NextToken! });
    assert.deepEqual(
      [...p1.Snapshots!, ...p2.Snapshots!].map((s) => s.SnapshotId),
      ids,
    );
    assert.equal(p2.NextToken, undefined);
    assert.equal((await h.service.describeSnapshots(ctx(), { MaxResults: 5000 })).Snapshots!.length, 7, 'above 1000 means 1000');
    await rejectsWith(h.service.describeSnapshots(ctx(), { MaxResults: 4 }), 'InvalidParameterValue');
    await rejectsWith(h.service.describeSnapshots(ctx(), { SnapshotIds: [ids[0]!], MaxResults: 5 }), 'InvalidParameterCombination');
    await rejectsWith(
      h.service.describeSnapshots(ctx(), { Filters: [{ Name: 'nope', Values: ['x'] }] }),
      'InvalidParameterValue',
      "The filter 'nope' is invalid",
    );
    await rejectsWith(h.service.describeSnapshots(ctx(), { NextToken: 'garbage!' }), 'InvalidPaginationToken');
  });
});

describe('snapshots: restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amiwatch-snapshots-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a snapshot pending at shutdown completes on the next start, its event emitted once and timed when it was due', async () => {
    const file = join(dir, 'ec2.db');
    const first = SqliteEc2Store.open(file);
    const clock = new ManualClock(50_000);
    const h1 = harness(first, clock);
    const { SnapshotId } = await h1.service.createSnapshot(ctx(), { VolumeId: await volumeOf(h1) });
    first.close();
    clock.advance(duration * 10);
    const second = SqliteEc2Store.open(file);
    const h2 = harness(second, clock);
    await h2.service.lifecycle.settle();
    await h2.service.lifecycle.settle();
    assert.equal((await one(h2, SnapshotId!)).State, 'completed');
    assert.equal(h2.sink.snapshotEvents.length, 1);
    assert.equal(h2.sink.snapshotEvents[0]!.detail.endTime, new Date(50_000 + duration).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    second.close();
  });
});
