import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArchiveStore, ArchivedEventInput } from '../ports/archive-store.js';

/**
 * The behaviour every ArchiveStore adapter must show. `reopen` (durable adapters) closes the
 * store and opens it again on the same data.
 */
export interface ArchiveStoreHarness {
  open(): Promise<ArchiveStore>;
  reopen?(store: ArchiveStore): Promise<ArchiveStore>;
  /** Per test (adapters on a server set one; a hung server then fails the test instead of the file). */
  readonly timeoutMs?: number;
}

const A = 'arn:aws:events:us-east-1:000000000000:archive/a';
const B = 'arn:aws:events:us-east-1:000000000000:archive/b';
const ev = (archiveArn: string, n: number, time: number, archivedAt = 1000): ArchivedEventInput => ({
  archiveArn,
  eventId: `e-${n}`,
  time,
  archivedAt,
  body: JSON.stringify({ id: `e-${n}`, detail: { n } }),
});

export function runArchiveStoreContract(name: string, harness: ArchiveStoreHarness): void {
  const withStore = (title: string, body: (store: ArchiveStore) => Promise<ArchiveStore | void>) =>
    test(`${name}: ${title}`, { timeout: harness.timeoutMs ?? 10_000 }, async () => {
      let store = await harness.open();
      try {
        store = (await body(store)) ?? store;
      } finally {
        store.close();
      }
    });

  withStore('append keeps one copy per (archive, event id); stats count events and bytes', async (store) => {
    await store.append([ev(A, 1, 5000), ev(A, 2, 6000), ev(B, 1, 5000)]);
    await store.append([ev(A, 1, 5000)]);
    const a = await store.stats(A);
    assert.equal(a.eventCount, 2);
    assert.equal(a.sizeBytes, Buffer.byteLength(ev(A, 1, 0).body) + Buffer.byteLength(ev(A, 2, 0).body));
    assert.deepEqual(await store.stats('arn:none'), { eventCount: 0, sizeBytes: 0 });
  });

  withStore('read returns [from, to) in event-time order, pages with a cursor', async (store) => {
    await store.append([ev(A, 1, 9000), ev(A, 2, 5000), ev(A, 3, 7000), ev(A, 4, 7000), ev(A, 5, 12000), ev(B, 6, 7000)]);
    const all = await store.read({ archiveArn: A, from: 5000, to: 12000, limit: 10 });
    assert.deepEqual(
      all.map((e) => e.eventId),
      ['e-2', 'e-3', 'e-4', 'e-1'],
    );
    assert.equal(all[0]!.body, ev(A, 2, 0).body);
    const first = await store.read({ archiveArn: A, from: 5000, to: 12000, limit: 2 });
    const last = first[first.length - 1]!;
    const rest = await store.read({ archiveArn: A, from: 5000, to: 12000, limit: 10, after: { time: last.time, seq: last.seq } });
    assert.deepEqual(
      [...first, ...rest].map((e) => e.eventId),
      all.map((e) => e.eventId),
    );
  });

  withStore('prune forgets what was archived before a time, oldest first, in batches', async (store) => {
    await store.append([ev(A, 1, 1, 100), ev(A, 2, 2, 200), ev(A, 3, 3, 300), ev(B, 4, 4, 100)]);
    assert.equal(await store.prune(A, 250, 1), 1);
    assert.equal(await store.prune(A, 250, 10), 1);
    assert.equal(await store.prune(A, 250, 10), 0);
    assert.deepEqual(
      (await store.read({ archiveArn: A, from: 0, to: 10, limit: 10 })).map((e) => e.eventId),
      ['e-3'],
    );
    assert.equal((await store.stats(B)).eventCount, 1);
    // A pruned event may be archived again (its id is free).
    await store.append([ev(A, 1, 1, 400)]);
    assert.equal((await store.stats(A)).eventCount, 2);
  });

  withStore('drop forgets one archive', async (store) => {
    await store.append([ev(A, 1, 1), ev(B, 2, 2)]);
    await store.drop(A);
    assert.equal((await store.stats(A)).eventCount, 0);
    assert.equal((await store.stats(B)).eventCount, 1);
  });

  if (harness.reopen) {
    const reopen = harness.reopen.bind(harness);
    withStore('archived events survive a restart', async (store) => {
      await store.append([ev(A, 1, 1), ev(A, 2, 2)]);
      const next = await reopen(store);
      assert.deepEqual(
        (await next.read({ archiveArn: A, from: 0, to: 10, limit: 10 })).map((e) => e.eventId),
        ['e-1', 'e-2'],
      );
      return next;
    });
  } else {
    test(`${name}: survives a restart`, { skip: 'throwaway adapter: nothing to reopen' }, () => {});
  }
}
