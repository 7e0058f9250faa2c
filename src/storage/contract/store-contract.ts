import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewEvent, Store } from '../store.js';

/**
 * The behaviour every Store adapter must show. An adapter's test file calls this with a factory;
 * `reopen` (when the adapter is durable) closes the store and opens it again on the same data,
 * so the suite can check what survives a restart.
 */
export interface StoreHarness {
  open(): Promise<Store>;
  /** Closes `store` and returns a fresh store over the same data; absent for throwaway stores. */
  reopen?(store: Store): Promise<Store>;
  /**
   * Opens a second instance on `store`'s data beside it (another node of a cluster); absent for
   * single-owner stores. The suite closes it.
   */
  peer?(store: Store): Promise<Store>;
  /**
   * Set (to the reason) when leases and retry times run on the engine's own clock rather than
   * the `now` passed in: the tests that move an injected clock are skipped, and the same
   * behaviours run in real time with short durations instead (`serverTimeUnitMs` per step).
   */
  serverTimed?: string;
}

/** Real-time step of the server-timed variants: long enough for a loaded 2-core machine, short enough for the suite. */
const UNIT = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const event = (n: number, deliveries: number, at = 1000): NewEvent => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  busArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
  ingestedAt: at,
  body: JSON.stringify({ id: n }),
  rules: deliveries > 0 ? ['r1'] : [],
  deliveries: Array.from({ length: deliveries }, (_, i) => ({
    ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/r1',
    target: JSON.stringify({ Id: `t${i}` }),
    dueAt: at,
  })),
});

export function runStoreContract(name: string, harness: StoreHarness): void {
  const withStore = (title: string, body: (store: Store) => Promise<Store | void>) =>
    test(`${name}: ${title}`, async () => {
      let store = await harness.open();
      try {
        store = (await body(store)) ?? store;
      } finally {
        await store.close();
      }
    });

  withStore('resources: write, overwrite, delete, load by kind in key order', async (store) => {
    await store.writeResources([
      { kind: 'rule', key: 'b', doc: '{"v":1}' },
      { kind: 'rule', key: 'a', doc: '{"v":2}' },
      { kind: 'bus', key: 'a', doc: '{"v":3}' },
    ]);
    await store.writeResources([
      { kind: 'rule', key: 'b', doc: '{"v":4}' },
      { kind: 'bus', key: 'a', doc: null },
    ]);
    assert.deepEqual(await store.loadResources('rule'), [
      { kind: 'rule', key: 'a', doc: '{"v":2}' },
      { kind: 'rule', key: 'b', doc: '{"v":4}' },
    ]);
    assert.deepEqual(await store.loadResources('bus'), []);
  });

  /** Tests that move the injected clock past leases and retry times. */
  const withInjectedClock = (title: string, body: (store: Store) => Promise<Store | void>) =>
    harness.serverTimed ? test(`${name}: ${title}`, { skip: harness.serverTimed }, () => {}) : withStore(title, body);

  withStore('appendEvents stores events with their deliveries; readEvents newest first', async (store) => {
    await store.appendEvents([event(1, 2, 1000), event(2, 0, 2000), event(3, 1, 3000)]);
    const all = await store.readEvents({ limit: 10 });
    assert.deepEqual(
      all.map((e) => e.eventId.slice(-1)),
      ['3', '2', '1'],
    );
    assert.equal(all[2]!.deliveries.length, 2);
    assert.deepEqual(all[2]!.rules, ['r1']);
    assert.equal(all[2]!.deliveries[0]!.status, 'pending');
    const window = await store.readEvents({ limit: 10, from: 1500, to: 2500 });
    assert.deepEqual(
      window.map((e) => e.eventId.slice(-1)),
      ['2'],
    );
    const page = await store.readEvents({ limit: 1, beforeSeq: all[0]!.seq });
    assert.deepEqual(
      page.map((e) => e.eventId.slice(-1)),
      ['2'],
    );
    assert.deepEqual(await store.readEvents({ limit: 10, busArn: 'arn:other' }), []);
    // The account filter (the control API's scope): only that account's buses.
    assert.equal((await store.readEvents({ limit: 10, account: '000000000000' })).length, 3);
    assert.deepEqual(await store.readEvents({ limit: 10, account: '111111111111' }), []);
    assert.deepEqual(await store.countDeliveries(), { pending: 3, delivered: 0, failed: 0 });
  });

  withInjectedClock('claimDue takes only due deliveries and leases them', async (store) => {
    await store.appendEvents([event(2, 1, 1000)]);
    await store.appendEvents([event(1, 1, 5000)]);
    assert.equal(await store.nextDueAt(), 1000);
    const first = await store.claimDue(1000, 10, 30_000);
    assert.equal(first.length, 1);
    assert.equal(first[0]!.eventId.slice(-1), '2');
    assert.equal(first[0]!.body, '{"id":2}');
    assert.equal(first[0]!.attempts, 0);
    // leased: not claimable again until the lease ends
    assert.deepEqual(await store.claimDue(6000, 10, 30_000).then((c) => c.map((d) => d.eventId.slice(-1))), ['1']);
    assert.equal((await store.claimDue(30_999, 10, 30_000)).length, 0);
    // the first lease ran out at 31_000: due again
    assert.equal((await store.claimDue(31_000, 10, 30_000)).length, 1);
  });

  withInjectedClock('settle moves a delivery through its states', async (store) => {
    await store.appendEvents([event(1, 3, 1000)]);
    const [a, b, c] = await store.claimDue(1000, 10, 30_000);
    await store.settle(1100, [
      { id: a!.id, status: 'delivered', attempts: 1 },
      { id: b!.id, status: 'retry', attempts: 1, dueAt: 5000, error: 'boom' },
      { id: c!.id, status: 'failed', attempts: 1, error: 'gone' },
    ]);
    assert.deepEqual(await store.countDeliveries(), { pending: 1, delivered: 1, failed: 1 });
    assert.equal(await store.nextDueAt(), 5000);
    assert.equal((await store.claimDue(4999, 10, 30_000)).length, 0);
    const again = await store.claimDue(5000, 10, 30_000);
    assert.equal(again.length, 1);
    assert.equal(again[0]!.attempts, 1);
    await assertSettledViews(store, a!.id, b!.id, c!.id);
  });

  withStore('releaseLeases makes in-flight deliveries due at once', async (store) => {
    await store.appendEvents([event(1, 1, 1000)]);
    assert.equal((await store.claimDue(1000, 10, 60_000)).length, 1);
    assert.equal((await store.claimDue(2000, 10, 60_000)).length, 0);
    await store.releaseLeases(2000);
    assert.equal((await store.claimDue(2000, 10, 60_000)).length, 1);
  });

  withInjectedClock('released leases are claimable once, not twice', async (store) => {
    await store.appendEvents([event(1, 1, 1000), event(2, 1, 1000)]);
    const [a, b] = await store.claimDue(1000, 10, 60_000);
    await store.settle(1001, [{ id: a!.id, status: 'retry', attempts: 1, dueAt: 5000, error: 'e' }]);
    assert.equal((await store.claimDue(5000, 10, 60_000)).length, 1, 'the retry');
    await store.releaseLeases(6000);
    const again = await store.claimDue(6000, 10, 60_000);
    assert.deepEqual(again.map((d) => d.id).sort(), [a!.id, b!.id].sort());
  });

  withStore('many appends in one turn commit together, each caller resolved', async (store) => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.appendEvents([event(i + 1, 1, 1000)])));
    assert.equal((await store.readEvents({ limit: 100 })).length, 50);
    const claimed = await store.claimDue(1000, 100, 60_000);
    assert.equal(new Set(claimed.map((c) => c.id)).size, 50);
  });

  withStore('an idempotency key makes a repeated append a no-op', async (store) => {
    const once = { ...event(1, 1, 1000), idempotencyKey: 'aws.ec2/e-1' };
    await store.appendEvents([once]);
    await store.appendEvents([once, { ...event(2, 1, 1000), idempotencyKey: 'aws.ec2/e-2' }]);
    assert.deepEqual(
      (await store.readEvents({ limit: 10 })).map((e) => e.eventId.slice(-1)),
      ['2', '1'],
    );
    assert.equal((await store.claimDue(1000, 10, 60_000)).length, 2);
  });

  withStore('pruneEvents forgets old settled events, keeps pending ones and recent ones', async (store) => {
    await store.appendEvents([event(1, 1, 1000), event(2, 0, 1000), event(3, 1, 1000), event(4, 0, 5000)]);
    const claimed = await store.claimDue(1000, 10, 60_000);
    const first = claimed.find((c) => c.eventId.endsWith('1'))!;
    await store.settle(1100, [{ id: first.id, status: 'delivered', attempts: 1 }]);
    assert.equal(await store.pruneEvents(2000, 1), 1);
    assert.equal(await store.pruneEvents(2000, 10), 1);
    assert.equal(await store.pruneEvents(2000, 10), 0);
    assert.deepEqual(
      (await store.readEvents({ limit: 10 })).map((e) => e.eventId.slice(-1)),
      ['4', '3'],
    );
    assert.deepEqual(await store.countDeliveries(), { pending: 1, delivered: 0, failed: 0 });
  });

  withStore('usedBytes grows with the history and shrinks when it is pruned', async (store) => {
    const empty = await store.usedBytes();
    const big = (n: number): NewEvent => ({ ...event(n, 0, 1000), body: JSON.stringify({ id: n, pad: 'x'.repeat(4000) }) });
    await store.appendEvents(Array.from({ length: 200 }, (_, i) => big(i + 1)));
    const full = await store.usedBytes();
    assert.ok(full > empty + 200 * 4000, `${empty} → ${full}`);
    while ((await store.pruneEvents(Number.MAX_SAFE_INTEGER, 50)) > 0);
    assert.ok((await store.usedBytes()) < full / 2, 'pruned pages are free again');
  });

  withStore('nextDueAt is null with nothing pending', async (store) => {
    assert.equal(await store.nextDueAt(), null);
    await store.appendEvents([event(1, 0)]);
    assert.equal(await store.nextDueAt(), null);
  });

  if (harness.serverTimed) runServerTimed(name, withStore);
  if (harness.peer) runShared(name, withStore, harness.peer.bind(harness));
  else test(`${name}: two nodes share the data`, { skip: 'single-owner adapter: one process holds the data' }, () => {});

  if (harness.reopen && !harness.serverTimed) {
    const reopen = harness.reopen.bind(harness);
    withStore('everything survives a restart; what was in flight is due again at once', async (store) => {
      await store.writeResources([{ kind: 'bus', key: 'k', doc: '{}' }]);
      await store.appendEvents([event(1, 2, 1000), event(2, 1, 1000)]);
      const [claimed] = await store.claimDue(1000, 1, 60_000);
      await store.settle(1001, [{ id: claimed!.id, status: 'delivered', attempts: 1 }]);
      await store.claimDue(1000, 1, 60_000); // in flight when the process "dies"
      const retried = (await store.claimDue(1000, 1, 60_000))[0]!;
      await store.settle(1001, [{ id: retried.id, status: 'retry', attempts: 1, dueAt: 9000, error: 'e' }]);
      const next = await reopen(store);
      assert.equal((await next.loadResources('bus')).length, 1);
      assert.equal((await next.readEvents({ limit: 10 })).length, 2);
      assert.deepEqual(await next.countDeliveries(), { pending: 2, delivered: 1, failed: 0 });
      assert.equal((await next.claimDue(2000, 10, 60_000)).length, 1, 'the in-flight one, not the retry due at 9000');
      assert.equal(await next.nextDueAt(), 9000);
      const later = await next.claimDue(9000, 10, 60_000);
      assert.equal(later.length, 1);
      assert.equal(later[0]!.attempts, 1);
      return next;
    });
  } else if (harness.reopen) {
    const reopen = harness.reopen.bind(harness);
    withStore('everything survives a restart; what was in flight is due again at once (real time)', async (store) => {
      await store.writeResources([{ kind: 'bus', key: 'k', doc: '{}' }]);
      const t0 = Date.now();
      await store.appendEvents([event(1, 2, t0), event(2, 1, t0)]);
      const [claimed] = await store.claimDue(Date.now(), 1, 60_000);
      await store.settle(Date.now(), [{ id: claimed!.id, status: 'delivered', attempts: 1 }]);
      await store.claimDue(Date.now(), 1, 60_000); // in flight when the process stops
      const retried = (await store.claimDue(Date.now(), 1, 60_000))[0]!;
      await store.settle(Date.now(), [{ id: retried.id, status: 'retry', attempts: 1, dueAt: Date.now() + 3 * UNIT, error: 'e' }]);
      const next = await reopen(store);
      assert.equal((await next.loadResources('bus')).length, 1);
      assert.equal((await next.readEvents({ limit: 10 })).length, 2);
      assert.deepEqual(await next.countDeliveries(), { pending: 2, delivered: 1, failed: 0 });
      assert.equal((await next.claimDue(Date.now(), 10, 60_000)).length, 1, 'the in-flight one, not the retry');
      await sleep(4 * UNIT);
      const later = await next.claimDue(Date.now(), 10, 60_000);
      assert.equal(later.length, 1);
      assert.equal(later[0]!.attempts, 1);
      return next;
    });
  } else {
    test(`${name}: survives a restart`, { skip: 'throwaway adapter: nothing to reopen' }, () => {});
  }
}

/** The history's view after "delivered a, retry b (boom), failed c (gone)". */
async function assertSettledViews(store: Store, a: number, b: number, c: number): Promise<void> {
  const [view] = await store.readEvents({ limit: 1 });
  const byId = new Map(view!.deliveries.map((d) => [d.id, d]));
  assert.equal(byId.get(a)!.status, 'delivered');
  assert.equal(byId.get(b)!.lastError, 'boom');
  assert.equal(byId.get(c)!.status, 'failed');
  assert.equal(byId.get(c)!.lastError, 'gone');
}

type WithStore = (title: string, body: (store: Store) => Promise<Store | void>) => void;

/** The injected-clock tests' behaviours, on the engine's clock with `UNIT`-long steps. */
function runServerTimed(name: string, withStore: WithStore): void {
  withStore('claimDue takes only due deliveries and leases them (real time)', async (store) => {
    const t0 = Date.now();
    await store.appendEvents([event(2, 1, t0)]);
    await store.appendEvents([{ ...event(1, 1, t0), deliveries: [{ ...event(1, 1).deliveries[0]!, dueAt: t0 + 2 * UNIT }] }]);
    const first = await store.claimDue(Date.now(), 10, 4 * UNIT);
    assert.deepEqual(
      first.map((d) => d.eventId.slice(-1)),
      ['2'],
      'the one due later is not handed out',
    );
    assert.equal(first[0]!.body, '{"id":2}');
    assert.equal(first[0]!.attempts, 0);
    await sleep(2.5 * UNIT);
    assert.deepEqual(
      (await store.claimDue(Date.now(), 10, 4 * UNIT)).map((d) => d.eventId.slice(-1)),
      ['1'],
      'now due; the first is still leased',
    );
    await sleep(2.5 * UNIT);
    assert.deepEqual(
      (await store.claimDue(Date.now(), 10, 4 * UNIT)).map((d) => d.eventId.slice(-1)),
      ['2'],
      'its lease ran out: due again',
    );
  });

  withStore('settle moves a delivery through its states (real time)', async (store) => {
    await store.appendEvents([event(1, 3, Date.now())]);
    const [a, b, c] = await store.claimDue(Date.now(), 10, 30_000);
    await store.settle(Date.now(), [
      { id: a!.id, status: 'delivered', attempts: 1 },
      { id: b!.id, status: 'retry', attempts: 1, dueAt: Date.now() + 2 * UNIT, error: 'boom' },
      { id: c!.id, status: 'failed', attempts: 1, error: 'gone' },
    ]);
    assert.deepEqual(await store.countDeliveries(), { pending: 1, delivered: 1, failed: 1 });
    assert.equal((await store.claimDue(Date.now(), 10, 30_000)).length, 0, 'the retry is not due yet');
    await sleep(3 * UNIT);
    const again = await store.claimDue(Date.now(), 10, 30_000);
    assert.equal(again.length, 1);
    assert.equal(again[0]!.id, b!.id);
    assert.equal(again[0]!.attempts, 1);
    await assertSettledViews(store, a!.id, b!.id, c!.id);
  });

  withStore('released leases are claimable once, not twice (real time)', async (store) => {
    await store.appendEvents([event(1, 1, Date.now()), event(2, 1, Date.now())]);
    const [a, b] = await store.claimDue(Date.now(), 10, 60_000);
    await store.settle(Date.now(), [{ id: a!.id, status: 'retry', attempts: 1, dueAt: Date.now() + UNIT, error: 'e' }]);
    await sleep(2 * UNIT);
    assert.equal((await store.claimDue(Date.now(), 10, 60_000)).length, 1, 'the retry');
    await store.releaseLeases(Date.now());
    const again = await store.claimDue(Date.now(), 10, 60_000);
    assert.deepEqual(again.map((d) => d.id).sort(), [a!.id, b!.id].sort());
  });
}

/** Two instances on the same data: what a cluster of nodes must show. */
function runShared(name: string, withStore: WithStore, peer: (store: Store) => Promise<Store>): void {
  withStore('a write on one node is seen by a read and by the change feed on another', async (store) => {
    const other = await peer(store);
    try {
      const seen: { key: string; doc: string | null }[] = [];
      const stop = await other.watchResources('rule', (c) => seen.push({ key: c.key, doc: c.doc }));
      const ownEcho: string[] = [];
      const stopOwn = await store.watchResources('rule', (c) => ownEcho.push(c.key));
      await store.writeResources([
        { kind: 'rule', key: 'a', doc: '{"v":1}' },
        { kind: 'rule', key: 'b', doc: '{"v":2}' },
      ]);
      await store.writeResources([{ kind: 'rule', key: 'a', doc: null }]);
      await store.writeResources([{ kind: 'bus', key: 'x', doc: '{}' }]);
      assert.deepEqual(await other.loadResources('rule'), [{ kind: 'rule', key: 'b', doc: '{"v":2}' }]);
      for (let i = 0; i < 100 && seen.length < 3; i++) await sleep(20);
      assert.deepEqual(
        [...seen].sort((x, y) => (x.key + String(x.doc)).localeCompare(y.key + String(y.doc))),
        [
          { key: 'a', doc: '{"v":1}' },
          { key: 'a', doc: null },
          { key: 'b', doc: '{"v":2}' },
        ],
      );
      assert.deepEqual(ownEcho, [], 'a node is not told of its own writes');
      stop();
      stopOwn();
    } finally {
      await other.close();
    }
  });

  withStore('a delivery is claimed by one node at a time; either node settles what it claimed', async (store) => {
    const other = await peer(store);
    try {
      await store.appendEvents(Array.from({ length: 20 }, (_, i) => event(i + 1, 1, Date.now())));
      const [mine, theirs] = await Promise.all([store.claimDue(Date.now(), 12, 60_000), other.claimDue(Date.now(), 12, 60_000)]);
      const ids = [...mine, ...theirs].map((d) => d.id);
      assert.equal(ids.length, 20);
      assert.equal(new Set(ids).size, 20, 'no delivery handed to both');
      await store.settle(
        Date.now(),
        mine.map((d) => ({ id: d.id, status: 'delivered' as const, attempts: 1 })),
      );
      await other.settle(
        Date.now(),
        theirs.map((d) => ({ id: d.id, status: 'delivered' as const, attempts: 1 })),
      );
      assert.deepEqual(await store.countDeliveries(), { pending: 0, delivered: 20, failed: 0 });
    } finally {
      await other.close();
    }
  });

  withStore('a one-time token is taken by one node only, whichever asks first', async (store) => {
    const other = await peer(store);
    try {
      assert.ok(store.claimOnce && other.claimOnce, 'a shared store offers claimOnce');
      const tries = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).claimOnce!('sqs/arn:aws:sqs:us-east-1:1:q#7/1')),
      );
      assert.equal(tries.filter(Boolean).length, 1, 'one of ten racing claims wins');
      assert.equal(await other.claimOnce!('sqs/arn:aws:sqs:us-east-1:1:q#7/2'), true, 'another token is free');
      assert.equal(await store.claimOnce!('sqs/arn:aws:sqs:us-east-1:1:q#7/2'), false);
      assert.equal(await other.claimOnce!('dedup/q#id', '{"messageId":"m1"}'), true);
      assert.equal(await store.claimHolder!('dedup/q#id'), '{"messageId":"m1"}', "the winner's value, read on another node");
      await other.releaseClaim!('dedup/q#id');
      assert.equal(await store.claimHolder!('dedup/q#id'), null);
      assert.equal(await store.claimOnce!('dedup/q#id', '{"messageId":"m2"}'), true, 'a released token is free again');
    } finally {
      await other.close();
    }
  });

  withStore('a node that stops hands its in-flight deliveries to the others', async (store) => {
    const other = await peer(store);
    await store.appendEvents([event(1, 2, Date.now())]);
    assert.equal((await other.claimDue(Date.now(), 10, 60_000)).length, 2);
    assert.equal((await store.claimDue(Date.now(), 10, 60_000)).length, 0);
    await other.close();
    assert.equal((await store.claimDue(Date.now(), 10, 60_000)).length, 2);
  });
}
