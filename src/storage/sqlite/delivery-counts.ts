import type Database from 'better-sqlite3';
import type { DeliveryCounts } from '../store.js';

type Kind = keyof DeliveryCounts;

/** A row's status as `amiwatch status` counts it: `queued` rows are pending too. */
export const kindOf = (status: string): Kind => (status === 'delivered' || status === 'failed' ? status : 'pending');

/**
 * Delivery counts by status, kept in memory as the store changes them, so `amiwatch status`
 * answers in constant time at any table size (a GROUP BY over 10M rows took seconds). Exact
 * because one process owns the file (owner-lock.ts) and every change goes through the store:
 * appends add pending rows, settles move rows between kinds, pruning removes settled ones.
 *
 * Across restarts: a clean close writes the counts to `meta` and marks them clean; opening takes
 * them and marks them unclean at once, so after a crash (counts possibly behind the file) they
 * are counted from the table again — once, at the first status request.
 */
export class DeliveryCounter {
  private counts: Record<Kind, number> | null = null;

  constructor(private readonly db: Database.Database) {
    const row = (key: string) => db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(key) as string | undefined;
    if (row('delivery_counts_clean') === '1') this.counts = JSON.parse(row('delivery_counts') ?? 'null') as Record<Kind, number> | null;
    db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('delivery_counts_clean', '0')`).run();
  }

  get(): DeliveryCounts {
    if (!this.counts) {
      const counts = { pending: 0, delivered: 0, failed: 0 };
      for (const r of this.db.prepare(`SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status`).all() as {
        status: string;
        n: number;
      }[])
        counts[kindOf(r.status)] += r.n;
      this.counts = counts;
    }
    return { ...this.counts };
  }

  add(kind: Kind, n: number): void {
    if (this.counts) this.counts[kind] += n;
  }

  move(from: Kind, to: Kind): void {
    if (!this.counts || from === to) return;
    this.counts[from]--;
    this.counts[to]++;
  }

  /** At a clean close: the counts, trusted by the next open. */
  persist(): void {
    if (!this.counts) return;
    this.db
      .prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('delivery_counts', ?), ('delivery_counts_clean', '1')`)
      .run(JSON.stringify(this.counts));
  }
}
