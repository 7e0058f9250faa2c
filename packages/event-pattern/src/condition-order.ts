import type { Branch, FieldCondition } from './compile-pattern.js';

/**
 * The order in which a branch's conditions are decided, shared by the automaton and the
 * interpreter: exact values first (hash lookups near the root, and the most selective),
 * then prefixes, suffixes and ranges, then scanned tests, and conditions that can be met by
 * absence last — inside arrays of objects, "absent" is judged in the array element the other
 * conditions chose, so those must have chosen first. Ties go by path.
 */
export function conditionRank(c: FieldCondition): number {
  let rank = 0;
  for (const t of c.tests) {
    const r =
      t.op === 'string' || t.op === 'number-text' || t.op === 'number-equals' || t.op === 'literal' || t.op === 'equals-ignore-case'
        ? 0
        : t.op === 'prefix' ||
            t.op === 'suffix' ||
            t.op === 'prefix-ignore-case' ||
            t.op === 'suffix-ignore-case' ||
            t.op === 'range' ||
            t.op === 'ip'
          ? 1
          : t.op === 'exists'
            ? 3
            : 2;
    if (r > rank) rank = r;
  }
  return rank;
}

export function canonicalOrder(branch: Branch): FieldCondition[] {
  return [...branch].sort((a, b) => conditionRank(a) - conditionRank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
