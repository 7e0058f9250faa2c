/**
 * Field conditions as the Matcher holds them: one object per distinct (path, match list), shared
 * by every rule and every automaton edge that uses it.
 *
 * Sharing is what keeps a large rule set cheap on a stream of distinct events. After exact
 * dispatch, thousands of states (one per account, per image id, …) typically continue with the
 * same few conditions — `"detail-type": [{"equals-ignore-case": …}]`, `"source": [{"prefix":
 * …}]`. Decided through the shared Condition, each is worked out once per event, from an object
 * that stays in cache, instead of through a per-state index that is cold for each new event.
 */
import type { FieldCondition } from './compile-pattern.js';
import { acceptsAbsence } from './evaluate.js';
import type { Leaf } from './leaf.js';
import type { PathNode } from './path-node.js';
import { testAccepts, type ValueTest } from './value-test.js';

/** What deciding a condition needs to know about the event. */
export interface EventView {
  /** The first leaf at a path in this event (the others follow through `next`), or null when it has none. */
  leavesAt(path: PathNode): Leaf | null;
}

export class Condition {
  readonly tests: readonly ValueTest[];
  /** Identity of the match list (FieldCondition.key): equal lists, equal keys. */
  readonly key: string;
  /** Whether the condition holds where its path has no leaf (`exists: false`). */
  readonly absentOk: boolean;
  /** Edges holding this condition. */
  refs = 0;
  // The answer for the current event, valid when `mark` is its epoch.
  private mark = -1;
  private answer = false;

  /**
   * @param id small integer naming the condition in programs (programs.ts)
   * @param name the interning key: path and match list
   */
  constructor(
    readonly id: number,
    readonly name: string,
    readonly path: PathNode,
    source: FieldCondition,
  ) {
    this.tests = source.tests;
    this.key = source.key;
    this.absentOk = acceptsAbsence(source);
  }

  /** Whether one leaf passes one of the alternatives. */
  accepts(leaf: Leaf): boolean {
    const tests = this.tests;
    for (let i = 0; i < tests.length; i++) if (testAccepts(tests[i]!, leaf)) return true;
    return false;
  }

  /**
   * Whether the condition holds in the event — some leaf at its path passes, or there is none
   * and absence is accepted — worked out once per event. Only for events without arrays of
   * objects on the rules' paths: with them, the answer depends on the array elements a partial
   * match has committed to.
   */
  holds(event: EventView, epoch: number): boolean {
    if (this.mark === epoch) return this.answer;
    this.mark = epoch;
    let answer = false;
    const first = event.leavesAt(this.path);
    if (first === null) answer = this.absentOk;
    else for (let leaf: Leaf | null = first; leaf !== null && !answer; leaf = leaf.next) answer = this.accepts(leaf);
    return (this.answer = answer);
  }
}

/** Where conditions get their path nodes; a condition holds one reference to its node. */
export interface PathRegistry {
  node(path: string): PathNode;
  acquire(node: PathNode): void;
  release(node: PathNode): void;
}

/** The Matcher's conditions, interned by path and match list, with reference counts and ids. */
export class ConditionTable {
  private readonly byName = new Map<string, Condition>();
  /** Conditions by id (null: a free id). */
  readonly byId: (Condition | null)[] = [];
  private readonly free: number[] = [];

  constructor(private readonly paths: PathRegistry) {}

  /** The shared Condition for a compiled one; the caller holds a reference until `release`. */
  acquire(source: FieldCondition): Condition {
    const name = `${source.path}\u0000${source.key}`;
    let cond = this.byName.get(name);
    if (cond === undefined) {
      const node = this.paths.node(source.path);
      this.paths.acquire(node);
      cond = new Condition(this.free.pop() ?? this.byId.length, name, node, source);
      this.byName.set(name, cond);
      this.byId[cond.id] = cond;
    }
    cond.refs++;
    return cond;
  }

  release(cond: Condition): void {
    if (--cond.refs > 0) return;
    this.byName.delete(cond.name);
    this.byId[cond.id] = null;
    this.free.push(cond.id);
    this.paths.release(cond.path);
  }
}
