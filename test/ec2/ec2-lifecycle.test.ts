import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCOUNT,
  amazonLinux,
  assertGuideShape,
  ctx,
  harness,
  instanceTestOptions,
  rejectsWith,
  instanceOf,
  withSnapshot,
} from './helpers.js';

const state = async (h: ReturnType<typeof harness>, imageId: string, region = 'us-east-1') => {
  const { Images } = await h.service.describeImages(ctx({ region }), { ImageIds: [imageId] });
  return Images?.[0];
};

describe('AMI lifecycle', () => {
  it("CreateImage: pending, then available after the configured duration, with the guide's event", async () => {
    const h = await withSnapshot(harness());
    const c = ctx();
    const { ImageId } = await h.service.createImage(c, { InstanceId: await instanceOf(h, c), Name: 'web-1' });
    assert.match(ImageId!, /^ami-[0-9a-f]{17}$/);
    assert.equal((await state(h, ImageId!))?.State, 'pending');
    h.clock.advance(2999);
    assert.equal((await state(h, ImageId!))?.State, 'pending');
    assert.equal(h.sink.events.length, 0);
    h.clock.advance(1);
    const image = await state(h, ImageId!);
    assert.equal(image?.State, 'available');
    assert.equal(image?.StateReason, undefined);
    assert.equal(h.sink.events.length, 1);
    assertGuideShape(h.sink.events[0]!, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: ImageId!,
      requestId: c.requestId,
      state: 'available',
      time: '2026-01-01T00:00:03Z',
    });
  });

  it('the amiwatch:fail tag fails the image with that message, StateReason and a failed event', async () => {
    const h = await withSnapshot(harness());
    const c = ctx();
    const { ImageId } = await h.service.createImage(c, {
      InstanceId: await instanceOf(h, c),
      Name: 'will-fail',
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'amiwatch:fail', Value: 'Snapshot quota exceeded' }] }],
    });
    h.clock.advance(3000);
    const image = await state(h, ImageId!);
    assert.equal(image?.State, 'failed');
    assert.deepEqual(image?.StateReason, { Code: 'Server.InternalError', Message: 'Snapshot quota exceeded' });
    assertGuideShape(h.sink.events[0]!, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: ImageId!,
      requestId: c.requestId,
      state: 'failed',
      errorMessage: 'Snapshot quota exceeded',
    });
  });

  it('a fault rule (operation + name pattern) fails matching images only, after its delay', async () => {
    const h = await withSnapshot(harness());
    await h.service.faults.add({
      operation: 'RegisterImage',
      namePattern: 'bad-*',
      errorMessage: 'boom',
      errorCode: 'Client.Broken',
      delayMs: 500,
    });
    const reg = (name: string) =>
      h.service.registerImage(ctx(), {
        Name: name,
        RootDeviceName: '/dev/xvda',
        Architecture: 'x86_64',
        VirtualizationType: 'hvm',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }],
      });
    const bad = (await reg('bad-1')).ImageId!;
    const goodCtx = ctx();
    const good = (
      await h.service.registerImage(goodCtx, {
        Name: 'good-1',
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }],
      })
    ).ImageId!;
    h.clock.advance(500);
    assert.deepEqual((await state(h, bad))?.StateReason, { Code: 'Client.Broken', Message: 'boom' });
    assert.equal((await state(h, good))?.State, 'pending');
    h.clock.advance(1500);
    assert.equal((await state(h, good))?.State, 'available');
    assert.deepEqual(h.sink.states(), [`${bad}:failed`, `${good}:available`]);
    assertGuideShape(h.sink.events[0]!, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: bad,
      requestId: h.sink.events[0]!.detail.RequestId,
      state: 'failed',
      errorMessage: 'boom',
    });
    assertGuideShape(h.sink.events[1]!, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: good,
      requestId: goodCtx.requestId,
      state: 'available',
    });
  });

  it('concurrent requests for one name: exactly one image gets it', async () => {
    const h = await withSnapshot(harness());
    const InstanceId = await instanceOf(h);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => h.service.createImage(ctx(), { InstanceId, Name: 'race' })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal(
      results.filter((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'InvalidAMIName.Duplicate').length,
      4,
    );
  });

  it('a fault rule by tag applies to CreateImage requests carrying that tag', async () => {
    const h = await withSnapshot(harness());
    await h.service.faults.add({ operation: '*', tagKey: 'team', tagValue: 'red', errorMessage: 'red team failure' });
    const InstanceId = await instanceOf(h);
    const tagged = (team: string) => ({
      InstanceId,
      Name: `img-${team}`,
      TagSpecifications: [{ ResourceType: 'image' as const, Tags: [{ Key: 'team', Value: team }] }],
    });
    const red = (await h.service.createImage(ctx(), tagged('red'))).ImageId!;
    const blue = (await h.service.createImage(ctx(), tagged('blue'))).ImageId!;
    h.clock.advance(3000);
    assert.equal((await state(h, red))?.State, 'failed');
    assert.equal((await state(h, blue))?.State, 'available');
  });

  it('DeregisterImage: deregistered at once with its event, listed for a while, then gone', async () => {
    const h = await withSnapshot(harness());
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'short-lived' });
    h.clock.advance(3000);
    await h.service.describeImages(ctx(), {});
    const c = ctx();
    assert.deepEqual(await h.service.deregisterImage(c, { ImageId }), { Return: true });
    assert.equal((await state(h, ImageId!))?.State, 'deregistered');
    assert.equal(h.sink.events.length, 2);
    assertGuideShape(h.sink.events[1]!, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: ImageId!,
      requestId: c.requestId,
      state: 'deregistered',
    });
    h.clock.advance(10_000);
    await rejectsWith(
      h.service.describeImages(ctx(), { ImageIds: [ImageId!] }),
      'InvalidAMIID.NotFound',
      `The image id '[${ImageId}]' does not exist`,
    );
    assert.equal((await h.service.describeImages(ctx(), { Owners: ['self'] })).Images?.length, 0);
  });

  it('a failing DeregisterImage changes nothing and emits nothing', async () => {
    const h = await withSnapshot(harness());
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'protected' });
    h.clock.advance(3000);
    await h.service.describeImages(ctx(), {});
    await h.service.faults.add({ operation: 'DeregisterImage', errorMessage: 'not today', errorCode: 'OperationNotPermitted' });
    await rejectsWith(h.service.deregisterImage(ctx(), { ImageId }), 'OperationNotPermitted', 'not today');
    await rejectsWith(h.service.deregisterImage(ctx(), { ImageId: 'ami-0000000000000000f' }), 'InvalidAMIID.NotFound');
    await rejectsWith(
      h.service.deregisterImage(ctx(), { ImageId: 'ami-xyz' }),
      'InvalidAMIID.Malformed',
      'Invalid id: "ami-xyz" (expecting "ami-...")',
    );
    await rejectsWith(h.service.deregisterImage(ctx(), { ImageId, DryRun: true }), 'DryRunOperation');
    assert.equal((await state(h, ImageId!))?.State, 'available');
    assert.deepEqual(h.sink.states(), [`${ImageId}:available`]);
  });

  it('deregistering a pending image: no available event follows', async () => {
    const h = await withSnapshot(harness());
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'abandoned' });
    await h.service.deregisterImage(ctx(), { ImageId });
    h.clock.advance(5000);
    await h.service.describeImages(ctx(), {});
    assert.deepEqual(h.sink.states(), [`${ImageId}:deregistered`]);
  });

  it('DisableImage → disabled (event, hidden unless IncludeDisabled), EnableImage → available (event)', async () => {
    const h = await withSnapshot(harness());
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'toggled' });
    await rejectsWith(h.service.disableImage(ctx(), { ImageId }), 'IncorrectState');
    h.clock.advance(3000);
    await h.service.modifyImageAttribute(ctx(), { ImageId, LaunchPermission: { Add: [{ Group: 'all' }] } });
    const d = ctx();
    assert.deepEqual(await h.service.disableImage(d, { ImageId }), { Return: true });
    assert.equal((await h.service.describeImages(ctx(), { Owners: ['self'] })).Images?.length, 0);
    const disabled = (await h.service.describeImages(ctx(), { IncludeDisabled: true, Owners: ['self'] })).Images?.[0];
    assert.equal(disabled?.State, 'disabled');
    assert.equal(disabled?.Public, false, 'AWS makes a disabled AMI private');
    const e = ctx();
    await h.service.enableImage(e, { ImageId });
    assert.equal((await state(h, ImageId!))?.State, 'available');
    assert.deepEqual(h.sink.states(), [`${ImageId}:available`, `${ImageId}:disabled`, `${ImageId}:available`]);
    assertGuideShape(h.sink.events[1]!, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: ImageId!,
      requestId: d.requestId,
      state: 'disabled',
    });
    assertGuideShape(h.sink.events[2]!, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: ImageId!,
      requestId: e.requestId,
      state: 'available',
    });
    await rejectsWith(h.service.enableImage(ctx(), { ImageId }), 'IncorrectState');
  });

  it('CopyImage across regions: the copy and its event live in the destination region', async () => {
    const h = await withSnapshot(harness());
    const { ImageId: source } = await h.service.createImage(ctx({ region: 'us-east-1' }), {
      InstanceId: await instanceOf(h, { region: 'us-east-1' }),
      Name: 'base',
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'os', Value: 'linux' }] }],
    });
    await rejectsWith(
      h.service.copyImage(ctx({ region: 'eu-west-1' }), { SourceImageId: source, SourceRegion: 'us-east-1', Name: 'too-early' }),
      'InvalidAMIID.Unavailable',
    );
    h.clock.advance(3000);
    const c = ctx({ region: 'eu-west-1' });
    const { ImageId: copy } = await h.service.copyImage(c, {
      SourceImageId: source,
      SourceRegion: 'us-east-1',
      Name: 'base',
      CopyImageTags: true,
      ClientToken: 'tok-1',
    });
    assert.notEqual(copy, source);
    const again = await h.service.copyImage(ctx({ region: 'eu-west-1' }), {
      SourceImageId: source,
      SourceRegion: 'us-east-1',
      Name: 'base',
      ClientToken: 'tok-1',
    });
    assert.equal(again.ImageId, copy, 'same ClientToken → same copy');
    await rejectsWith(h.service.describeImages(ctx({ region: 'us-east-1' }), { ImageIds: [copy!] }), 'InvalidAMIID.NotFound');
    const pending = await state(h, copy!, 'eu-west-1');
    assert.equal(pending?.State, 'pending');
    assert.equal(pending?.SourceImageId, source);
    assert.equal(pending?.SourceImageRegion, 'us-east-1');
    assert.deepEqual(pending?.Tags, [{ Key: 'os', Value: 'linux' }]);
    h.clock.advance(4000);
    assert.equal((await state(h, copy!, 'eu-west-1'))?.State, 'available');
    const event = h.sink.events.find((e) => e.detail.ImageId === copy)!;
    assertGuideShape(event, { account: ACCOUNT, region: 'eu-west-1', imageId: copy!, requestId: c.requestId, state: 'available' });
  });

  it('store then restore: available; restoring an object no store task produced: failed', async () => {
    const h = await withSnapshot(harness());
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'to-store', Description: 'kept' });
    h.clock.advance(3000);
    const { ObjectKey } = await h.service.createStoreImageTask(ctx(), { ImageId, Bucket: 'my-ami-bucket' });
    assert.equal(ObjectKey, `${ImageId}.bin`);
    const inProgress = await h.service.describeStoreImageTasks(ctx(), {});
    assert.equal(inProgress.StoreImageTaskResults?.[0]?.StoreTaskState, 'InProgress');
    // Restoring before the store task completed fails like a foreign object.
    const early = (await h.service.createRestoreImageTask(ctx(), { Bucket: 'my-ami-bucket', ObjectKey, Name: 'restored-early' })).ImageId!;
    h.clock.advance(2000);
    const done = await h.service.describeStoreImageTasks(ctx(), { ImageIds: [ImageId!] });
    assert.equal(done.StoreImageTaskResults?.[0]?.StoreTaskState, 'Completed');
    assert.equal(done.StoreImageTaskResults?.[0]?.ProgressPercentage, 100);
    const c = ctx();
    const restored = (await h.service.createRestoreImageTask(c, { Bucket: 'my-ami-bucket', ObjectKey, Name: 'restored' })).ImageId!;
    const foreign = (
      await h.service.createRestoreImageTask(ctx(), { Bucket: 'my-ami-bucket', ObjectKey: 'ami-0123456789abcdef0.bin', Name: 'x-restored' })
    ).ImageId!;
    h.clock.advance(5000);
    const r = await state(h, restored);
    assert.equal(r?.State, 'available');
    assert.equal(r?.Description, 'kept');
    const f = await state(h, foreign);
    assert.equal(f?.State, 'failed');
    assert.equal(f?.StateReason?.Code, 'Client.InvalidObject');
    assert.equal((await state(h, early))?.State, 'failed');
    const failedEvent = h.sink.events.find((e) => e.detail.ImageId === foreign)!;
    assert.equal(failedEvent.detail.ErrorMessage, f?.StateReason?.Message);
    assertGuideShape(h.sink.events.find((e) => e.detail.ImageId === restored)!, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: restored,
      requestId: c.requestId,
      state: 'available',
    });
  });

  it('a store task fault rule fails the task with its message', async () => {
    const h = await withSnapshot(harness());
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'store-fail' });
    h.clock.advance(3000);
    await h.service.faults.add({ operation: 'CreateStoreImageTask', errorMessage: 'bucket is read-only' });
    await h.service.createStoreImageTask(ctx(), { ImageId, Bucket: 'my-ami-bucket' });
    h.clock.advance(2000);
    const task = (await h.service.describeStoreImageTasks(ctx(), { Filters: [{ Name: 'task-state', Values: ['Failed'] }] }))
      .StoreImageTaskResults?.[0];
    assert.equal(task?.StoreTaskFailureReason, 'bucket is read-only');
  });

  it('an event the sink refuses stays queued and is handed over later, once', async () => {
    const h = await withSnapshot(harness());
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'retry-me' });
    h.sink.failNext = 1;
    h.clock.advance(3000);
    await h.service.describeImages(ctx(), {});
    assert.equal(h.sink.events.length, 0);
    assert.equal((await state(h, ImageId!))?.State, 'available');
    await h.service.lifecycle.settle();
    await h.service.lifecycle.settle();
    assert.deepEqual(h.sink.states(), [`${ImageId}:available`]);
  });

  it('the timer loop completes images without any request', async () => {
    const h = await withSnapshot(harness());
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'timer' });
    h.clock.advance(3000);
    h.service.lifecycle.start(5);
    try {
      for (let i = 0; i < 100 && h.sink.events.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    } finally {
      await h.service.lifecycle.stop();
    }
    assert.deepEqual(h.sink.states(), [`${ImageId}:available`]);
  });

  it('advance(): every pending image and store task completes now, as planned, each image with its event', async () => {
    const h = await withSnapshot(harness());
    await h.service.faults.add({ operation: 'CreateImage', namePattern: 'bad-*', errorMessage: 'Disk full', delayMs: 60_000 });
    const instanceId = await instanceOf(h);
    const good = (await h.service.createImage(ctx(), { InstanceId: instanceId, Name: 'good-1' })).ImageId!;
    const bad = (await h.service.createImage(ctx(), { InstanceId: instanceId, Name: 'bad-1' })).ImageId!;
    assert.equal(await h.service.lifecycle.advance(), 2);
    assert.equal((await state(h, good))?.State, 'available');
    assert.deepEqual((await state(h, bad))?.StateReason, { Code: 'Server.InternalError', Message: 'Disk full' });
    assert.deepEqual(h.sink.states().sort(), [`${bad}:failed`, `${good}:available`].sort());
    await h.service.createStoreImageTask(ctx(), { ImageId: good, Bucket: 'my-ami-bucket' });
    assert.equal(await h.service.lifecycle.advance(), 0, 'no image was pending');
    const tasks = await h.service.describeStoreImageTasks(ctx(), { ImageIds: [good] });
    assert.equal(tasks.StoreImageTaskResults?.[0]?.StoreTaskState, 'Completed');
    assert.equal(h.clock.now(), Date.parse('2026-01-01T00:00:00Z'), 'no time passed');
  });

  it('advance(): an instance in a passing state arrives now, with its event timed now', async () => {
    const h = harness(undefined, undefined, undefined, instanceTestOptions);
    const { Instances } = await h.service.runInstances(ctx(), { ImageId: await amazonLinux(h), MinCount: 1, MaxCount: 1 });
    const id = Instances![0]!.InstanceId!;
    const stateOf = async (): Promise<string | undefined> =>
      (await h.service.describeInstances(ctx(), { InstanceIds: [id] })).Reservations?.[0]?.Instances?.[0]?.State?.Name;
    assert.equal(await stateOf(), 'pending');
    await h.service.lifecycle.advance();
    assert.equal(await stateOf(), 'running');
    await h.service.stopInstances(ctx(), { InstanceIds: [id] });
    await h.service.lifecycle.advance();
    assert.equal(await stateOf(), 'stopped');
    assert.equal(h.clock.now(), Date.parse('2026-01-01T00:00:00Z'), 'no time passed');
  });
});
