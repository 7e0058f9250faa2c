/**
 * Key programs: what is left to decide after an exact key was found, written out as ints.
 *
 * The state an exact key leads to usually has a small subtree — the key's own rule, maybe a
 * condition or two before it. Walking it means reading the State, its edge list, each Edge and
 * the next State: objects scattered over the heap, so on a stream of distinct events each is a
 * cache and TLB miss. A program lists the same thing as one short run of ints — for every rule
 * the subtree reports, the conditions on the way to it — so a key found costs one read of the
 * program; its conditions are the shared, cache-resident ones (condition.ts).
 *
 * Layout at `offset` in the arena: the entry count, then per entry its condition count `n`,
 * `n` condition ids and the rule id. Semantics are the walk's: with no arrays of objects in play,
 * the walk follows an edge exactly when its condition holds, so it reports a rule exactly when
 * every condition on the path to it holds.
 */
import type { State } from './automaton.js';
import type { Condition, EventView } from './condition.js';
import type { RuleReports } from './rule-reports.js';

/** Most ints in a program; a bigger subtree is walked (it is shared by many events, so cached). */
export const MAX_PROGRAM = 31;

/** The program of a key's subtree, or null when it is too big or needs an index to decide. */
export function compileProgram(start: State): number[] | null {
  const program = [0];
  let entries = 0;
  const conditions: number[] = [];
  const visit = (s: State): boolean => {
    if (s.accepts !== null) {
      for (const rule of s.accepts) program.push(conditions.length, ...conditions, rule);
      entries += s.accepts.length;
    }
    if (program.length > MAX_PROGRAM) return false;
    for (const tr of s.transitions) {
      // Many edges on one path are decided through the transition's index, not one by one.
      if (tr.index !== null) return false;
      for (const e of tr.list) {
        conditions.push(e.cond.id);
        if (!visit(e.next)) return false;
        conditions.pop();
      }
    }
    return true;
  };
  if (!visit(start)) return null;
  program[0] = entries;
  return program;
}

/** Runs the program at `offset`: reports each rule whose conditions all hold in the event. */
export function runProgram(
  code: Int32Array,
  offset: number,
  conditions: readonly (Condition | null)[],
  event: EventView,
  epoch: number,
  rules: RuleReports,
  out: string[],
): void {
  let at = offset + 1;
  for (let entries = code[offset]!; entries > 0; entries--) {
    const end = at + 1 + code[at]!;
    let holds = true;
    for (let i = at + 1; i < end && holds; i++) holds = conditions[code[i]!]!.holds(event, epoch);
    if (holds) rules.report(code[end]!, epoch, out);
    at = end + 1;
  }
}
