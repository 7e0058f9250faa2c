/**
 * Many patterns, one machine, in two stages:
 *
 * 1. Exact dispatch. The exact-value conditions of a branch (strings, numbers, literals) are
 *    folded into one key over their paths — its Signature. For an event, each signature whose
 *    paths the event has costs one hash lookup, which lands on the state where the branches
 *    with those values continue. Realistic rule sets have a handful of signatures however many
 *    rules they hold, so this stage does not grow with the rule count.
 * 2. The residual automaton (automaton.ts) decides the remaining conditions — prefixes, ranges,
 *    anything-but, exists, … — indexed per transition, and reports the rules.
 *
 * Adding or removing a rule touches only its own keys and states.
 */
import { compilePattern, DEFAULT_LIMITS, type Branch, type CompileLimits, type FieldCondition } from './compile-pattern.js';
import { readEventObject } from './event-reader.js';
import { readEventText } from './json-scanner.js';
import { mergeTrails, trailsCompatible, type ArrayTrail, type Leaf } from './leaf.js';
import { canonicalOrder } from './condition-order.js';
import { exactParts, joinParts } from './exact-key.js';
import { insertChain, releaseChain, State, walk, walkWithTrails, type Edge, type PathNode, type RuleEntry, type Start } from './automaton.js';
import { Signature } from './signature.js';
import { PathTree } from './path-tree.js';
import { patternText, type EventInput, type Pattern } from './inputs.js';

/** Most keys one branch may put into a signature (the product of its exact alternatives). */
const MAX_KEYS_PER_BRANCH = 64;

interface Placement {
  readonly signature: Signature | null;
  readonly key: string;
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
  private readonly signatures = new Map<string, Signature>();
  /** Signatures by the id of their first path: looked up only when the event has that path. */
  private readonly anchored: Signature[][] = [];
  /** Scratch for one leaf per signature path. */
  private readonly pick: Leaf[] = [];
  private readonly rules = new Map<string, { entry: RuleEntry; placements: Placement[] }>();
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
    const entry: RuleEntry = { name, multi: false, mark: -1 };
    const placements = branches.flatMap((b) => this.place(b, entry));
    // One placement means one way to reach the rule: no need to dedupe its reports.
    entry.multi = placements.length > 1;
    this.rules.set(name, { entry, placements });
  }

  /** Removes a rule; returns whether it existed. */
  remove(name: string): boolean {
    const rule = this.rules.get(name);
    if (!rule) return false;
    this.rules.delete(name);
    for (const p of rule.placements) {
      const end = p.edges.length > 0 ? p.edges[p.edges.length - 1]!.next : p.start;
      end.accept(rule.entry, -1);
      releaseChain(p.edges, this.tree);
      if (p.signature && p.start.empty) this.dropKey(p.signature, p.key);
    }
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
      this.dispatchWithTrails(starts);
      walkWithTrails(starts, tree, epoch, out);
    } else {
      const starts: State[] = this.root.empty ? [] : [this.root];
      this.dispatch(starts);
      walk(starts, tree, epoch, out);
    }
    return out;
  }

  // ---- building ----

  /** Puts one branch into the machine: its exact part as signature keys, the rest as chains. */
  private place(branch: Branch, entry: RuleEntry): Placement[] {
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
    if (exact.size === 0) return [this.chain(null, '', this.root, residual, entry)];
    const keyed = [...exact].sort(([a], [b]) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const signature = this.signatureFor(keyed.map(([c]) => c.path));
    return combinations(keyed.map(([, parts]) => parts)).map((parts) => {
      const key = joinParts(parts);
      return this.chain(signature, key, signature.stateFor(parts, key), residual, entry);
    });
  }

  private chain(signature: Signature | null, key: string, start: State, residual: FieldCondition[], entry: RuleEntry): Placement {
    const edges = insertChain(start, residual, this.tree);
    (edges.length > 0 ? edges[edges.length - 1]!.next : start).accept(entry, 1);
    return { signature, key, start, edges };
  }

  private signatureFor(paths: string[]): Signature {
    const id = paths.join('\u0000');
    let sig = this.signatures.get(id);
    if (!sig) {
      const nodes = paths.map((p) => this.tree.node(p));
      nodes.forEach((n) => this.tree.acquire(n));
      sig = new Signature(id, nodes);
      this.signatures.set(id, sig);
      (this.anchored[nodes[0]!.id] ??= []).push(sig);
    }
    return sig;
  }

  private dropKey(sig: Signature, key: string): void {
    sig.drop(key);
    if (sig.size > 0) return;
    this.signatures.delete(sig.id);
    const anchorId = sig.paths[0]!.id;
    this.anchored[anchorId] = this.anchored[anchorId]!.filter((s) => s !== sig);
    sig.paths.forEach((n) => this.tree.release(n));
  }

  // ---- matching ----

  /** Looks up every signature the event has all paths of (no arrays of objects in play). */
  private dispatch(starts: State[]): void {
    const tree = this.tree;
    const present = tree.present;
    const pick = this.pick;
    for (let p = 0; p < tree.presentCount; p++) {
      const anchored = this.anchored[present[p]!.id];
      if (anchored === undefined) continue;
      for (let s = 0; s < anchored.length; s++) {
        const sig = anchored[s]!;
        const paths = sig.paths;
        let single = true;
        let found = true;
        for (let i = 0; i < paths.length; i++) {
          const leaves = tree.leavesAt(paths[i]!);
          if (leaves === null) {
            found = false;
            break;
          }
          if (leaves.length !== 1) single = false;
          pick[i] = leaves[0]!;
        }
        if (!found) continue;
        if (single) {
          const state = sig.lookup(pick, paths.length);
          if (state) starts.push(state);
        } else {
          for (const combo of combinations(this.leafLists(sig)!)) {
            const state = sig.lookup(combo, combo.length);
            if (state) starts.push(state);
          }
        }
      }
    }
  }

  /** The same, combining only leaves from compatible array elements. */
  private dispatchWithTrails(starts: Start[]): void {
    for (const node of this.tree.present.slice(0, this.tree.presentCount)) {
      for (const sig of this.anchored[node.id] ?? []) {
        const lists = this.leafLists(sig);
        if (lists === null) continue;
        const choose = (i: number, parts: Leaf[], trail: ArrayTrail | null): void => {
          if (i === lists.length) {
            const state = sig.lookup(parts, parts.length);
            if (state) starts.push({ state, trail: trail !== null && trail.length === 0 ? null : trail });
            return;
          }
          for (const leaf of lists[i]!) {
            if (!trailsCompatible(trail, leaf.trail)) continue;
            parts.push(leaf);
            choose(i + 1, parts, mergeTrails(trail, leaf.trail));
            parts.pop();
          }
        };
        choose(0, [], null);
      }
    }
  }

  private leafLists(sig: Signature): Leaf[][] | null {
    const lists: Leaf[][] = [];
    for (const node of sig.paths) {
      const leaves = this.tree.leavesAt(node);
      if (leaves === null) return null;
      lists.push(leaves);
    }
    return lists;
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
