/**
 * Stage 1 of matching: the exact-value conditions of every branch, as keys in Signatures (one per
 * set of paths), and the per-event lookup that turns an event into the rules and states where its
 * candidate branches continue.
 *
 * Per event: each value at a signature path becomes an id (one probe, value-ids.ts); each
 * signature whose paths the event has, all with known values, costs one more probe. A value no
 * rule uses — most of a distinct event's values — ends the work for every signature over its
 * path at once. A key found reports its rule, or runs its program (programs.ts), or — for a
 * subtree too big for a program — hands its state to the walk.
 */
import { mergeTrails, trailsCompatible, type ArrayTrail, type Leaf } from './leaf.js';
import type { State } from './automaton.js';
import { WALK, type Programs } from './programs.js';
import type { PathTree } from './path-tree.js';
import { Signature } from './signature.js';
import { ValueIds } from './value-ids.js';
import type { Start } from './walk.js';

/** A key found for a combination of leaves, and the array elements they sit in. */
interface Hit {
  readonly row: number;
  readonly trail: ArrayTrail | null;
}

/** Where a branch's exact part was put, for taking it out again. */
export interface Key {
  readonly signature: Signature;
  readonly ids: readonly number[];
  readonly state: State;
}

export class ExactDispatch {
  private readonly signatures = new Map<string, Signature>();
  /** Signatures by the id of their first path: looked up only when the event has that path. */
  private readonly anchored: Signature[][] = [];
  /**
   * The values in use at each path, by path node id: one table per path, so that the few values
   * of a small path (source, detail-type, State) sit in a small table that stays in cache, apart
   * from the many of a large one (image ids, accounts). Ids are per path; a key's ids are compared
   * position by position, so that is all they need to be.
   */
  private readonly valuesAt: (ValueIds | undefined)[] = [];
  /** Scratch: the value ids of the signature being looked up. */
  private readonly ids: number[] = [];

  constructor(
    private readonly tree: PathTree,
    private readonly programs: Programs,
  ) {}

  /** Enters a key — its parts (exact-key.ts) on its paths, both in path order — and returns it. */
  enter(paths: readonly string[], parts: readonly string[]): Key {
    const signature = this.signatureFor(paths);
    const ids = parts.map((p, i) => (this.valuesAt[signature.paths[i]!.id] ??= new ValueIds()).acquire(p));
    return { signature, ids, state: signature.stateFor(ids) };
  }

  /** Takes a key out again (its state stays while other branches continue from it). */
  leave(key: Key): void {
    const sig = key.signature;
    if (key.state.empty) {
      this.setAction(key, WALK);
      sig.drop(key.ids);
    } else {
      this.refresh(key);
    }
    key.ids.forEach((id, i) => {
      const at = sig.paths[i]!.id;
      const values = this.valuesAt[at]!;
      values.release(id);
      if (values.size === 0) this.valuesAt[at] = undefined;
    });
    if (sig.size > 0) return;
    this.signatures.delete(sig.id);
    const anchorId = sig.paths[0]!.id;
    this.anchored[anchorId] = this.anchored[anchorId]!.filter((s) => s !== sig);
    for (const n of sig.paths) this.tree.release(n);
  }

  /** Recompiles a key's action after its subtree changed (a branch entered or left through it). */
  refresh(key: Key): void {
    this.setAction(key, this.programs.compile(key.state));
  }

  private setAction(key: Key, action: number): void {
    this.programs.release(key.signature.actionOf(key.ids));
    key.signature.setAction(key.ids, action);
  }

  private signatureFor(paths: readonly string[]): Signature {
    const id = paths.join('\u0000');
    let sig = this.signatures.get(id);
    if (!sig) {
      const nodes = paths.map((p) => this.tree.node(p));
      for (const n of nodes) this.tree.acquire(n);
      sig = new Signature(id, nodes);
      this.signatures.set(id, sig);
      (this.anchored[nodes[0]!.id] ??= []).push(sig);
    }
    return sig;
  }

  /**
   * Reports the rules of every key the current event has (no arrays of objects in play), and
   * appends to `starts[count …)` the states that need walking; returns the new count.
   */
  lookup(starts: State[], count: number, epoch: number, out: string[]): number {
    const tree = this.tree;
    const present = tree.present;
    for (let p = 0; p < tree.presentCount; p++) {
      const anchored = this.anchored[present[p]!.id];
      if (anchored === undefined) continue;
      for (let s = 0; s < anchored.length; s++) {
        const sig = anchored[s]!;
        const single = this.pick(sig);
        if (single > 0) {
          const r = sig.find(this.ids);
          if (r >= 0) count = this.act(sig, r, starts, count, epoch, out);
        } else if (single < 0) {
          count = this.lookupCombinations(sig, starts, count, epoch, out);
        }
      }
    }
    return count;
  }

  /**
   * Puts the ids of the signature's values into `ids`: returns 1 when each path has one leaf
   * with a known value, 0 when some path has no leaf or an unknown value, −1 when some path has
   * several leaves (an array: see `lookupCombinations`).
   */
  private pick(sig: Signature): number {
    const paths = sig.paths;
    let single = 1;
    for (let i = 0; i < paths.length; i++) {
      const first = this.tree.leavesAt(paths[i]!);
      if (first === null) return 0;
      if (first.next !== null) single = -1;
      else if ((this.ids[i] = this.valuesAt[paths[i]!.id]!.idOf(first)) < 0) return 0;
    }
    return single;
  }

  /** A signature with an array at one of its paths: each distinct key once (the same value twice finds the same key). */
  private lookupCombinations(sig: Signature, starts: State[], count: number, epoch: number, out: string[]): number {
    const hits: Hit[] = [];
    this.choose(sig, 0, null, hits);
    const rows = new Set<number>();
    for (const { row } of hits) {
      if (rows.has(row)) continue;
      rows.add(row);
      count = this.act(sig, row, starts, count, epoch, out);
    }
    return count;
  }

  /** Does what row `r` of a signature says; returns the new count of `starts`. */
  private act(sig: Signature, r: number, starts: State[], count: number, epoch: number, out: string[]): number {
    const action = sig.action(r);
    if (action === WALK) starts[count++] = sig.state(r);
    else this.programs.run(action, this.tree, epoch, out);
    return count;
  }

  /** The same with arrays of objects in play: only leaves of compatible array elements combine. */
  lookupWithTrails(starts: Start[]): void {
    const tree = this.tree;
    for (let p = 0; p < tree.presentCount; p++) {
      for (const sig of this.anchored[tree.present[p]!.id] ?? []) {
        const hits: Hit[] = [];
        this.choose(sig, 0, null, hits);
        for (const { row, trail } of hits) starts.push({ state: sig.state(row), trail });
      }
    }
  }

  /**
   * Every combination of one known leaf per path (several leaves: an array in the event), with
   * compatible array elements, looked up; `hits` gets each row found and the elements it used.
   */
  private choose(sig: Signature, i: number, trail: ArrayTrail | null, hits: Hit[]): void {
    if (i === sig.paths.length) {
      const row = sig.find(this.ids);
      if (row >= 0) hits.push({ row, trail: trail !== null && trail.length === 0 ? null : trail });
      return;
    }
    const values = this.valuesAt[sig.paths[i]!.id]!;
    for (let leaf: Leaf | null = this.tree.leavesAt(sig.paths[i]!); leaf !== null; leaf = leaf.next) {
      const id = values.idOf(leaf);
      if (id < 0 || !trailsCompatible(trail, leaf.trail)) continue;
      this.ids[i] = id;
      this.choose(sig, i + 1, mergeTrails(trail, leaf.trail), hits);
    }
  }
}
