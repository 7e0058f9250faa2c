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
}

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
    await store.writeResources([{ kind: 'rule', key: 'b', doc: '{"v":4}' }, { kind: 'bus', key: 'a', doc: null }]);
    assert.deepEqual(await store.loadResources('rule'), [
      { kind: 'rule', key: 'a', doc: '{"v":2}' },
      { kind: 'rule', key: 'b', doc: '{"v":4}' },
    ]);
    assert.deepEqual(await store.loadResources('bus'), []);
  });

  withStore('appendEvents stores events with their deliveries; readEvents newest first', async (store) => {
    await store.appendEvents([event(1, 2, 1000), event(2, 0, 2000), event(3, 1, 3000)]);
    const all = await store.readEvents({ limit: 10 });
    assert.deepEqual(all.map((e) => e.eventId.slice(-1)), ['3', '2', '1']);
    assert.equal(all[2]!.deliveries.length, 2);
    assert.deepEqual(all[2]!.rules, ['r1']);
    assert.equal(all[2]!.deliveries[0]!.status, 'pending');
    const window = await store.readEvents({ limit: 10, from: 1500, to: 2500 });
    assert.deepEqual(window.map((e) => e.eventId.slice(-1)), ['2']);
    const page = await store.readEvents({ limit: 1, beforeSeq: all[0]!.seq });
    assert.deepEqual(page.map((e) => e.eventId.slice(-1)), ['2']);
    assert.deepEqual(await store.readEvents({ limit: 10, busArn: 'arn:other' }), []);
    // The account filter (the control API's scope): only that account's buses.
    assert.equal((await store.readEvents({ limit: 10, account: '000000000000' })).length, 3);
    assert.deepEqual(await store.readEvents({ limit: 10, account: '111111111111' }), []);
    assert.deepEqual(await store.countDeliveries(), { pending: 3, delivered: 0, failed: 0 });
  });

  withStore('claimDue takes only due deliveries and leases them', async (store) => {
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

  withStore('settle moves a delivery through its states', async (store) => {
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
    const [view] = await store.readEvents({ limit: 1 });
    const byId = new Map(view!.deliveries.map((d) => [d.id, d]));
    assert.equal(byId.get(a!.id)!.status, 'delivered');
    assert.equal(byId.get(b!.id)!.lastError, 'boom');
    assert.equal(byId.get(c!.id)!.status, 'failed');
    assert.equal(byId.get(c!.id)!.lastError, 'gone');
  });

  withStore('releaseLeases makes in-flight deliveries due at once', async (store) => {
    await store.appendEvents([event(1, 1, 1000)]);
    assert.equal((await store.claimDue(1000, 10, 60_000)).length, 1);
    assert.equal((await store.claimDue(2000, 10, 60_000)).length, 0);
    await store.releaseLeases(2000);
    assert.equal((await store.claimDue(2000, 10, 60_000)).length, 1);
  });

  withStore('released leases are claimable once, not twice', async (store) => {
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
    assert.deepEqual((await store.readEvents({ limit: 10 })).map((e) => e.eventId.slice(-1)), ['2', '1']);
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
    assert.deepEqual((await store.readEvents({ limit: 10 })).map((e) => e.eventId.slice(-1)), ['4', '3']);
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

  if (harness.reopen) {
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
  } else {
    test(`${name}: survives a restart`, { skip: 'throwaway adapter: nothing to reopen' }, () => {});
  }
}
