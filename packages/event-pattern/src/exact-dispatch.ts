/**
 * Stage 1 of matching: the exact-value conditions of every branch, as keys in Signatures (one per
 * set of paths), and the per-event lookup that turns an event into the states where its
 * candidate branches continue.
 *
 * Per event: each value at a signature path becomes an id (one probe, value-ids.ts); each
 * signature whose paths the event has, all with known values, costs one more probe. A value no
 * rule uses — most of a distinct event's values — ends the work for every signature over its
 * path at once.
 */
import { mergeTrails, trailsCompatible, type ArrayTrail, type Leaf } from './leaf.js';
import type { State } from './automaton.js';
import type { PathTree } from './path-tree.js';
import { Signature } from './signature.js';
import { ValueIds } from './value-ids.js';
import type { Start } from './walk.js';

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
  private readonly values = new ValueIds();
  /** Scratch: the value ids of the signature being looked up. */
  private readonly ids: number[] = [];

  constructor(private readonly tree: PathTree) {}

  /** Enters a key — its parts (exact-key.ts) on its paths, both in path order — and returns it. */
  enter(paths: readonly string[], parts: readonly string[]): Key {
    const signature = this.signatureFor(paths);
    const ids = parts.map((p) => this.values.acquire(p));
    return { signature, ids, state: signature.stateFor(ids) };
  }

  /** Takes a key out again (its state stays while other branches continue from it). */
  leave(key: Key): void {
    const sig = key.signature;
    if (key.state.empty) sig.drop(key.ids);
    for (const id of key.ids) this.values.release(id);
    if (sig.size > 0) return;
    this.signatures.delete(sig.id);
    const anchorId = sig.paths[0]!.id;
    this.anchored[anchorId] = this.anchored[anchorId]!.filter((s) => s !== sig);
    for (const n of sig.paths) this.tree.release(n);
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
   * Appends to `starts[count …)` the state of every key the current event has (no arrays of
   * objects in play); returns the new count.
   */
  lookup(starts: State[], count: number): number {
    const tree = this.tree;
    const present = tree.present;
    const values = this.values;
    const ids = this.ids;
    for (let p = 0; p < tree.presentCount; p++) {
      const anchored = this.anchored[present[p]!.id];
      if (anchored === undefined) continue;
      for (let s = 0; s < anchored.length; s++) {
        const sig = anchored[s]!;
        const paths = sig.paths;
        let single = true;
        let known = true;
        for (let i = 0; i < paths.length && known; i++) {
          const first = tree.leavesAt(paths[i]!);
          if (first === null) known = false;
          else if (first.next !== null) single = false;
          else known = (ids[i] = values.idOf(first)) >= 0;
        }
        if (!known) continue;
        if (single) {
          const state = sig.lookup(ids);
          if (state !== null) starts[count++] = state;
        } else {
          const hits: Start[] = [];
          this.choose(sig, 0, null, hits);
          for (const h of hits) starts[count++] = h.state;
        }
      }
    }
    return count;
  }

  /** The same with arrays of objects in play: only leaves of compatible array elements combine. */
  lookupWithTrails(starts: Start[]): void {
    const tree = this.tree;
    for (let p = 0; p < tree.presentCount; p++) {
      for (const sig of this.anchored[tree.present[p]!.id] ?? []) this.choose(sig, 0, null, starts);
    }
  }

  /**
   * Every combination of one known leaf per path (several leaves: an array in the event), with
   * compatible array elements, looked up; `hits` gets each state found and the elements it used.
   */
  private choose(sig: Signature, i: number, trail: ArrayTrail | null, hits: Start[]): void {
    if (i === sig.paths.length) {
      const state = sig.lookup(this.ids);
      if (state !== null) hits.push({ state, trail: trail !== null && trail.length === 0 ? null : trail });
      return;
    }
    for (let leaf: Leaf | null = this.tree.leavesAt(sig.paths[i]!); leaf !== null; leaf = leaf.next) {
      const id = this.values.idOf(leaf);
      if (id < 0 || !trailsCompatible(trail, leaf.trail)) continue;
      this.ids[i] = id;
      this.choose(sig, i + 1, mergeTrails(trail, leaf.trail), hits);
    }
  }
}
