import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventFeed } from '../../src/core/events/event-feed.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { seededRandom } from '../../src/core/shared/random.js';
import { DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import type { JobHandler } from '../../src/delivery/job-handler.js';
import { TransportRegistry, delivered, type Transport } from '../../src/delivery/transport.js';
import type { ClaimedDelivery, DeliveryOutcome } from '../../src/storage/store.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

/**
 * Job kinds other than rule targets on the one delivery queue (issue 20): the worker hands them to
 * their handler beside its rounds, settles what the handler decides, and never runs one job twice
 * at once — even when its lease runs out while it still runs. A real SQLite store; the handler is
 * the test's, released by hand, so nothing sleeps.
 */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

async function system() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const store = new SqliteStore({ path: ':memory:' });
  const feed = new EventFeed();
  const runs: number[] = [];
  const release = gate();
  const slow: JobHandler = {
    async run(d: ClaimedDelivery): Promise<DeliveryOutcome> {
      runs.push(d.id);
      await release.opened;
      return d.attempts === 0
        ? { id: d.id, status: 'retry', attempts: 1, dueAt: clock.now() + 60_000, error: 'FUNCTION_ERROR: once' }
        : { id: d.id, status: 'delivered', attempts: d.attempts + 1 };
    },
  };
  const targetCalls: string[] = [];
  const sqs: Transport = { deliver: async (r) => (targetCalls.push(r.payload), delivered) };
  const transports = new TransportRegistry();
  transports.register('sqs', sqs);
  const worker = new DeliveryWorker({
    store,
    transports,
    clock,
    random: seededRandom(1),
    feed,
    leaseMs: 10_000,
    jobs: new Map([['slow', slow]]),
  });
  const append = (id: string, target: object) =>
    store.appendEvents([
      {
        eventId: id,
        busArn: 'arn:x',
        ingestedAt: clock.now(),
        body: `"${id}"`,
        rules: [],
        deliveries: [{ ruleArn: 'arn:x', target: JSON.stringify(target), dueAt: clock.now() }],
      },
    ]);
  const status = async (id: string) => (await store.readEvents({ limit: 10 })).find((e) => e.eventId === id)!.deliveries[0]!;
  return { clock, store, worker, runs, release, targetCalls, append, status };
}

test('a job runs beside the rounds: a rule target is delivered while the job still runs', async () => {
  const s = await system();
  await s.append('job-1', { job: 'slow', target: { Id: 'j', Arn: 'arn:aws:lambda:us-east-1:0:function:f' } });
  await s.append('evt-1', {
    ruleName: 'r',
    ruleArn: 'arn:x',
    busArn: 'arn:x',
    account: '0',
    region: 'us-east-1',
    target: { Id: 'q', Arn: 'arn:aws:sqs:us-east-1:0:q' },
  });
  await s.worker.runOnce();
  assert.deepEqual(s.targetCalls, ['"evt-1"'], 'the round did not wait for the job');
  assert.equal((await s.status('evt-1')).status, 'delivered');
  assert.equal((await s.status('job-1')).status, 'pending');

  // The job's lease runs out while it runs: claimed again, it is not started a second time.
  s.clock.advance(10_001);
  await s.worker.runOnce();
  assert.equal(s.runs.length, 1);
  s.release.open();
  await s.worker.jobsIdle();
  const after = await s.status('job-1');
  assert.deepEqual(
    [after.status, after.attempts, after.dueAt - s.clock.now(), after.lastError],
    ['pending', 1, 60_000, 'FUNCTION_ERROR: once'],
    "the handler's retry-at is the queue's",
  );
  s.clock.advance(60_000);
  await s.worker.runOnce();
  await s.worker.jobsIdle();
  assert.deepEqual([(await s.status('job-1')).status, (await s.status('job-1')).attempts], ['delivered', 2]);
  await s.store.close();
});

test('a job of a kind nobody handles fails with NO_HANDLER instead of looping', async () => {
  const s = await system();
  await s.append('job-x', { job: 'unknown-kind', target: { Id: 'x', Arn: 'arn:x' } });
  await s.worker.runOnce();
  await s.worker.jobsIdle();
  const d = await s.status('job-x');
  assert.equal(d.status, 'failed');
  assert.match(d.lastError!, /^NO_HANDLER: amiwatch has no handler for jobs of kind unknown-kind$/);
  await s.store.close();
});
