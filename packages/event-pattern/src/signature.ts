/**
 * Exact dispatch for one set of paths: branches whose exact-value conditions are on the same
 * paths share a Signature, and the event's values at those paths, taken together as one key,
 * lead in one hash lookup to the state where those branches continue.
 *
 * A key is the tuple of its values' ids (value-ids.ts), kept in the row of a RowTable with the
 * key's action (programs.ts): a lookup reads one stretch of one Int32Array, compares the key
 * there and finds there what to do — report a rule, run a program, or (for a big subtree) walk
 * the key's state.
 */
import { State } from './automaton.js';
import { finalMix } from './exact-key.js';
import type { PathNode } from './path-node.js';
import { oddHash, RowTable } from './row-table.js';

export class Signature {
  /** Rows [hash, id of the value at paths[0], …, action]; the row's object is the key's state. */
  private readonly table: RowTable<State>;

  constructor(
    readonly id: string,
    readonly paths: readonly PathNode[],
  ) {
    this.table = new RowTable<State>(paths.length, 1);
  }

  /** Number of keys. */
  get size(): number {
    return this.table.size;
  }

  /** The state for a key (its value ids in path order), created (with action −1, WALK) if absent. */
  stateFor(ids: readonly number[]): State {
    const hash = keyHash(ids, ids.length);
    const r = this.table.find(hash, ids);
    if (r >= 0) return this.table.objects[r]!;
    const state = new State();
    this.table.insert(hash, ids, state);
    return state;
  }

  /** The action of a key (−1, WALK, for an absent one). */
  actionOf(ids: readonly number[]): number {
    const r = this.table.find(keyHash(ids, ids.length), ids);
    return r >= 0 ? this.action(r) : -1;
  }

  /** Sets the action of a present key. */
  setAction(ids: readonly number[], action: number): void {
    const t = this.table;
    const r = t.find(keyHash(ids, ids.length), ids);
    if (r >= 0) t.rows[r * t.width + t.width - 1] = action;
  }

  /** Forgets a key (whose state has become empty). */
  drop(ids: readonly number[]): void {
    const r = this.table.find(keyHash(ids, ids.length), ids);
    if (r >= 0) this.table.removeAt(r);
  }

  /** The row of the key `ids[0 … paths.length)` (the rest of `ids` is ignored), or −1. */
  find(ids: readonly number[]): number {
    return this.table.find(keyHash(ids, this.paths.length), ids);
  }

  /** The action of row `r`. */
  action(r: number): number {
    const t = this.table;
    return t.rows[r * t.width + t.width - 1]!;
  }

  /** The state of row `r`. */
  state(r: number): State {
    return this.table.objects[r]!;
  }
}

/** Hash of the tuple `ids[0 … n)`. */
function keyHash(ids: readonly number[], n: number): number {
  let h = 0;
  for (let i = 0; i < n; i++) h = Math.imul(((h << 5) | (h >>> 27)) ^ ids[i]!, 0x9e3779b1);
  return oddHash(finalMix(h));
}
