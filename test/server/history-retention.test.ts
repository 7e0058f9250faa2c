import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pruneHistory } from '../../src/server/history-retention.js';
import { configFromValues, defaults } from '../../src/server/config.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { NewEvent } from '../../src/storage/store.js';

/** --history-max-bytes caps the event history besides --retention-hours (src/server/history-retention.ts). */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-retention-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const event = (n: number, at: number, deliveries = 0): NewEvent => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  busArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
  ingestedAt: at,
  body: JSON.stringify({ n, pad: 'x'.repeat(2000) }),
  rules: [],
  deliveries: Array.from({ length: deliveries }, () => ({
    ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
    target: '{"Id":"t"}',
    dueAt: at,
  })),
});

test('the history is held within --history-max-bytes, oldest first; pending deliveries are kept', async () => {
  const store = new SqliteStore({ path: join(dir, 'a', 'amiwatch.db') });
  try {
    await store.appendEvents([event(0, 1, 1)]); // pending: the outbox, never pruned
    for (let batch = 0; batch < 10; batch++)
      await store.appendEvents(Array.from({ length: 200 }, (_, i) => event(1 + batch * 200 + i, 10 + batch)));
    const cap = 1024 * 1024;
    assert.ok((await store.usedBytes()) > 3 * cap);
    const pruned = await pruneHistory(store, { maxAgeMs: 0, maxBytes: cap, now: () => 100 });
    assert.ok(pruned > 0);
    assert.ok((await store.usedBytes()) <= cap, `${await store.usedBytes()} > ${cap}`);
    const left = await store.readEvents({ limit: 10_000 });
    const kept = left.map((e) => Number(JSON.parse(e.body).n)).sort((a, b) => a - b);
    assert.equal(kept[0], 0, 'the event with a pending delivery stays');
    assert.equal(kept[kept.length - 1], 2000, 'the newest stay');
    assert.ok(kept.length < 2001);
    // Contiguous newest: the oldest settled went first.
    assert.deepEqual(
      kept.slice(1),
      Array.from({ length: kept.length - 1 }, (_, i) => 2001 - (kept.length - 1) + i),
    );
  } finally {
    await store.close();
  }
});

test('age and size together; a sensible default; the flag is read and checked', async () => {
  assert.equal(defaults.historyMaxBytes, 1024 ** 3);
  assert.equal(configFromValues({ 'history-max-bytes': '5000000' }, {}).historyMaxBytes, 5_000_000);
  assert.equal(configFromValues({}, { AMIWATCH_HISTORY_MAX_BYTES: '0' }).historyMaxBytes, 0);
  assert.throws(() => configFromValues({ 'history-max-bytes': '-1' }, {}), /history-max-bytes/);
  const store = new SqliteStore({ path: join(dir, 'b', 'amiwatch.db') });
  try {
    await store.appendEvents([event(1, 1_000), event(2, 50_000)]);
    assert.equal(await pruneHistory(store, { maxAgeMs: 10_000, maxBytes: 1024 ** 3, now: () => 55_000 }), 1);
    assert.deepEqual(
      (await store.readEvents({ limit: 10 })).map((e) => JSON.parse(e.body).n),
      [2],
    );
  } finally {
    await store.close();
  }
});
