import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventsService } from '../../src/core/events/events-service.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { cryptoRandom } from '../../src/core/shared/random.js';
import { SqliteArchiveStore } from '../../src/storage/sqlite/sqlite-archive-store.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'r' };
const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
const archive = 'arn:aws:events:us-east-1:000000000000:archive/all';

/** A server's EventBridge over one SQLite file, opened again by `reopen` as a restart does. */
function harness() {
  const dir = mkdtempSync(join(tmpdir(), 'amiwatch-replay-'));
  const path = join(dir, 'amiwatch.db');
  let db: Database.Database;
  let store: SqliteStore;
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const open = async () => {
    store = new SqliteStore({ path });
    db = new Database(path);
    return EventsService.open({ store, clock, random: cryptoRandom, archiveStore: new SqliteArchiveStore(db), replayBatchSize: 3 });
  };
  const close = async () => {
    db.close();
    await store.close();
  };
  return { open, close, clock, store: () => store, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Archives `n` events by delivering the archive rule's deliveries (what the worker does). */
async function archiveEvents(events: EventsService, store: SqliteStore, clock: ManualClock, n: number) {
  for (let i = 0; i < n; i++) {
    await events.ingestion.putEvents(ctx, { Entries: [{ Source: 'app', DetailType: 't', Detail: JSON.stringify({ i }) }] });
    clock.advance(1000);
  }
  const claimed = await store.claimDue(clock.now(), 1000, 60_000);
  for (const d of claimed) assert.equal(await events.archives.archive(archive, d.eventId, d.body), true);
  await store.settle(
    clock.now(),
    claimed.map((d) => ({ id: d.id, status: 'delivered' as const, attempts: 1 })),
  );
}

const replayedDeliveries = async (store: SqliteStore) =>
  (await store.readEvents({ limit: 1000 })).filter((e) => JSON.parse(e.body)['replay-name'] !== undefined);

test('a replay resumes after a restart where it was, and sends each archived event once', async () => {
  const h = harness();
  try {
    let events = await h.open();
    await events.archives.createArchive(ctx, { ArchiveName: 'all', EventSourceArn: bus });
    await events.rules.putRule(ctx, { Name: 'later', EventPattern: '{"source":["app"]}' });
    await events.targets.putTargets(ctx, { Rule: 'later', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] });
    const start = new Date(h.clock.now() - 1);
    await archiveEvents(events, h.store(), h.clock, 7);
    await events.replays.startReplay(ctx, {
      ReplayName: 'r',
      EventSourceArn: archive,
      EventStartTime: start,
      EventEndTime: new Date(h.clock.now()),
      Destination: { Arn: bus },
    });
    assert.equal((await events.replays.describeReplay(ctx, { ReplayName: 'r' })).State, 'STARTING');
    assert.equal(await events.replayRunner.step(), true);
    const mid = await events.replays.describeReplay(ctx, { ReplayName: 'r' });
    assert.equal(mid.State, 'RUNNING');
    assert.equal(mid.EventLastReplayedTime!.getTime(), start.getTime() + 1 + 2000 - ((start.getTime() + 1) % 1000));
    assert.equal((await replayedDeliveries(h.store())).length, 3);

    await h.close();
    events = await h.open();
    assert.equal((await events.replays.describeReplay(ctx, { ReplayName: 'r' })).State, 'RUNNING', 'the replay survived the restart');
    while (await events.replayRunner.step());
    const done = await events.replays.describeReplay(ctx, { ReplayName: 'r' });
    assert.equal(done.State, 'COMPLETED');
    const replayed = await replayedDeliveries(h.store());
    assert.equal(replayed.length, 7, 'each archived event replayed exactly once');
    assert.deepEqual(
      replayed.map((e) => e.rules),
      Array(7).fill(['later']),
      'matched by the new rule, not by the archive rule',
    );
    assert.deepEqual(replayed.map((e) => JSON.parse(e.body).detail.i).sort(), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal((await events.archives.describeArchive(ctx, { ArchiveName: 'all' })).EventCount, 7);
    await h.close();
  } finally {
    h.done();
  }
});

test('CancelReplay: CANCELLING, then CANCELLED at the next step; nothing more is replayed', async () => {
  const h = harness();
  try {
    const events = await h.open();
    await events.archives.createArchive(ctx, { ArchiveName: 'all', EventSourceArn: bus });
    const start = new Date(h.clock.now() - 1);
    await archiveEvents(events, h.store(), h.clock, 7);
    await events.replays.startReplay(ctx, {
      ReplayName: 'c',
      EventSourceArn: archive,
      EventStartTime: start,
      EventEndTime: new Date(h.clock.now()),
      Destination: { Arn: bus },
    });
    await events.replayRunner.step();
    const cancelled = await events.replays.cancelReplay(ctx, { ReplayName: 'c' });
    assert.equal(cancelled.State, 'CANCELLING');
    assert.equal(await events.replayRunner.step(), false);
    const d = await events.replays.describeReplay(ctx, { ReplayName: 'c' });
    assert.equal(d.State, 'CANCELLED');
    assert.ok(d.ReplayEndTime);
    assert.equal((await replayedDeliveries(h.store())).length, 3);
    await h.close();
  } finally {
    h.done();
  }
});

test('a replay whose archive is deleted fails with a reason; retention prunes old archived events', async () => {
  const h = harness();
  try {
    const events = await h.open();
    await events.archives.createArchive(ctx, { ArchiveName: 'all', EventSourceArn: bus, RetentionDays: 1 });
    const start = new Date(h.clock.now() - 1);
    await archiveEvents(events, h.store(), h.clock, 4);
    await events.replays.startReplay(ctx, {
      ReplayName: 'f',
      EventSourceArn: archive,
      EventStartTime: start,
      EventEndTime: new Date(h.clock.now()),
      Destination: { Arn: bus },
    });
    h.clock.advance(86_400_000 - 1);
    assert.equal(await events.archives.pruneExpired(), 0, 'kept for a full day');
    h.clock.advance(2);
    assert.equal(await events.archives.pruneExpired(), 4, 'gone after RetentionDays');
    assert.equal((await events.archives.describeArchive(ctx, { ArchiveName: 'all' })).EventCount, 0);
    await events.archives.deleteArchive(ctx, { ArchiveName: 'all' });
    await events.replayRunner.step();
    const d = await events.replays.describeReplay(ctx, { ReplayName: 'f' });
    assert.equal(d.State, 'FAILED');
    assert.equal(d.StateReason, 'The archive no longer exists.');
    await h.close();
  } finally {
    h.done();
  }
});
