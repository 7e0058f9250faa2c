import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../src/core/shared/clock.js';
import { SqliteEc2Store } from '../../src/storage/sqlite/sqlite-ec2-store.js';
import { ACCOUNT, assertGuideShape, ctx, harness } from './helpers.js';

/** Restart survival, for real: a SQLite file, closed and reopened by a fresh service. */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-ec2-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('restart while images are pending (SQLite file)', () => {
  it('a due time that passed while down completes on start, with exactly one event', async () => {
    const file = join(dir, 'restart-1.db');
    const clock = new ManualClock();
    const first = harness(SqliteEc2Store.open(file), clock, 1);
    const c = ctx();
    const { ImageId: ok } = await first.service.createImage(c, { InstanceId: 'i-12345678', Name: 'survivor' });
    const { ImageId: bad } = await first.service.createImage(
      ctx(), { InstanceId: 'i-12345678', Name: 'doomed', TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'amiwatch:fail', Value: 'disk full' }] }] },
    );
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
    assertGuideShape(event, { account: ACCOUNT, region: 'us-east-1', imageId: ok!, requestId: c.requestId, state: 'available', time: '2026-01-01T00:01:00Z' });
    const { Images } = await second.service.describeImages(ctx(), { Owners: ['self'] });
    assert.deepEqual(Images?.map((i) => [i.Name, i.State]).sort(), [['doomed', 'failed'], ['survivor', 'available']]);
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
    const { ImageId } = await first.service.createImage(ctx(), { InstanceId: 'i-12345678', Name: 'in-flight' });
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
});
