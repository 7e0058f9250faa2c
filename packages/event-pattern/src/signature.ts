/**
 * Exact dispatch for one set of paths: branches whose exact-value conditions are on the same
 * paths share a Signature, and the event's values at those paths, taken together as one key,
 * lead in one hash lookup to the state where those branches continue.
 *
 * The lookup is built for a cold cache: probing costs one read of a flat Int32Array holding
 * (hash, index) pairs; the key itself is only compared when a hash is found.
 */
import { State } from './automaton.js';
import type { PathNode } from './automaton.js';
import { combineHash, leafHash, leafHasPart, partHash } from './exact-key.js';
import type { Leaf } from './leaf.js';

const EMPTY = 0;

export class Signature {
  /** Key (parts joined) → slot in `states`/`parts`; the authoritative map. */
  private readonly byKey = new Map<string, number>();
  private readonly states: (State | null)[] = [];
  /**
   * Per slot, flat over the paths (slot × paths + i): each key part split into its tag (first
   * character code) and body, compared only when the hash is found. Bodies are interned so that
   * a value used by many keys is one string.
   */
  private readonly tags: number[] = [];
  private readonly bodies: string[] = [];
  private readonly hashes: number[] = [];
  private readonly freeSlots: number[] = [];
  /** Open addressing: [hash, slot + 1] pairs; 0 marks an empty cell. */
  private table = new Int32Array(16);
  private dirty = false;

  constructor(readonly id: string, readonly paths: readonly PathNode[]) {}

  get size(): number {
    return this.byKey.size;
  }

  /** The state for a key (its parts in path order), created if absent. */
  stateFor(parts: readonly string[], key: string): State {
    const known = this.byKey.get(key);
    if (known !== undefined) return this.states[known]!;
    const slot = this.freeSlots.pop() ?? this.states.length;
    const state = new State();
    this.states[slot] = state;
    const width = this.paths.length;
    parts.forEach((p, i) => {
      this.tags[slot * width + i] = p.charCodeAt(0);
      this.bodies[slot * width + i] = intern(p.slice(1));
    });
    let h = 0;
    for (const p of parts) h = combineHash(h, partHash(p));
    this.hashes[slot] = h;
    this.byKey.set(key, slot);
    if ((this.byKey.size + 1) * 2 > this.table.length / 2) this.dirty = true;
    else if (!this.dirty) this.insert(h, slot);
    return state;
  }

  /** Forgets a key whose state has become empty. */
  drop(key: string): void {
    const slot = this.byKey.get(key);
    if (slot === undefined) return;
    this.byKey.delete(key);
    this.states[slot] = null;
    for (let i = 0; i < this.paths.length; i++) this.bodies[slot * this.paths.length + i] = '';
    this.freeSlots.push(slot);
    this.dirty = true;
  }

  /** The state for the event leaves at this signature's paths (the first `n`, one per path), or undefined. */
  lookup(leaves: readonly Leaf[], n: number): State | undefined {
    if (this.dirty) this.rebuild();
    let h = 0;
    for (let i = 0; i < n; i++) h = combineHash(h, leafHash(leaves[i]!));
    const table = this.table;
    const mask = (table.length >>> 1) - 1;
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      const stored = table[i * 2 + 1]!;
      if (stored === EMPTY) return undefined;
      if (table[i * 2] !== h) continue;
      const slot = stored - 1;
      const base = slot * n;
      let same = true;
      for (let k = 0; k < n && same; k++) same = leafHasPart(leaves[k]!, this.tags[base + k]!, this.bodies[base + k]!);
      if (same) return this.states[slot]!;
    }
  }

  private insert(h: number, slot: number): void {
    const table = this.table;
    const mask = (table.length >>> 1) - 1;
    let i = (h >>> 0) & mask;
    while (table[i * 2 + 1] !== EMPTY) i = (i + 1) & mask;
    table[i * 2] = h;
    table[i * 2 + 1] = slot + 1;
  }

  private rebuild(): void {
    let cells = 16;
    while (cells < this.byKey.size * 4) cells *= 2;
    this.table = new Int32Array(cells * 2);
    for (const slot of this.byKey.values()) this.insert(this.hashes[slot]!, slot);
    this.dirty = false;
  }
}


const interned = new Map<string, string>();
/** One string object per distinct key body, across all matchers (bounded by the rules' values). */
function intern(s: string): string {
  const known = interned.get(s);
  if (known !== undefined) return known;
  if (interned.size < 1_000_000) interned.set(s, s);
  return s;
}
