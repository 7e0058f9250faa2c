import type { Store } from '../storage/store.js';

/** Events forgotten per transaction for age: big enough to keep up with 500 events/s, small enough not to stall writers. */
const BATCH = 10_000;
/** The first step of size pruning; later steps are sized from the bytes each event freed, so the cap is met, not overshot. */
const FIRST_SIZE_STEP = 100;

export interface RetentionOptions {
  /** --retention-hours in ms; 0 = no age limit. */
  readonly maxAgeMs: number;
  /** --history-max-bytes; 0 = no size limit. */
  readonly maxBytes: number;
  readonly now: () => number;
}

/**
 * One round of history retention: settled events older than the age limit go, then the oldest
 * settled events until the store is within the size limit (age alone let a busy server's history
 * reach ~185 GB at the default 168 h). Events with a pending delivery stay whatever the limits:
 * they are the outbox. Freed pages are reused by new events, so the file stops growing at about
 * the limit (SQLite does not give pages back to the file system without a VACUUM). Returns how
 * many events went.
 */
/** Lets requests in between batches (a transaction is synchronous; an await alone would not yield to I/O). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function pruneHistory(store: Store, o: RetentionOptions): Promise<number> {
  let pruned = 0;
  if (o.maxAgeMs > 0) {
    const before = o.now() - o.maxAgeMs;
    for (let n = await store.pruneEvents(before, BATCH); n > 0; n = await store.pruneEvents(before, BATCH)) {
      pruned += n;
      await breathe();
    }
  }
  if (o.maxBytes > 0) {
    let used = await store.usedBytes();
    let step = FIRST_SIZE_STEP;
    while (used > o.maxBytes) {
      const n = await store.pruneEvents(Number.MAX_SAFE_INTEGER, step);
      if (n === 0) break;
      pruned += n;
      const now = await store.usedBytes();
      const perEvent = (used - now) / n;
      used = now;
      if (perEvent > 0) step = Math.min(BATCH, Math.max(1, Math.ceil((used - o.maxBytes) / perEvent)));
      await breathe();
    }
  }
  return pruned;
}
