/**
 * Many patterns, one machine, in two stages:
 *
 * 1. Exact dispatch (exact-dispatch.ts). The exact-value conditions of a branch (strings,
 *    numbers, literals) are folded into one key over their paths — its Signature. For an event,
 *    each value at those paths becomes an id with one probe, and each signature whose values
 *    are all known costs one more, landing on the state where the branches with those values
 *    continue. Realistic rule sets have a handful of signatures however many rules they hold,
 *    so this stage does not grow with the rule count.
 * 2. The residual automaton (automaton.ts, walk.ts) decides the remaining conditions —
 *    prefixes, ranges, anything-but, exists, … — and reports the rules.
 *
 * Adding or removing a rule touches only its own keys and states.
 */
import { compilePattern, DEFAULT_LIMITS, type Branch, type CompileLimits, type FieldCondition } from './compile-pattern.js';
import { readEventObject } from './event-reader.js';
import { readEventText } from './json-scanner.js';
import { canonicalOrder } from './condition-order.js';
import { exactParts } from './exact-key.js';
import { insertChain, releaseChain, State, type Edge } from './automaton.js';
import { RuleReports } from './rule-reports.js';
import { Programs, WALK } from './programs.js';
import { ConditionTable } from './condition.js';
import { ExactDispatch, type Key } from './exact-dispatch.js';
import { TrailWalker, Walker, type Start } from './walk.js';
import { PathTree } from './path-tree.js';
import { patternText, type EventInput, type Pattern } from './inputs.js';

/** Most keys one branch may put into a signature (the product of its exact alternatives). */
const MAX_KEYS_PER_BRANCH = 64;

/** One way a rule is in the machine: its exact key (null: from the root) and residual chain. */
interface Placement {
  readonly key: Key | null;
  readonly start: State;
  readonly edges: Edge[];
}

/** Options for a Matcher. */
export interface MatcherOptions {
  /** Limits applied when patterns are compiled (defaults: AWS's). */
  readonly limits?: CompileLimits;
}

/**
 * A set of named event patterns compiled into one machine.
 *
 * Concurrency contract: a Matcher is synchronous and not reentrant — `match()` reuses scratch
 * buffers, so it must not be called from inside itself; in Node's single thread that is
 * automatically true. `add`/`remove` may be interleaved freely with `match` calls.
 */
export class Matcher {
  private readonly root = new State();
  private readonly tree = new PathTree();
  private readonly conditions = new ConditionTable(this.tree);
  private readonly reports = new RuleReports();
  private readonly programs = new Programs(this.conditions, this.reports);
  private readonly walker = new Walker(this.reports, this.programs);
  private readonly trailWalker = new TrailWalker(this.reports);
  /** Scratch: the states the walk of the current event starts from (the root, then dispatch's). */
  private readonly starts: State[] = [];
  private readonly exact = new ExactDispatch(this.tree, this.programs);
  private readonly rules = new Map<string, { id: number; placements: Placement[] }>();
  private readonly limits: CompileLimits;

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
    this.remove(name);
    const id = this.reports.add(name);
    const placements = branches.flatMap((b) => this.place(b, id));
    // One placement means one way to reach the rule: no need to dedupe its reports. Otherwise
    // the programs just compiled must learn the rule's new report code.
    if (placements.length > 1) {
      this.reports.setMulti(id, true);
      for (const p of placements) this.recompile(p);
    }
    this.rules.set(name, { id, placements });
  }

  /** Removes a rule; returns whether it existed. */
  remove(name: string): boolean {
    const rule = this.rules.get(name);
    if (!rule) return false;
    this.rules.delete(name);
    for (const p of rule.placements) {
      const end = p.edges.length > 0 ? p.edges[p.edges.length - 1]!.next : p.start;
      end.accept(rule.id, -1);
      releaseChain(p.edges, this.conditions);
      for (const e of p.edges) this.setEdgeAction(e, e.refs > 0 ? this.programs.compile(e.next) : WALK);
      if (p.key !== null) this.exact.leave(p.key);
    }
    this.reports.remove(rule.id);
    return true;
  }

  /** Names of the rules that match the event (JSON text or a parsed object), in no set order. */
  match(event: EventInput): string[] {
    const tree = this.tree;
    const epoch = tree.begin();
    if (typeof event === 'string') readEventText(event, tree.root, tree.sink);
    else readEventObject(event, tree.root, tree.sink);
    const out: string[] = [];
    if (tree.hasTrails) {
      const starts: Start[] = this.root.empty ? [] : [{ state: this.root, trail: null }];
      this.exact.lookupWithTrails(starts);
      this.trailWalker.run(starts, tree, epoch, out);
    } else {
      let count = 0;
      if (!this.root.empty) this.starts[count++] = this.root;
      count = this.exact.lookup(this.starts, count, epoch, out);
      this.walker.run(this.starts, count, tree, epoch, out);
    }
    return out;
  }

  // ---- building ----

  /** Puts one branch into the machine: its exact part as signature keys, the rest as chains. */
  private place(branch: Branch, rule: number): Placement[] {
    const ordered = canonicalOrder(branch);
    const exact = new Map<FieldCondition, string[]>();
    for (const c of ordered) {
      const parts = exactParts(c);
      if (parts) exact.set(c, parts);
    }
    // Keep the key count bounded: the widest exact conditions are decided by the automaton instead.
    let product = [...exact.values()].reduce((n, parts) => n * parts.length, 1);
    while (product > MAX_KEYS_PER_BRANCH) {
      const [widest, parts] = [...exact].reduce((a, b) => (b[1].length > a[1].length ? b : a));
      exact.delete(widest);
      product /= parts.length;
    }
    const residual = ordered.filter((c) => !exact.has(c));
    if (exact.size === 0) return [this.chain(null, this.root, residual, rule)];
    const keyed = [...exact].sort(([a], [b]) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const paths = keyed.map(([c]) => c.path);
    return combinations(keyed.map(([, parts]) => parts)).map((parts) => {
      const key = this.exact.enter(paths, parts);
      return this.chain(key, key.state, residual, rule);
    });
  }

  private chain(key: Key | null, start: State, residual: FieldCondition[], rule: number): Placement {
    const edges = insertChain(start, residual, this.conditions);
    (edges.length > 0 ? edges[edges.length - 1]!.next : start).accept(rule, 1);
    const placement = { key, start, edges };
    this.recompile(placement);
    return placement;
  }

  /** Recompiles the actions of a placement's key and edges: their subtrees hold its rule. */
  private recompile(p: Placement): void {
    for (const e of p.edges) this.setEdgeAction(e, this.programs.compile(e.next));
    if (p.key !== null) this.exact.refresh(p.key);
  }

  private setEdgeAction(e: Edge, action: number): void {
    this.programs.release(e.action);
    e.action = action;
  }
}

/** Every way of picking one element from each list (the cross product). */
function combinations<T>(lists: readonly (readonly T[])[]): T[][] {
  let out: T[][] = [[]];
  for (const list of lists) {
    const next: T[][] = [];
    for (const prefix of out) for (const x of list) next.push([...prefix, x]);
    out = next;
  }
  return out;
}
