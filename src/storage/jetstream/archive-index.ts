/** What a node keeps of one archived copy: enough to order, page, count and prune, not the body. */
export interface IndexEntry {
  readonly seq: number;
  readonly time: number;
  readonly archivedAt: number;
  /** UTF-8 bytes of the body (ArchiveStats.sizeBytes). */
  readonly bytes: number;
}

const before = (a: { time: number; seq: number }, b: { time: number; seq: number }): boolean =>
  a.time < b.time || (a.time === b.time && a.seq < b.seq);

/**
 * One archive's copies in (time, seq) order, as far as this node has read its subjects
 * (`lastSeq`). A replay reads an archive page by page; without this each page would read the
 * whole archive from the stream again (quadratic in its size). Copies arrive mostly in time
 * order, so an insert is a binary search near the end.
 */
export class ArchiveIndex {
  private entries: IndexEntry[] = [];
  /** The highest stream sequence read into the index. */
  lastSeq = 0;

  constructor(
    /** When the index was last built from the whole archive (node clock, ms). */
    readonly builtAt: number,
  ) {}

  add(e: IndexEntry): void {
    if (e.seq > this.lastSeq) this.lastSeq = e.seq;
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(e, this.entries[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    this.entries.splice(lo, 0, e);
  }

  remove(seqs: ReadonlySet<number>): void {
    if (seqs.size > 0) this.entries = this.entries.filter((e) => !seqs.has(e.seq));
  }

  /** Entries with time in [from, to) strictly after `after`, in order, starting from the first such. */
  *range(from: number, to: number, after?: { time: number; seq: number }): Generator<IndexEntry> {
    const start = after && before({ time: from, seq: 0 }, after) ? { time: after.time, seq: after.seq + 1 } : { time: from, seq: 0 };
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.entries[mid]!, start)) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.entries.length && this.entries[i]!.time < to; i++) yield this.entries[i]!;
  }

  all(): readonly IndexEntry[] {
    return this.entries;
  }
}
