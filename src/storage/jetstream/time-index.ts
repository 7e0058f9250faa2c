import type { JetStreamConnection } from './connection.js';
import { scanSubject } from './scan.js';

/** A place in an index: ordered by time, then by stream sequence. */
export interface Position {
  readonly time: number;
  readonly seq: number;
}

const before = (a: Position, b: Position): boolean => a.time < b.time || (a.time === b.time && a.seq < b.seq);

/** How long a node's index is used before it is read again from the whole subject. */
const REBUILD_MS = 60_000;

/**
 * What one node keeps of the messages on some subjects (an archive's copies, a log group's
 * events), in (time, seq) order, without their bodies: enough to order, page, count and expire.
 * Reads page through a subject's messages by time; without an index each page would read all of
 * them from the stream again (quadratic in their number). The index takes in what was published
 * since it was last brought up to date (a consumer from `lastSeq + 1`) and is rebuilt from the
 * whole subject once a minute, so what another node deleted leaves it within that time; a page
 * that asks for a deleted message finds its body gone and drops it at once.
 */
export class TimeIndex<E extends Position> {
  private entries: E[] = [];
  /** The highest stream sequence read into the index. */
  private lastSeq = 0;

  private constructor(private readonly builtAt: number) {}

  /**
   * The index of `filter`'s messages in `indexes` (made, or rebuilt once old), brought up to
   * date; `entry` makes an entry of a message (null: not indexed).
   */
  static async refresh<T, E extends Position>(
    indexes: Map<string, TimeIndex<E>>,
    c: JetStreamConnection,
    stream: string,
    filter: string,
    entry: (seq: number, value: T) => E | null,
  ): Promise<TimeIndex<E>> {
    let ix = indexes.get(filter);
    if (!ix || Date.now() - ix.builtAt > REBUILD_MS) {
      ix = new TimeIndex<E>(Date.now());
      indexes.set(filter, ix);
    }
    for (const m of await scanSubject<T>(c, stream, filter, ix.lastSeq + 1)) {
      ix.lastSeq = Math.max(ix.lastSeq, m.seq);
      const e = entry(m.seq, m.value);
      if (e) ix.add(e);
    }
    return ix;
  }

  private add(e: E): void {
    // Messages arrive mostly in time order: the binary search ends near the end.
    const i = this.firstNotBefore(e);
    this.entries.splice(i, 0, e);
  }

  private firstNotBefore(p: Position): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.entries[mid]!, p)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  remove(seqs: ReadonlySet<number>): void {
    if (seqs.size > 0) this.entries = this.entries.filter((e) => !seqs.has(e.seq));
  }

  /** Entries at or after `start`, ascending. */
  *from(start: Position): Generator<E> {
    for (let i = this.firstNotBefore(start); i < this.entries.length; i++) yield this.entries[i]!;
  }

  /** Entries at or before `end`, descending. */
  *backFrom(end: Position): Generator<E> {
    for (let i = this.firstNotBefore({ time: end.time, seq: end.seq + 1 }) - 1; i >= 0; i--) yield this.entries[i]!;
  }

  all(): readonly E[] {
    return this.entries;
  }
}

/**
 * Up to `limit` bodies for the entries `wanted` yields that `keep` accepts, read by sequence;
 * entries whose message is gone (deleted through another node) are dropped from `ix`.
 */
export async function pageOf<E extends Position, B>(
  ix: TimeIndex<E>,
  wanted: Iterator<E>,
  keep: (e: E) => boolean,
  limit: number,
  body: (seq: number) => Promise<B | null>,
): Promise<{ entry: E; body: B }[]> {
  const out: { entry: E; body: B }[] = [];
  const gone = new Set<number>();
  while (out.length < limit) {
    const page: E[] = [];
    while (page.length < limit - out.length) {
      const next = wanted.next();
      if (next.done) break;
      if (keep(next.value)) page.push(next.value);
    }
    if (page.length === 0) break;
    const bodies = await Promise.all(page.map((e) => body(e.seq)));
    page.forEach((entry, i) => {
      const b = bodies[i];
      if (b !== null && b !== undefined) out.push({ entry, body: b });
      else gone.add(entry.seq);
    });
  }
  ix.remove(gone);
  return out;
}

/** The entries of `it` up to the first that `ok` refuses. */
export function* whileTrue<E>(it: Iterable<E>, ok: (e: E) => boolean): Generator<E> {
  for (const e of it) {
    if (!ok(e)) return;
    yield e;
  }
}

/** The later of two positions. */
export const later = (a: Position, b: Position): Position => (before(a, b) ? b : a);
/** The earlier of two positions. */
export const earlier = (a: Position, b: Position): Position => (before(a, b) ? a : b);
