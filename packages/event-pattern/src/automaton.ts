/**
 * The residual automaton: a tree of states whose edges are "this field matches this match
 * list". Branches with a common start share states, and each transition indexes its edges by
 * value (ValueIndex), so deciding a field costs lookups, not a pass over the rules.
 *
 * Walking it is a search over (state, array elements chosen so far); see `walk`.
 */
import type { FieldCondition } from './compile-pattern.js';
import { mergeTrails, trailsCompatible, type ArrayTrail, type Leaf } from './leaf.js';
import { acceptsAbsence } from './evaluate.js';
import { ValueIndex } from './value-index.js';

/**
 * A rule as the automaton knows it. A rule reachable along one path only (`multi` false) is
 * reported without deduplication; `mark` dedupes the others within one event.
 */
export interface RuleEntry {
  readonly name: string;
  multi: boolean;
  mark: number;
}

/** A node of the tree of dotted paths the patterns use; `id >= 0` while some rule uses it. */
export class PathNode {
  readonly children = new Map<string, PathNode>();
  /** Children by name length, for matching names in the event text in place (see PathTree). */
  probe: PathNode[][] | null = null;
  /** Each child's name, parallel to the probe lists. */
  name = '';
  id = -1;
  refs = 0;
}

const NO_TRANSITIONS: Transition[] = [];

export class State {
  /** Shared empty array until the first transition: most states are leaves. */
  transitions: Transition[] = NO_TRANSITIONS;
  /** Rules whose branch ends here, once per branch that does. */
  accepts: RuleEntry[] | null = null;
  mark = -1;

  get empty(): boolean {
    return this.transitions.length === 0 && this.accepts === null;
  }

  addTransition(tr: Transition): void {
    this.transitions = [...this.transitions, tr];
  }

  removeTransition(tr: Transition): void {
    const rest = this.transitions.filter((t) => t !== tr);
    this.transitions = rest.length > 0 ? rest : NO_TRANSITIONS;
  }

  accept(entry: RuleEntry, delta: 1 | -1): void {
    if (delta > 0) {
      (this.accepts ??= []).push(entry);
    } else if (this.accepts) {
      const i = this.accepts.indexOf(entry);
      if (i >= 0) this.accepts.splice(i, 1);
      if (this.accepts.length === 0) this.accepts = null;
    }
  }
}

export class Transition {
  readonly edges = new Map<string, Edge>();
  readonly index = new ValueIndex<Edge>();
  absent: Edge[] = [];
  constructor(readonly path: PathNode, readonly from: State) {}
}

export class Edge {
  mark = -1;
  refs = 0;
  readonly next = new State();
  constructor(readonly condition: FieldCondition, readonly owner: Transition) {}
}

/** Where transitions get their path nodes; a transition holds one reference to its node. */
export interface PathRegistry {
  node(path: string): PathNode;
  acquire(node: PathNode): void;
  release(node: PathNode): void;
}

/** Adds a chain of conditions below `start`; returns the edges taken (for later release). */
export function insertChain(start: State, conditions: readonly FieldCondition[], paths: PathRegistry): Edge[] {
  let state = start;
  const edges: Edge[] = [];
  for (const cond of conditions) {
    const node = paths.node(cond.path);
    let tr = state.transitions.find((t) => t.path === node);
    if (!tr) {
      paths.acquire(node);
      tr = new Transition(node, state);
      state.addTransition(tr);
    }
    let edge = tr.edges.get(cond.key);
    if (!edge) {
      edge = new Edge(cond, tr);
      tr.edges.set(cond.key, edge);
      for (const t of cond.tests) tr.index.add(t, edge);
      if (acceptsAbsence(cond)) tr.absent.push(edge);
    }
    edge.refs++;
    edges.push(edge);
    state = edge.next;
  }
  return edges;
}

/** Undoes one insertChain: edges no branch uses any more leave their transitions. */
export function releaseChain(edges: readonly Edge[], paths: PathRegistry): void {
  for (const edge of edges) {
    if (--edge.refs > 0) continue;
    const tr = edge.owner;
    tr.edges.delete(edge.condition.key);
    for (const t of edge.condition.tests) tr.index.remove(t, edge);
    tr.absent = tr.absent.filter((e) => e !== edge);
    if (tr.edges.size === 0) {
      tr.from.removeTransition(tr);
      paths.release(tr.path);
    }
  }
}

/** What the walk needs to know about the event. */
export interface EventView {
  /** The leaves at a path in this event, or null when it has none. */
  leavesAt(path: PathNode): Leaf[] | null;
}

/** A place to start walking, with the array elements already committed to. */
export interface Start {
  readonly state: State;
  readonly trail: ArrayTrail | null;
}

/** Walks from the start states; pushes each matching rule's name once. No arrays in play. */
export function walk(starts: readonly State[], event: EventView, epoch: number, out: string[]): void {
  const stack: State[] = [];
  for (const s of starts) {
    if (s.mark !== epoch) {
      s.mark = epoch;
      stack.push(s);
    }
  }
  const visit = (edge: Edge): void => {
    if (edge.mark === epoch) return;
    edge.mark = epoch;
    stack.push(edge.next);
  };
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (s.accepts !== null) report(s.accepts, epoch, out, false);
    const trs = s.transitions;
    for (let k = 0; k < trs.length; k++) {
      const tr = trs[k]!;
      const leaves = event.leavesAt(tr.path);
      if (leaves === null) {
        for (const e of tr.absent) visit(e);
      } else {
        for (let i = 0; i < leaves.length; i++) tr.index.collect(leaves[i]!, visit);
      }
    }
  }
}

/**
 * The same for events with arrays of objects: a partial match carries the array elements it
 * has committed to, and may only continue with leaves from compatible elements.
 */
export function walkWithTrails(starts: readonly Start[], event: EventView, epoch: number, out: string[]): void {
  const stack: Start[] = [];
  const seen = new Set<string>();
  const ids = new Map<State, number>();
  const push = (state: State, trail: ArrayTrail | null): void => {
    let id = ids.get(state);
    if (id === undefined) ids.set(state, (id = ids.size));
    const key = trail === null ? `${id}` : `${id}:${trail.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    stack.push({ state, trail });
  };
  for (const s of starts) push(s.state, s.trail);
  let current: ArrayTrail | null = null;
  const visit = (edge: Edge, leaf: Leaf | null): void => {
    const leafTrail = leaf === null ? null : leaf.trail;
    if (!trailsCompatible(current, leafTrail)) return;
    const merged = mergeTrails(current, leafTrail);
    push(edge.next, merged !== null && merged.length === 0 ? null : merged);
  };
  while (stack.length > 0) {
    const { state, trail } = stack.pop()!;
    current = trail;
    // A state may be reached with several element choices here: always dedupe.
    if (state.accepts !== null) report(state.accepts, epoch, out, true);
    for (const tr of state.transitions) {
      const leaves = event.leavesAt(tr.path);
      if (leaves === null || (tr.absent.length > 0 && !anyCompatible(leaves, trail))) {
        // Absent, or present only in array elements this partial match has ruled out.
        for (const e of tr.absent) visit(e, null);
      }
      if (leaves !== null) {
        for (let i = 0; i < leaves.length; i++) tr.index.collect(leaves[i]!, visit);
      }
    }
  }
}

function anyCompatible(leaves: Leaf[], trail: ArrayTrail | null): boolean {
  for (const leaf of leaves) if (trailsCompatible(trail, leaf.trail)) return true;
  return false;
}

function report(accepts: RuleEntry[], epoch: number, out: string[], dedupeAll: boolean): void {
  for (let i = 0; i < accepts.length; i++) {
    const entry = accepts[i]!;
    if (entry.multi || dedupeAll) {
      if (entry.mark === epoch) continue;
      entry.mark = epoch;
    }
    out.push(entry.name);
  }
}
