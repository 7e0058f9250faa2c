import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../src/core/shared/clock.js';
import { SqliteEc2Store } from '../../src/storage/sqlite/sqlite-ec2-store.js';
import { ACCOUNT, assertGuideShape, ctx, harness, instanceOf, withSnapshot } from './helpers.js';

/** Restart survival, for real: a SQLite file, closed and reopened by a fresh service. */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-ec2-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('restart while images are pending (SQLite file)', () => {
  it('a due time that passed while down completes on start, with exactly one event', async () => {
    const file = join(dir, 'restart-1.db');
    const clock = new ManualClock();
    const first = harness(SqliteEc2Store.open(file), clock, 1);
    const c = ctx();
    const { ImageId: ok } = await first.service.createImage(c, { InstanceId: await instanceOf(first, c), Name: 'survivor' });
    const { ImageId: bad } = await first.service.createImage(ctx(), {
      InstanceId: await instanceOf(first),
      Name: 'doomed',
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'amiwatch:fail', Value: 'disk full' }] }],
    });
    (first.store as SqliteEc2Store).close(); // the server goes down with both pending

    clock.advance(60_000);
    const second = harness(SqliteEc2Store.open(file), clock, 2);
    second.service.lifecycle.start(5);
    try {
      for (let i = 0; i < 200 && second.sink.events.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    } finally {
      await second.service.lifecycle.stop();
    }
    assert.deepEqual(second.sink.states().sort(), [`${bad}:failed`, `${ok}:available`].sort());
    const event = second.sink.events.find((e) => e.detail.ImageId === ok)!;
    assertGuideShape(event, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: ok!,
      requestId: c.requestId,
      state: 'available',
      time: '2026-01-01T00:01:00Z',
    });
    const { Images } = await second.service.describeImages(ctx(), { Owners: ['self'] });
    assert.deepEqual(Images?.map((i) => [i.Name, i.State]).sort(), [
      ['doomed', 'failed'],
      ['survivor', 'available'],
    ]);
    (second.store as SqliteEc2Store).close();

    const third = harness(SqliteEc2Store.open(file), clock, 3);
    await third.service.lifecycle.settle();
    assert.equal(third.sink.events.length, 0, 'nothing is emitted twice');
    (third.store as SqliteEc2Store).close();
  });

  it('an event committed but not yet handed over before the crash is handed over after it, once', async () => {
    const file = join(dir, 'restart-2.db');
    const clock = new ManualClock();
    const first = harness(SqliteEc2Store.open(file), clock, 4);
    const { ImageId } = await first.service.createImage(ctx(), { InstanceId: await instanceOf(first), Name: 'in-flight' });
    first.sink.failNext = 1_000; // the bus is unreachable
    clock.advance(3000);
    await first.service.lifecycle.settle();
    assert.equal(first.sink.events.length, 0);
    (first.store as SqliteEc2Store).close();

    const second = harness(SqliteEc2Store.open(file), clock, 5);
    await second.service.lifecycle.settle();
    await second.service.lifecycle.settle();
    assert.deepEqual(second.sink.states(), [`${ImageId}:available`]);
    (second.store as SqliteEc2Store).close();
  });

  it('instances pending, stopping or shutting down when the server stops arrive after the restart, each event once, at its due time', async () => {
    const file = join(dir, 'restart-3.db');
    const clock = new ManualClock();
    const first = await withSnapshot(harness(SqliteEc2Store.open(file), clock, 6));
    const { ImageId } = await first.service.registerImage(ctx(), {
      Name: 'base',
      RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }],
    });
    clock.advance(10_000);
    await first.service.lifecycle.settle();
    const ids = (await first.service.runInstances(ctx(), { ImageId, MinCount: 3, MaxCount: 3 })).Instances!.map((i) => i.InstanceId!);
    clock.advance(first.options.instanceDurations.pending);
    await first.service.stopInstances(ctx(), { InstanceIds: [ids[0]!] });
    await first.service.terminateInstances(ctx(), { InstanceIds: [ids[1]!] });
    await first.service.lifecycle.settle();
    const before = first.sink.instanceEvents.length;
    (first.store as SqliteEc2Store).close(); // down: one stopping, one shutting-down
    assert.ok(before > 0);

    clock.advance(60_000);
    const second = harness(SqliteEc2Store.open(file), clock, 7);
    await second.service.lifecycle.settle();
    const arrived = second.sink.instanceEvents.map((e) => `${e.detail['instance-id']}:${e.detail.state}`);
    assert.deepEqual(arrived.sort(), [`${ids[0]}:stopped`, `${ids[1]}:terminated`].sort());
    const stoppedAt = new Date(clock.now() - 60_000 + second.options.instanceDurations.stopping).toISOString().replace(/\.\d{3}Z$/, 'Z');
    assert.equal(second.sink.instanceEvents.find((e) => e.detail.state === 'stopped')!.time, stoppedAt);
    (second.store as SqliteEc2Store).close();
    const third = harness(SqliteEc2Store.open(file), clock, 8);
    await third.service.lifecycle.settle();
    assert.equal(third.sink.instanceEvents.length, 0, 'nothing is emitted twice');
    const states = new Map(
      (await third.service.describeInstances(ctx(), { InstanceIds: ids })).Reservations!.flatMap((r) =>
        r.Instances!.map((i) => [i.InstanceId, i.State!.Name]),
      ),
    );
    assert.deepEqual(
      ids.map((id) => states.get(id)),
      ['stopped', 'terminated', 'running'],
    );
    (third.store as SqliteEc2Store).close();
  });
});
