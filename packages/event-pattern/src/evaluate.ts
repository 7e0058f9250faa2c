/**
 * The reference interpreter: decides one pattern against one event by direct search, with no
 * shared state. `matches()` uses it; the compiled Matcher must agree with it on every input
 * (the property tests hold them to that).
 */
import type { Branch, FieldCondition } from './compile-pattern.js';
import { canonicalOrder } from './condition-order.js';
import { makeLeaf, mergeTrails, trailsCompatible, type ArrayTrail, type Leaf } from './leaf.js';
import { testAccepts } from './value-test.js';
import type { LeafSink } from './event-reader.js';

/** Every leaf of the event by dotted path. */
export type LeafTable = Map<string, Leaf[]>;

export const allPathsSink = (table: LeafTable): LeafSink<string> => ({
  child: (parent, key) => (parent === '' ? key : `${parent}.${key}`),
  emit: (path, kind, text, trail) => {
    const leaf = makeLeaf(kind, text, trail);
    const list = table.get(path);
    if (list) list.push(leaf);
    else table.set(path, [leaf]);
  },
});

export function branchMatches(branch: Branch, table: LeafTable): boolean {
  return search(canonicalOrder(branch), 0, table, null);
}

/** Depth-first over the conditions, keeping the array elements chosen so far consistent. */
function search(branch: readonly FieldCondition[], i: number, table: LeafTable, trail: ArrayTrail | null): boolean {
  if (i === branch.length) return true;
  const cond = branch[i]!;
  // Leaves in array elements other than the ones already chosen do not count, not even as
  // presence: an exists:false field is judged inside the chosen elements.
  const leaves = (table.get(cond.path) ?? []).filter((leaf) => trailsCompatible(trail, leaf.trail));
  if (leaves.length === 0) {
    return acceptsAbsence(cond) && search(branch, i + 1, table, trail);
  }
  for (const leaf of leaves) {
    if (!cond.tests.some((t) => testAccepts(t, leaf))) continue;
    if (search(branch, i + 1, table, mergeTrails(trail, leaf.trail))) return true;
  }
  return false;
}

export function acceptsAbsence(cond: FieldCondition): boolean {
  return cond.tests.some((t) => t.op === 'exists' && !t.present);
}
