/**
 * Programs: what is left to decide below a state, written out as ints — used for the state an
 * exact key leads to and for the state behind each automaton edge.
 *
 * Such a state usually has a small subtree — a rule, maybe a condition or two before it.
 * Walking it means reading the State, its edge list, each Edge and the next State: objects
 * scattered over the heap, so on a stream of distinct events each is a cache and TLB miss. A
 * program lists the same thing as one short run of ints — for every rule the subtree reports,
 * the conditions on the way to it — so reaching the state costs one read of the program; its
 * conditions are the shared, cache-resident ones (condition.ts).
 *
 * An action says what to do on reaching a state: WALK it (its subtree is too big for a program,
 * or fans out through an index), report ONE rule and nothing else (`ONE − code`), or run the
 * program at an offset (≥ 0). Program layout: the entry count, then per entry its condition
 * count `n`, `n` condition ids and the rule's report code (rule-reports.ts). Semantics are the
 * walk's: with no arrays of objects in play, the walk follows an edge exactly when its condition
 * holds, so it reports a rule exactly when every condition on the path to it holds.
 */
import type { State } from './automaton.js';
import type { ConditionTable, EventView } from './condition.js';
import { ProgramArena } from './program-arena.js';
import type { RuleReports } from './rule-reports.js';

/** Action: walk the state. */
export const WALK = -1;
/** Action reporting the rule with report code `c` and nothing else: `ONE − c` (always below WALK). */
export const ONE = -2;

/** Most ints in a program; a bigger subtree is walked (it is shared by many events, so cached). */
const MAX_PROGRAM = 31;

export class Programs {
  private readonly arena = new ProgramArena();

  constructor(
    private readonly conditions: ConditionTable,
    private readonly rules: RuleReports,
  ) {}

  /** The action for a state, as its subtree is now. Release it when replacing it. */
  compile(start: State): number {
    const program = [0];
    let entries = 0;
    const path: number[] = [];
    const visit = (s: State): boolean => {
      if (s.accepts !== null) {
        for (const rule of s.accepts) program.push(path.length, ...path, this.rules.code(rule));
        entries += s.accepts.length;
      }
      if (program.length > MAX_PROGRAM) return false;
      for (const tr of s.transitions) {
        // Many edges on one path are decided through the transition's index, not one by one.
        if (tr.index !== null) return false;
        for (const e of tr.list) {
          path.push(e.cond.id);
          if (!visit(e.next)) return false;
          path.pop();
        }
      }
      return true;
    };
    if (!visit(start)) return WALK;
    // One rule, no conditions: the action names the rule itself.
    if (entries === 1 && program[1] === 0) return ONE - program[2]!;
    program[0] = entries;
    return this.arena.store(program);
  }

  release(action: number): void {
    if (action >= 0) this.arena.release(action);
  }

  /** Carries out an action other than WALK: reports each rule whose conditions all hold in the event. */
  run(action: number, event: EventView, epoch: number, out: string[]): void {
    if (action <= ONE) {
      this.rules.report(ONE - action, epoch, out);
      return;
    }
    const code = this.arena.code;
    const conditions = this.conditions.byId;
    let at = action + 1;
    for (let entries = code[action]!; entries > 0; entries--) {
      const end = at + 1 + code[at]!;
      let holds = true;
      for (let i = at + 1; i < end && holds; i++) holds = conditions[code[i]!]!.holds(event, epoch);
      if (holds) this.rules.report(code[end]!, epoch, out);
      at = end + 1;
    }
  }
}
