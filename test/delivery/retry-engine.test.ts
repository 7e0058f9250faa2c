import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RetryPolicy } from '@aws-sdk/client-eventbridge';
import { EventsService } from '../../src/core/events/events-service.js';
import { BACKOFF_BASE_MS } from '../../src/core/events/retry-policy.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { seededRandom } from '../../src/core/shared/random.js';
import { DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import {
  TransportRegistry,
  delivered,
  failure,
  type DeliveryRequest,
  type DeliveryResult,
  type Transport,
} from '../../src/delivery/transport.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

/**
 * The retry engine with a transport the test controls and a ManualClock: nothing sleeps. Each
 * scenario runs on a SQLite file so it can also "restart" (close, reopen, new worker).
 */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-retry-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'r' };
let n = 0;

/** Answers from a script: 'ok', 'retry' (retriable), 'fatal' (non-retriable); the last repeats. */
class ScriptedTransport implements Transport {
  readonly calls: { at: number; request: DeliveryRequest }[] = [];
  constructor(
    private readonly clock: ManualClock,
    public script: ('ok' | 'retry' | 'fatal')[],
  ) {}
  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    this.calls.push({ at: this.clock.now(), request });
    const step = this.script.length > 1 ? this.script.shift()! : this.script[0]!;
    if (step === 'ok') return delivered;
    return step === 'retry' ? failure(true, 'THROTTLING', 'try later') : failure(false, 'NO_RESOURCE', 'gone');
  }
}

async function scenario(script: ('ok' | 'retry' | 'fatal')[], policy?: RetryPolicy) {
  const path = join(dir, `s${++n}.db`);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const random = seededRandom(42);
  const transport = new ScriptedTransport(clock, script);
  const open = async () => {
    const store = new SqliteStore({ path });
    await store.releaseLeases(clock.now());
    const events = await EventsService.open({ store, clock, random });
    const transports = new TransportRegistry();
    transports.register('sqs', transport);
    const worker = new DeliveryWorker({ store, transports, clock, random, feed: events.feed });
    return { store, events, worker };
  };
  let sys = await open();
  await sys.events.rules.putRule(ctx, { Name: 'r', EventPattern: '{"source":["app"]}' });
  await sys.events.targets.putTargets(ctx, {
    Rule: 'r',
    Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', ...(policy && { RetryPolicy: policy }) }],
  });
  const put = await sys.events.ingestion.putEvents(ctx, { Entries: [{ Source: 'app', DetailType: 't', Detail: '{"k":1}' }] });
  const eventId = put.Entries![0]!.EventId!;
  const delivery = async () => (await sys.store.readEvents({ limit: 1 }))[0]!.deliveries[0]!;
  /** Moves the clock to the delivery's due time and runs the worker. */
  const step = async () => {
    const d = await delivery();
    if (d.status === 'pending') clock.set(Math.max(clock.now(), d.dueAt));
    return sys.worker.runOnce();
  };
  const restart = async () => {
    await sys.store.close();
    sys = await open();
  };
  return {
    clock,
    transport,
    eventId,
    delivery,
    step,
    restart,
    close: () => sys.store.close(),
    get sys() {
      return sys;
    },
  };
}

test('retriable failures back off exponentially with jitter, then deliver once the target recovers', async () => {
  const s = await scenario(['retry', 'retry', 'retry', 'ok']);
  for (let i = 0; i < 4; i++) assert.equal(await s.step(), 1);
  const d = await s.delivery();
  assert.equal(d.status, 'delivered');
  assert.equal(d.attempts, 4);
  const gaps = s.transport.calls.slice(1).map((c, i) => c.at - s.transport.calls[i]!.at);
  gaps.forEach((gap, i) => {
    const ceiling = BACKOFF_BASE_MS * 2 ** i;
    assert.ok(gap >= ceiling / 2 && gap <= ceiling, `retry ${i + 1} waited ${gap} ms, expected ${ceiling / 2}..${ceiling}`);
  });
  assert.ok(new Set(gaps.map((g, i) => g / 2 ** i)).size > 1, 'jitter varies the delays');
  assert.equal(s.transport.calls[0]!.request.payload, s.transport.calls[0]!.request.event, 'no transformation: the event itself');
  assert.equal(JSON.parse(s.transport.calls[0]!.request.event).id, s.eventId);
  await s.close();
});

test('nothing is attempted before it is due', async () => {
  const s = await scenario(['retry', 'ok']);
  await s.step();
  const d = await s.delivery();
  s.clock.set(d.dueAt - 1);
  assert.equal(await s.sys.worker.runOnce(), 0);
  s.clock.set(d.dueAt);
  assert.equal(await s.sys.worker.runOnce(), 1);
  assert.equal((await s.delivery()).status, 'delivered');
  await s.close();
});

test('a non-retriable failure skips the retries', async () => {
  const s = await scenario(['fatal']);
  await s.step();
  const d = await s.delivery();
  assert.equal(d.status, 'failed');
  assert.equal(d.attempts, 1);
  assert.equal(d.lastError, 'NO_RESOURCE: gone');
  assert.equal(await s.sys.worker.runOnce(), 0);
  await s.close();
});

test('MaximumRetryAttempts: 2 retries, then given up', async () => {
  const s = await scenario(['retry'], { MaximumRetryAttempts: 2 });
  for (let i = 0; i < 3; i++) await s.step();
  const d = await s.delivery();
  assert.equal(d.status, 'failed');
  assert.equal(d.attempts, 3);
  assert.match(d.lastError!, /^EXHAUSTED MaximumRetryAttempts/);
  assert.equal(s.transport.calls.length, 3);
  await s.close();
});

test('MaximumRetryAttempts 0: one attempt only', async () => {
  const s = await scenario(['retry'], { MaximumRetryAttempts: 0 });
  await s.step();
  assert.equal((await s.delivery()).status, 'failed');
  assert.equal(s.transport.calls.length, 1);
  await s.close();
});

test('MaximumEventAgeInSeconds: no retry starts after the event is 60 s old', async () => {
  const s = await scenario(['retry'], { MaximumEventAgeInSeconds: 60 });
  for (let i = 0; i < 20 && (await s.delivery()).status === 'pending'; i++) await s.step();
  const d = await s.delivery();
  assert.equal(d.status, 'failed');
  assert.match(d.lastError!, /^EXHAUSTED MaximumEventAgeInSeconds/);
  const first = s.transport.calls[0]!.at;
  assert.ok(s.transport.calls.every((c) => c.at - first <= 60_000));
  assert.ok(s.transport.calls.length >= 5 && s.transport.calls.length < 10, `${s.transport.calls.length} attempts`);
  await s.close();
});

test('default policy: 185 retries at most, 24 h at most', async () => {
  const s = await scenario(['retry']);
  for (let i = 0; i < 400 && (await s.delivery()).status === 'pending'; i++) await s.step();
  const d = await s.delivery();
  assert.equal(d.status, 'failed');
  const span = s.transport.calls.at(-1)!.at - s.transport.calls[0]!.at;
  assert.ok(span <= 86_400_000, `last attempt ${span} ms after the first`);
  assert.ok(d.attempts <= 186);
  assert.match(d.lastError!, /^EXHAUSTED (MaximumRetryAttempts|MaximumEventAgeInSeconds)/);
  await s.close();
});

test('a restart in the middle of retrying: attempts kept, delivered once the target recovers', async () => {
  const s = await scenario(['retry', 'retry', 'ok']);
  await s.step();
  await s.step();
  assert.equal((await s.delivery()).attempts, 2);
  await s.restart();
  assert.equal((await s.delivery()).status, 'pending');
  await s.step();
  const d = await s.delivery();
  assert.equal(d.status, 'delivered');
  assert.equal(d.attempts, 3);
  assert.equal(s.transport.calls.length, 3);
  await s.close();
});

test('a delivery in flight when the process died is attempted again after restart', async () => {
  const s = await scenario(['ok']);
  const claimed = await s.sys.store.claimDue(s.clock.now(), 10, 60_000); // claimed, never settled: "crash"
  assert.equal(claimed.length, 1);
  await s.restart(); // releaseLeases on open
  assert.equal(await s.sys.worker.runOnce(), 1);
  assert.equal((await s.delivery()).status, 'delivered');
  await s.close();
});

test('a target that never answers times out (retriable) instead of holding up the worker', async () => {
  const path = join(dir, 'timeout.db');
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const store = new SqliteStore({ path });
  const events = await EventsService.open({ store, clock, random: seededRandom(3) });
  const transports = new TransportRegistry();
  transports.register('sqs', { deliver: () => new Promise<DeliveryResult>(() => {}) });
  transports.register('lambda', { deliver: async () => delivered });
  const worker = new DeliveryWorker({ store, transports, clock, random: seededRandom(3), feed: events.feed, attemptTimeoutMs: 50 });
  await events.rules.putRule(ctx, { Name: 'r', EventPattern: '{"source":["app"]}' });
  await events.targets.putTargets(ctx, {
    Rule: 'r',
    Targets: [
      { Id: 'hangs', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' },
      { Id: 'fine', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' },
    ],
  });
  await events.ingestion.putEvents(ctx, { Entries: [{ Source: 'app', DetailType: 't', Detail: '{}' }] });
  assert.equal(await worker.runOnce(), 2);
  const byTarget = new Map((await store.readEvents({ limit: 1 }))[0]!.deliveries.map((d) => [JSON.parse(d.target).target.Id, d]));
  assert.equal(byTarget.get('fine')!.status, 'delivered');
  assert.equal(byTarget.get('hangs')!.status, 'pending');
  assert.match(byTarget.get('hangs')!.lastError!, /^TIMEOUT/);
  await store.close();
});

test('a store that cannot say when the next delivery is due does not stop the worker: it reports and goes on', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const store = new SqliteStore({ path: join(dir, `s${++n}.db`) });
  // On a cluster, nextDueAt is a request that times out while a server is down.
  let failures = 1;
  const flaky = new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'nextDueAt' && failures > 0)
        return async () => {
          failures--;
          throw new Error('timeout: the stream has no leader yet');
        };
      const v = Reflect.get(target, key, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const events = await EventsService.open({ store: flaky, clock, random: seededRandom(1) });
  const transport = new ScriptedTransport(clock, ['ok']);
  const transports = new TransportRegistry();
  transports.register('sqs', transport);
  const errors: unknown[] = [];
  const worker = new DeliveryWorker({
    store: flaky,
    transports,
    clock,
    random: seededRandom(1),
    feed: events.feed,
    onError: (e) => errors.push(e),
  });
  worker.start();
  try {
    for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.match(String(errors[0]), /no leader/);
    await events.rules.putRule(ctx, { Name: 'r', EventPattern: '{"source":["app"]}' });
    await events.targets.putTargets(ctx, { Rule: 'r', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] });
    await events.ingestion.putEvents(ctx, { Entries: [{ Source: 'app', DetailType: 't', Detail: '{}' }] });
    for (let i = 0; i < 200 && transport.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(transport.calls.length, 1, 'delivered after the failed look-up');
  } finally {
    await worker.stop();
    await store.close();
  }
});
