/**
 * One scalar value of an event at one path. Arrays contribute one leaf per element; objects
 * contribute nothing themselves (only their members do): event-ruler matches leaves only.
 */
export const enum LeafKind {
  String = 0,
  Number = 1,
  True = 2,
  False = 3,
  Null = 4,
}

/**
 * Which element of which array of the event a leaf sits in, outermost first, as flat pairs
 * `[arrayId, index, arrayId, index, …]`. Two leaves may be used together by one match only if
 * they agree on every array they share ("array consistency"). Only elements that are objects or
 * arrays are recorded: a scalar element has no sibling fields to be combined with.
 */
export type ArrayTrail = readonly number[];

import { comparableFromText, type Comparable } from './comparable-number.js';

/**
 * A leaf. The Matcher reuses its leaves from one event to the next (allocating them costs more
 * than matching a cold event needs), so a leaf is only valid during the `match` call it was read
 * in; the interpreter makes fresh ones.
 */
export class Leaf {
  kind: LeafKind = LeafKind.Null;
  /** The string's value; a number's JSON text; `true`/`false`/`null` for literals. */
  text = '';
  trail: ArrayTrail | null = null;
  /** The next leaf at the same path in this event (array elements), or null. */
  next: Leaf | null = null;
  /** Exact-dispatch hash of the leaf's key part, computed on first use (0 = not yet). */
  hash = 0;
  /** Id of the leaf's key part among the values exact dispatch knows: -2 not yet looked up, -1 unknown. */
  valueId = -2;
  /** A number's comparable form: undefined until first asked for (most numbers never are). */
  private comparable: Comparable | null | undefined = undefined;

  /** Makes this object the leaf (kind, text) at `trail`, forgetting what it was. */
  reset(kind: LeafKind, text: string, trail: ArrayTrail | null): this {
    this.kind = kind;
    this.text = text;
    this.trail = trail;
    this.next = null;
    this.hash = 0;
    this.valueId = -2;
    this.comparable = undefined;
    return this;
  }

  /** A number's comparable form, or null when it has none (not a number, or outside the domain). */
  get scaled(): Comparable | null {
    let c = this.comparable;
    if (c === undefined) c = this.comparable = this.kind === LeafKind.Number ? (comparableFromText(this.text) ?? null) : null;
    return c;
  }
}

export function makeLeaf(kind: LeafKind, text: string, trail: ArrayTrail | null): Leaf {
  return new Leaf().reset(kind, text, trail);
}

/** Whether two trails place their leaves in compatible array elements. */
export function trailsCompatible(a: ArrayTrail | null, b: ArrayTrail | null): boolean {
  if (a === null || b === null) return true;
  for (let i = 0; i < a.length; i += 2) {
    for (let j = 0; j < b.length; j += 2) {
      if (a[i] === b[j] && a[i + 1] !== b[j + 1]) return false;
    }
  }
  return true;
}

/** The union of two compatible trails (the constraints a partial match carries on). */
export function mergeTrails(a: ArrayTrail | null, b: ArrayTrail | null): ArrayTrail | null {
  if (a === null || a.length === 0) return b;
  if (b === null || b.length === 0) return a;
  const out = a.slice();
  for (let j = 0; j < b.length; j += 2) {
    let known = false;
    for (let i = 0; i < a.length; i += 2) if (a[i] === b[j]) known = true;
    if (!known) out.push(b[j]!, b[j + 1]!);
  }
  return out;
}

/** Receives the edges an index finds for a leaf (an object, so that no closure is made per event). */
export interface Visitor<E> {
  visit(edge: E, leaf: Leaf): void;
}
