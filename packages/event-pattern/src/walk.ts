/**
 * Walking the residual automaton (automaton.ts) for one event, from the states exact dispatch
 * reached: every state reached reports its rules.
 *
 * Two walkers. `Walker` serves events without arrays of objects on the rules' paths — nearly all
 * of them — and allocates nothing: its stack is reused, states are deduplicated by epoch marks,
 * and small transitions are decided by their shared conditions. `TrailWalker` serves the others:
 * there a partial match carries the array elements it has committed to, and may only continue
 * with leaves from compatible elements.
 */
import type { EventView } from './condition.js';
import { mergeTrails, trailsCompatible, type ArrayTrail, type Leaf } from './leaf.js';
import type { Edge, State } from './automaton.js';
import type { RuleReports } from './rule-reports.js';
import { WALK, type Programs } from './programs.js';
import type { Visitor } from './leaf.js';

export class Walker implements Visitor<Edge> {
  private readonly stack: State[] = [];
  private top = 0;
  private epoch = -1;
  private event: EventView | null = null;
  private out: string[] = [];

  constructor(
    private readonly rules: RuleReports,
    private readonly programs: Programs,
  ) {}

  /** Walks from `starts[0 … count)`; pushes each matching rule's name once. */
  run(starts: readonly State[], count: number, event: EventView, epoch: number, out: string[]): void {
    this.epoch = epoch;
    this.event = event;
    this.out = out;
    this.top = 0;
    for (let i = 0; i < count; i++) this.push(starts[i]!);
    while (this.top > 0) {
      const s = this.stack[--this.top]!;
      const accepts = s.accepts;
      if (accepts !== null) for (let i = 0; i < accepts.length; i++) this.rules.report(this.rules.code(accepts[i]!), epoch, out);
      const direct = s.direct;
      for (let i = 0; i < direct.length; i++) {
        const e = direct[i]!;
        if (e.cond.holds(event, epoch)) this.visit(e);
      }
      const indexed = s.indexed;
      for (let k = 0; k < indexed.length; k++) {
        const tr = indexed[k]!;
        const first = event.leavesAt(tr.path);
        if (first === null) {
          const absent = tr.absent;
          for (let i = 0; i < absent.length; i++) this.visit(absent[i]!);
        } else {
          for (let leaf: Leaf | null = first; leaf !== null; leaf = leaf.next) tr.index!.collect(leaf, this);
        }
      }
    }
  }

  /** Follows an edge: walks on from its state, or carries out its program (once per event). */
  visit(edge: Edge): void {
    const action = edge.action;
    if (action === WALK) {
      this.push(edge.next);
    } else if (edge.mark !== this.epoch) {
      edge.mark = this.epoch;
      this.programs.run(action, this.event!, this.epoch, this.out);
    }
  }

  private push(s: State): void {
    if (s.mark === this.epoch) return;
    s.mark = this.epoch;
    this.stack[this.top++] = s;
  }
}

/** A place to start walking, with the array elements already committed to. */
export interface Start {
  readonly state: State;
  readonly trail: ArrayTrail | null;
}

export class TrailWalker implements Visitor<Edge> {
  private stack: Start[] = [];
  private seen = new Set<string>();
  private ids = new Map<State, number>();
  private current: ArrayTrail | null = null;

  constructor(private readonly rules: RuleReports) {}

  run(starts: readonly Start[], event: EventView, epoch: number, out: string[]): void {
    this.stack = [];
    this.seen = new Set();
    this.ids = new Map();
    for (const s of starts) this.push(s.state, s.trail);
    while (this.stack.length > 0) {
      const { state, trail } = this.stack.pop()!;
      this.current = trail;
      // A state may be reached with several element choices here: always dedupe.
      if (state.accepts !== null) for (const rule of state.accepts) this.rules.reportOnce(rule, epoch, out);
      for (const tr of state.transitions) {
        const leaves = event.leavesAt(tr.path);
        if (leaves === null || (tr.absent.length > 0 && !anyCompatible(leaves, trail))) {
          // Absent, or present only in array elements this partial match has ruled out.
          for (const e of tr.absent) this.visit(e, null);
        }
        for (let leaf: Leaf | null = leaves; leaf !== null; leaf = leaf.next) tr.collect(leaf, this);
      }
    }
  }

  visit(edge: Edge, leaf: Leaf | null): void {
    const leafTrail = leaf === null ? null : leaf.trail;
    if (!trailsCompatible(this.current, leafTrail)) return;
    const merged = mergeTrails(this.current, leafTrail);
    this.push(edge.next, merged !== null && merged.length === 0 ? null : merged);
  }

  private push(state: State, trail: ArrayTrail | null): void {
    let id = this.ids.get(state);
    if (id === undefined) this.ids.set(state, (id = this.ids.size));
    const key = trail === null ? `${id}` : `${id}:${trail.join(',')}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.stack.push({ state, trail });
  }
}

function anyCompatible(leaves: Leaf | null, trail: ArrayTrail | null): boolean {
  for (let leaf = leaves; leaf !== null; leaf = leaf.next) if (trailsCompatible(trail, leaf.trail)) return true;
  return false;
}
