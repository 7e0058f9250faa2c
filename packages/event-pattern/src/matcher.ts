/**
 * Many patterns, one automaton. Each pattern branch is a list of field conditions put in a
 * canonical order (exact-value fields first, scans last); branches are inserted into a tree of
 * states whose edges are "this field matches this match list". Branches with a common start
 * share states, and each transition indexes its edges by value (see ValueIndex), so matching an
 * event costs about one hash lookup per event field the patterns use — not one per rule.
 *
 * Adding or removing a rule touches only the states of its own branches.
 */
import { compilePattern, DEFAULT_LIMITS, type CompileLimits, type FieldCondition } from './compile-pattern.js';
import { readEventObject, readEventText, type LeafSink } from './event-reader.js';
import { mergeTrails, trailsCompatible, type ArrayTrail, type Leaf } from './leaf.js';
import { acceptsAbsence } from './evaluate.js';
import { canonicalOrder } from './condition-order.js';
import { ValueIndex } from './value-index.js';
import { patternText, type Pattern, type EventInput } from './inputs.js';

interface RuleEntry {
  readonly name: string;
  mark: number;
}

class State {
  readonly transitions: Transition[] = [];
  /** Rules whose branch ends here, with how many of their branches do. */
  readonly accepts = new Map<RuleEntry, number>();
}

class Transition {
  readonly edges = new Map<string, Edge>();
  readonly index = new ValueIndex<Edge>();
  absent: Edge[] = [];
  constructor(readonly path: PathNode) {}
}

class Edge {
  mark = -1;
  refs = 0;
  readonly next = new State();
  constructor(readonly condition: FieldCondition, readonly owner: Transition) {}
}

/** A node of the tree of dotted paths the patterns use; `id >= 0` where a path ends. */
class PathNode {
  readonly children = new Map<string, PathNode>();
  id = -1;
  refs = 0;
}

/** Options for a Matcher. */
export interface MatcherOptions {
  /** Limits applied when patterns are compiled (defaults: AWS's). */
  readonly limits?: CompileLimits;
}

/**
 * A set of named event patterns compiled into one automaton.
 *
 * Concurrency contract: a Matcher is synchronous and not reentrant — `match()` reuses scratch
 * buffers, so it must not be called from inside itself; in Node's single thread that is
 * automatically true. `add`/`remove` may be interleaved freely with `match` calls.
 */
export class Matcher {
  private readonly root = new State();
  private readonly pathRoot = new PathNode();
  private readonly paths: PathNode[] = [];
  private readonly freePathIds: number[] = [];
  private readonly rules = new Map<string, { entry: RuleEntry; branches: Edge[][] }>();
  private readonly limits: CompileLimits;
  private epoch = 0;
  // Per-event scratch, indexed by path id.
  private leaves: Leaf[][] = [];
  private leafEpoch: number[] = [];
  private hasTrails = false;

  constructor(options: MatcherOptions = {}) {
    this.limits = options.limits ?? DEFAULT_LIMITS;
  }

  /** Number of rules. */
  get size(): number {
    return this.rules.size;
  }

  has(name: string): boolean {
    return this.rules.has(name);
  }

  /**
   * Adds a rule, replacing any rule of the same name. Throws PatternError (with AWS's reason
   * text) if the pattern is invalid; the Matcher is unchanged in that case.
   */
  add(name: string, pattern: Pattern): void {
    const branches = compilePattern(patternText(pattern), this.limits);
    if (this.rules.has(name)) this.remove(name);
    const entry: RuleEntry = { name, mark: -1 };
    const paths = branches.map((b) => this.insert(canonicalOrder(b), entry));
    this.rules.set(name, { entry, branches: paths });
  }

  /** Removes a rule; returns whether it existed. */
  remove(name: string): boolean {
    const rule = this.rules.get(name);
    if (!rule) return false;
    this.rules.delete(name);
    for (const edges of rule.branches) {
      const last = edges.length > 0 ? edges[edges.length - 1]!.next : this.root;
      const n = (last.accepts.get(rule.entry) ?? 1) - 1;
      if (n > 0) last.accepts.set(rule.entry, n);
      else last.accepts.delete(rule.entry);
      for (const edge of edges) this.release(edge);
    }
    return true;
  }

  /** Names of the rules that match the event (JSON text or a parsed object), in no set order. */
  match(event: EventInput): string[] {
    const epoch = ++this.epoch;
    this.hasTrails = false;
    if (typeof event === 'string') readEventText(event, this.pathRoot, this.sink);
    else readEventObject(event, this.pathRoot, this.sink);
    const out: string[] = [];
    if (this.hasTrails) this.walkWithTrails(epoch, out);
    else this.walk(epoch, out);
    return out;
  }

  // ---- building ----

  private insert(conditions: FieldCondition[], entry: RuleEntry): Edge[] {
    let state = this.root;
    const edges: Edge[] = [];
    for (const cond of conditions) {
      const path = this.pathFor(cond.path);
      let tr = state.transitions.find((t) => t.path === path);
      if (!tr) {
        tr = new Transition(path);
        state.transitions.push(tr);
        path.refs++;
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
    state.accepts.set(entry, (state.accepts.get(entry) ?? 0) + 1);
    return edges;
  }

  private release(edge: Edge): void {
    if (--edge.refs > 0) return;
    const tr = edge.owner;
    tr.edges.delete(edge.condition.key);
    for (const t of edge.condition.tests) tr.index.remove(t, edge);
    tr.absent = tr.absent.filter((e) => e !== edge);
    if (tr.edges.size === 0) this.dropTransition(tr);
  }

  private dropTransition(tr: Transition): void {
    // Find the state holding it: the root or the `next` of some edge. Walk from the root;
    // removal is rare next to matching, so no parent pointers are kept on the hot path.
    const stack = [this.root];
    while (stack.length > 0) {
      const s = stack.pop()!;
      const i = s.transitions.indexOf(tr);
      if (i >= 0) {
        s.transitions.splice(i, 1);
        this.releasePath(tr.path);
        return;
      }
      for (const t of s.transitions) for (const e of t.edges.values()) stack.push(e.next);
    }
  }

  private pathFor(path: string): PathNode {
    let node = this.pathRoot;
    for (const part of path.split('.')) {
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = new PathNode()));
      node = child;
    }
    if (node.id < 0) {
      node.id = this.freePathIds.pop() ?? this.paths.length;
      this.paths[node.id] = node;
      this.leaves[node.id] = [];
      this.leafEpoch[node.id] = -1;
    }
    return node;
  }

  private releasePath(node: PathNode): void {
    if (--node.refs > 0 || node.id < 0) return;
    this.freePathIds.push(node.id);
    node.id = -1;
    // Empty branches of the path tree stay; they cost a Map entry each and are reused.
  }

  // ---- matching ----

  private readonly sink: LeafSink<PathNode> = {
    child: (parent, key) => {
      const direct = parent.children.get(key);
      if (direct !== undefined) return direct;
      if (key.indexOf('.') < 0) return null;
      // A dotted member name in the event addresses the same path as nested objects.
      let node: PathNode | undefined = parent;
      for (const part of key.split('.')) {
        node = node.children.get(part);
        if (!node) return null;
      }
      return node;
    },
    emit: (node, leaf) => {
      const id = node.id;
      if (id < 0) return;
      if (leaf.trail !== null) this.hasTrails = true;
      if (this.leafEpoch[id] !== this.epoch) {
        this.leafEpoch[id] = this.epoch;
        const list = this.leaves[id]!;
        list.length = 0;
        list.push(leaf);
      } else {
        this.leaves[id]!.push(leaf);
      }
    },
  };

  private leavesAt(path: PathNode): Leaf[] | null {
    const id = path.id;
    return this.leafEpoch[id] === this.epoch ? this.leaves[id]! : null;
  }

  /** The common case: no arrays in the used fields, so no consistency to track. */
  private walk(epoch: number, out: string[]): void {
    const stack: State[] = [this.root];
    const visit = (edge: Edge): void => {
      if (edge.mark === epoch) return;
      edge.mark = epoch;
      stack.push(edge.next);
    };
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (s.accepts.size > 0) this.report(s, epoch, out);
      for (const tr of s.transitions) {
        const leaves = this.leavesAt(tr.path);
        if (leaves === null) {
          for (const e of tr.absent) visit(e);
        } else {
          for (let i = 0; i < leaves.length; i++) tr.index.collect(leaves[i]!, visit);
        }
      }
    }
  }

  /** Events with arrays: a partial match carries the array elements it has committed to. */
  private walkWithTrails(epoch: number, out: string[]): void {
    const stack: { state: State; trail: ArrayTrail | null }[] = [{ state: this.root, trail: null }];
    const seen = new Set<string>();
    let current: ArrayTrail | null = null;
    const visit = (edge: Edge, leaf: Leaf | null): void => {
      const leafTrail = leaf?.trail ?? null;
      if (!trailsCompatible(current, leafTrail)) return;
      const trail = mergeTrails(current, leafTrail);
      if (trail === null || trail.length === 0) {
        if (edge.mark === epoch) return;
        edge.mark = epoch;
      } else {
        const key = `${edgeId(edge)}:${trail.join(',')}`;
        if (seen.has(key)) return;
        seen.add(key);
      }
      stack.push({ state: edge.next, trail });
    };
    while (stack.length > 0) {
      const { state, trail } = stack.pop()!;
      current = trail;
      if (state.accepts.size > 0) this.report(state, epoch, out);
      for (const tr of state.transitions) {
        const leaves = this.leavesAt(tr.path);
        if (leaves === null || (tr.absent.length > 0 && !anyCompatible(leaves, trail))) {
          // Absent, or present only in array elements this partial match has ruled out.
          for (const e of tr.absent) visit(e, null);
        }
        if (leaves !== null) {
          for (let i = 0; i < leaves.length; i++) tr.index.collect(leaves[i]!, visit);
        }
        current = trail;
      }
    }
  }

  private report(state: State, epoch: number, out: string[]): void {
    for (const entry of state.accepts.keys()) {
      if (entry.mark === epoch) continue;
      entry.mark = epoch;
      out.push(entry.name);
    }
  }
}

function anyCompatible(leaves: Leaf[], trail: ArrayTrail | null): boolean {
  for (const leaf of leaves) if (trailsCompatible(trail, leaf.trail)) return true;
  return false;
}

const edgeIds = new WeakMap<Edge, number>();
let nextEdgeId = 0;
function edgeId(edge: Edge): number {
  let id = edgeIds.get(edge);
  if (id === undefined) edgeIds.set(edge, (id = nextEdgeId++));
  return id;
}
