/**
 * The exact values that signature keys use at one path (exact-key.ts parts: `saws.ec2`, `n…`,
 * `ltrue`), each with a small integer id, so that a signature key is a tuple of ints. One table
 * per path (exact-dispatch.ts): a path with few values keeps them in a table small enough to
 * stay in cache.
 *
 * For an event this turns each value into an id with one hash probe — and most values of a
 * distinct event (an id, a time, an unwatched account) are in no rule, which the probe says at
 * once, sparing every signature over that path its own lookup. Keys of ints are then compared
 * inside the signature table's row, without reading any string.
 */
import { leafHash, leafHasPart, partHash } from './exact-key.js';
import type { Leaf } from './leaf.js';
import { RowTable } from './row-table.js';

export class ValueIds {
  /** Rows [hash, id, tag]; the row's object is the part's body (the value after the tag). */
  private readonly table = new RowTable<string>(2);
  private readonly ids = new Map<string, number>();
  private readonly parts: string[] = [];
  private readonly refs: number[] = [];
  private readonly free: number[] = [];
  private readonly scratch = [0, 0];

  /** Number of parts in use. */
  get size(): number {
    return this.ids.size;
  }

  /** The id of a part, created if new; the caller holds a reference until `release`. */
  acquire(part: string): number {
    let id = this.ids.get(part);
    if (id === undefined) {
      id = this.free.pop() ?? this.parts.length;
      this.ids.set(part, id);
      this.parts[id] = part;
      this.refs[id] = 0;
      this.scratch[0] = id;
      this.scratch[1] = part.charCodeAt(0);
      this.table.insert(partHash(part), this.scratch, part.slice(1));
    }
    this.refs[id]!++;
    return id;
  }

  release(id: number): void {
    if (--this.refs[id]! > 0) return;
    const part = this.parts[id]!;
    this.scratch[0] = id;
    this.scratch[1] = part.charCodeAt(0);
    this.table.removeAt(this.table.find(partHash(part), this.scratch));
    this.ids.delete(part);
    this.parts[id] = '';
    this.free.push(id);
  }

  /** The id of the leaf's part, or −1 when no key uses it; remembered on the leaf for this event. */
  idOf(leaf: Leaf): number {
    let id = leaf.valueId;
    if (id !== -2) return id;
    id = -1;
    const hash = leafHash(leaf);
    const { rows, objects, mask } = this.table;
    for (let r = hash & mask; ; r = (r + 1) & mask) {
      const h = rows[r * 3]!;
      if (h === 0) break;
      if (h === hash && leafHasPart(leaf, rows[r * 3 + 2]!, objects[r]!)) {
        id = rows[r * 3 + 1]!;
        break;
      }
    }
    return (leaf.valueId = id);
  }
}
