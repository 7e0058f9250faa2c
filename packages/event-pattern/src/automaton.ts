/**
 * The residual automaton: a tree of states whose edges are "this field matches this match
 * list". Branches with a common start share states. Walking it is in walk.ts.
 *
 * A transition (the edges leaving one state on one path) is decided in one of two ways, by size:
 * - few edges (the common case after exact dispatch: a key's own rule or two): each edge by its
 *   shared Condition, answered once per event from an object that stays in cache;
 * - many edges (one state fanning out to thousands of prefixes, ranges, …): through a
 *   ValueIndex, which finds the accepting edges of a leaf by lookups instead of a pass.
 */
import type { FieldCondition } from './compile-pattern.js';
import type { Condition, ConditionTable } from './condition.js';
import type { Leaf, Visitor } from './leaf.js';
import type { PathNode } from './path-node.js';
import { ValueIndex } from './value-index.js';

/** Most edges a transition decides one by one; past this it builds a ValueIndex. */
export const SMALL_TRANSITION = 4;

const NO_TRANSITIONS: Transition[] = [];
const NO_EDGES: Edge[] = [];

export class State {
  /** Shared empty array until the first transition: most states are leaves. */
  transitions: Transition[] = NO_TRANSITIONS;
  /** The edges of the small transitions, decided by their conditions (derived from `transitions`). */
  direct: Edge[] = NO_EDGES;
  /** The transitions with a ValueIndex (derived from `transitions`). */
  indexed: Transition[] = NO_TRANSITIONS;
  /** Ids of the rules whose branch ends here (rule-reports.ts), once per branch that does. */
  accepts: number[] | null = null;
  /** Epoch of the last event whose walk reached this state. */
  mark = -1;

  get empty(): boolean {
    return this.transitions.length === 0 && this.accepts === null;
  }

  accept(rule: number, delta: 1 | -1): void {
    if (delta > 0) {
      (this.accepts ??= []).push(rule);
    } else if (this.accepts) {
      const i = this.accepts.indexOf(rule);
      if (i >= 0) this.accepts.splice(i, 1);
      if (this.accepts.length === 0) this.accepts = null;
    }
  }

  /** Recomputes the walk's views after a transition gained or lost edges. */
  refresh(): void {
    const direct: Edge[] = [];
    const indexed: Transition[] = [];
    for (const tr of this.transitions) {
      if (tr.index !== null) indexed.push(tr);
      else direct.push(...tr.list);
    }
    this.direct = direct.length > 0 ? direct : NO_EDGES;
    this.indexed = indexed.length > 0 ? indexed : NO_TRANSITIONS;
  }
}

export class Transition {
  readonly edges = new Map<string, Edge>();
  /** The same edges, in an array. */
  list: Edge[] = [];
  /** Edges whose condition holds where the path has no leaf. */
  absent: Edge[] = [];
  /** Present while the transition has more than SMALL_TRANSITION edges. */
  index: ValueIndex<Edge> | null = null;

  constructor(
    readonly path: PathNode,
    readonly from: State,
  ) {}

  add(edge: Edge): void {
    this.edges.set(edge.cond.key, edge);
    this.list = [...this.list, edge];
    if (edge.cond.absentOk) this.absent = [...this.absent, edge];
    if (this.index !== null) addTests(this.index, edge);
    else if (this.list.length > SMALL_TRANSITION) this.index = buildIndex(this.list);
  }

  remove(edge: Edge): void {
    this.edges.delete(edge.cond.key);
    this.list = this.list.filter((e) => e !== edge);
    this.absent = this.absent.filter((e) => e !== edge);
    if (this.list.length <= SMALL_TRANSITION) this.index = null;
    else if (this.index !== null) for (const t of edge.cond.tests) this.index.remove(t, edge);
  }

  /** Calls the visitor for every edge with a test accepting the leaf (possibly more than once). */
  collect(leaf: Leaf, visitor: Visitor<Edge>): void {
    if (this.index !== null) {
      this.index.collect(leaf, visitor);
      return;
    }
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i]!.cond.accepts(leaf)) visitor.visit(list[i]!, leaf);
  }
}

function addTests(index: ValueIndex<Edge>, edge: Edge): void {
  for (const t of edge.cond.tests) index.add(t, edge);
}

function buildIndex(edges: readonly Edge[]): ValueIndex<Edge> {
  const index = new ValueIndex<Edge>();
  for (const e of edges) addTests(index, e);
  return index;
}

export class Edge {
  /** Epoch of the last event whose walk carried out this edge's action. */
  mark = -1;
  refs = 0;
  /** What to do on following the edge (programs.ts): walk `next` (−1), or its subtree's program. */
  action = -1;
  readonly next = new State();
  constructor(
    readonly cond: Condition,
    readonly owner: Transition,
  ) {}
}

/** Adds a chain of conditions below `start`; returns the edges taken (for later release). */
export function insertChain(start: State, conditions: readonly FieldCondition[], table: ConditionTable): Edge[] {
  let state = start;
  const edges: Edge[] = [];
  for (const fc of conditions) {
    const cond = table.acquire(fc);
    let tr = state.transitions.find((t) => t.path === cond.path);
    if (!tr) {
      tr = new Transition(cond.path, state);
      state.transitions = [...state.transitions, tr];
    }
    let edge = tr.edges.get(cond.key);
    if (edge) {
      table.release(cond); // the existing edge holds the condition already
    } else {
      edge = new Edge(cond, tr);
      tr.add(edge);
      state.refresh();
    }
    edge.refs++;
    edges.push(edge);
    state = edge.next;
  }
  return edges;
}

/** Undoes one insertChain: edges no branch uses any more leave their transitions. */
export function releaseChain(edges: readonly Edge[], table: ConditionTable): void {
  for (const edge of edges) {
    if (--edge.refs > 0) continue;
    const tr = edge.owner;
    const from = tr.from;
    tr.remove(edge);
    if (tr.edges.size === 0) {
      const rest = from.transitions.filter((t) => t !== tr);
      from.transitions = rest.length > 0 ? rest : NO_TRANSITIONS;
    }
    from.refresh();
    table.release(edge.cond);
  }
}
