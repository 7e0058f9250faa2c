import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { schema, schemaVersion } from '../../src/storage/sqlite/schema.js';

/**
 * bench/status: what `amiwatch status` costs (Store.countDeliveries) at DELIVERIES rows.
 * The file is filled with plain SQL (10M rows in seconds), as a server would have left it after
 * a crash (counts not trusted). Baseline: counting the table — the first call after such a start,
 * and what every call cost before the counts were kept. Then the kept counts: the median of
 * repeated calls, and again after appends, settles and a prune (the counts follow every change).
 * Prints the ratio baseline / kept. `DELIVERIES=10000000 npm run bench:status`.
 */
const DELIVERIES = Number(process.env.DELIVERIES ?? 10_000_000);
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-bench-status-'));
const path = join(dir, 'amiwatch.db');

function fill(): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(schema);
  db.prepare(`INSERT INTO meta (key, value) VALUES ('schema', ?)`).run(String(schemaVersion));
  const events = Math.ceil(DELIVERIES / 2);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${events})
    INSERT INTO events (seq, event_id, bus_arn, ingested_at, rules, body) SELECT i, 'e' || i, 'arn:aws:events:us-east-1:000000000000:event-bus/default', i, '[]', '{}' FROM n`);
  // Two deliveries per event: 90% delivered, 8% failed, 2% pending.
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${DELIVERIES})
    INSERT INTO deliveries (id, event_seq, target_id, status, due_at, attempts, updated_at)
    SELECT i, (i + 1) / 2, 1, CASE WHEN i % 50 = 0 THEN 'pending' WHEN i % 12 = 0 THEN 'failed' ELSE 'delivered' END, i, 1, i FROM n`);
  db.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (f: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

let t = performance.now();
fill();
console.log(`filled ${DELIVERIES.toLocaleString()} deliveries in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const store = new SqliteStore({ path });
const baseline = await time(() => store.countDeliveries());
const first = await store.countDeliveries();
const kept: number[] = [];
for (let i = 0; i < 200; i++) kept.push(await time(() => store.countDeliveries()));
await store.appendEvents(
  Array.from({ length: 100 }, (_, i) => ({
    eventId: `x${i}`,
    busArn: 'b',
    ingestedAt: 1,
    body: '{}',
    rules: ['r'],
    deliveries: [{ ruleArn: 'r', target: '{}', dueAt: 1 }],
  })),
);
const claimed = await store.claimDue(Number.MAX_SAFE_INTEGER, 100, 1000);
await store.settle(
  2,
  claimed.map((c) => ({ id: c.id, status: 'delivered' as const, attempts: 1 })),
);
await store.pruneEvents(100, 1000);
const after: number[] = [];
for (let i = 0; i < 200; i++) after.push(await time(() => store.countDeliveries()));
const counts = await store.countDeliveries();
await store.close();
rmSync(dir, { recursive: true, force: true });
t = median(kept);
console.log(`counts at start: ${JSON.stringify(first)}; after 100 appends, their settles and a prune: ${JSON.stringify(counts)}`);
console.log(`baseline (count the table): ${baseline.toFixed(1)} ms`);
console.log(`kept counts: median ${t.toFixed(4)} ms (after changes: ${median(after).toFixed(4)} ms)`);
console.log(`ratio baseline / kept: ${(baseline / t).toFixed(0)}x`);
