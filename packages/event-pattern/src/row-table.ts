/**
 * An open-addressing hash table whose entries are fixed-width rows of int32 — a hash, the
 * entry's key as ints, then any values the owner keeps there — in one flat Int32Array, with one
 * object per row alongside.
 *
 * Made for lookups on a cold cache: finding an entry, or learning it is absent, reads one
 * stretch of one array, and the key is compared there too; only a hit reads the row's object.
 * Linear probing; deletion shifts the following rows back, so there are no tombstones and the
 * table never needs rebuilding after removals. Lookups are written by the owners (ValueIds,
 * Signature), which know their key shapes; this class keeps the rows.
 */

/** Hash of an empty row. Stored hashes are odd (see `oddHash`), so never 0. */
export const EMPTY = 0;

/** A hash as stored: 30 bits (a small integer for V8, never a boxed double), made odd. */
export function oddHash(h: number): number {
  return (h & 0x3fffffff) | 1;
}

export class RowTable<T> {
  /** Ints per row: the hash, `keyWidth` key ints, then `extra` value ints (initially −1). */
  readonly width: number;
  /** rows × width ints; row r starts at r × width. */
  rows: Int32Array;
  /** The object of each row (null for empty rows). */
  objects: (T | null)[];
  /** Number of rows − 1 (the row count is a power of two). */
  mask: number;
  size = 0;

  constructor(
    readonly keyWidth: number,
    readonly extra = 0,
    rows = 16,
  ) {
    this.width = 1 + keyWidth + extra;
    this.rows = new Int32Array(rows * this.width);
    this.objects = new Array<T | null>(rows).fill(null);
    this.mask = rows - 1;
  }

  /** The row holding this key (ints `key[0 … keyWidth)`), or −1. */
  find(hash: number, key: ArrayLike<number>): number {
    const rows = this.rows;
    const w = this.width;
    const n = this.keyWidth;
    for (let r = hash & this.mask; ; r = (r + 1) & this.mask) {
      const at = r * w;
      const h = rows[at]!;
      if (h === EMPTY) return -1;
      if (h === hash && sameKey(rows, at, key, n)) return r;
    }
  }

  /** Adds a row (the key must not be present); returns it (valid until the next insert or removal). */
  insert(hash: number, key: ArrayLike<number>, object: T): number {
    // Kept at most half full: absent keys are found empty on the first or second row.
    if ((this.size + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    const r = this.place(hash, key, object);
    this.rows.fill(-1, r * this.width + 1 + this.keyWidth, (r + 1) * this.width);
    this.size++;
    return r;
  }

  /** Removes row `r`, moving back the rows of its probe run that may now sit closer to home. */
  removeAt(r: number): void {
    const rows = this.rows;
    const w = this.width;
    const mask = this.mask;
    let hole = r;
    for (let next = (r + 1) & mask; rows[next * w] !== EMPTY; next = (next + 1) & mask) {
      const home = rows[next * w]! & mask;
      // The row at `next` may fill the hole unless its home lies cyclically in (hole, next].
      const stays = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (stays) continue;
      rows.copyWithin(hole * w, next * w, next * w + w);
      this.objects[hole] = this.objects[next]!;
      hole = next;
    }
    rows.fill(EMPTY, hole * w, hole * w + w);
    this.objects[hole] = null;
    this.size--;
  }

  /** Writes hash and key into a free row; returns it. */
  private place(hash: number, key: ArrayLike<number>, object: T): number {
    const rows = this.rows;
    const w = this.width;
    let r = hash & this.mask;
    while (rows[r * w] !== EMPTY) r = (r + 1) & this.mask;
    rows[r * w] = hash;
    for (let i = 0; i < this.keyWidth; i++) rows[r * w + 1 + i] = key[i]!;
    this.objects[r] = object;
    return r;
  }

  private resize(count: number): void {
    const { rows, objects, width: w } = this;
    this.rows = new Int32Array(count * w);
    this.objects = new Array<T | null>(count).fill(null);
    this.mask = count - 1;
    for (let r = 0; r < objects.length; r++) {
      if (rows[r * w] === EMPTY) continue;
      const to = this.place(rows[r * w]!, rows.subarray(r * w + 1, r * w + w), objects[r]!);
      this.rows.set(rows.subarray(r * w + 1 + this.keyWidth, r * w + w), to * w + 1 + this.keyWidth);
    }
  }
}

function sameKey(rows: Int32Array, at: number, key: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < n; i++) if (rows[at + 1 + i] !== key[i]) return false;
  return true;
}
