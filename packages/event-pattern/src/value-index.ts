/**
 * The lookup structures behind one automaton transition: given one leaf of the event, find
 * every edge whose match list accepts it without looking at the others. Exact values are hash
 * lookups, prefixes and suffixes are checked by length, numeric ranges use an index sorted by
 * lower bound with a max-upper-bound tree; only anything-but, wildcard and CIDR tests are
 * scanned, and those are few per transition in practice (the automaton puts them last).
 */
import { LeafKind, type Leaf, type Visitor } from './leaf.js';
import { inRange, testAccepts, type ValueTest } from './value-test.js';
import { foldKey } from './ignore-case.js';
import { AffixIndex } from './affix-index.js';

interface RangeEntry<E> {
  readonly test: Extract<ValueTest, { op: 'range' }>;
  readonly edge: E;
}

/** Numeric ranges: sorted by lower bound, with a tree of maximum upper bounds to prune. */
class RangeIndex<E> {
  private entries: RangeEntry<E>[] = [];
  private sorted = true;
  private maxHigh: string[] = [];

  add(test: RangeEntry<E>['test'], edge: E): void {
    this.entries.push({ test, edge });
    this.sorted = false;
  }

  remove(edge: E): void {
    this.entries = this.entries.filter((x) => x.edge !== edge);
    this.sorted = false;
  }

  get size(): number {
    return this.entries.length;
  }

  collect(v: string, leaf: Leaf, visitor: Visitor<E>): void {
    if (!this.sorted) this.build();
    const list = this.entries;
    // Entries [0, k) have low <= v.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.test.low <= v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) this.walk(1, 0, list.length, lo, v, leaf, visitor);
  }

  private walk(node: number, from: number, to: number, k: number, v: string, leaf: Leaf, visitor: Visitor<E>): void {
    if (from >= k || this.maxHigh[node]! < v) return;
    if (to - from === 1) {
      const e = this.entries[from]!;
      if (inRange(e.test, v)) visitor.visit(e.edge, leaf);
      return;
    }
    const mid = (from + to) >>> 1;
    this.walk(node * 2, from, mid, k, v, leaf, visitor);
    this.walk(node * 2 + 1, mid, to, k, v, leaf, visitor);
  }

  private build(): void {
    this.entries.sort((a, b) => (a.test.low < b.test.low ? -1 : a.test.low > b.test.low ? 1 : 0));
    const n = this.entries.length;
    this.maxHigh = new Array<string>(Math.max(2, 4 * n)).fill('');
    if (n > 0) this.fill(1, 0, n);
    this.sorted = true;
  }

  private fill(node: number, from: number, to: number): string {
    let m: string;
    if (to - from === 1) {
      m = this.entries[from]!.test.high;
    } else {
      const a = this.fill(node * 2, from, (from + to) >>> 1);
      const b = this.fill(node * 2 + 1, (from + to) >>> 1, to);
      m = a > b ? a : b;
    }
    this.maxHigh[node] = m;
    return m;
  }
}

function without<E>(list: E[], edge: E): E[] | null {
  const out = list.filter((x) => x !== edge);
  return out.length > 0 ? out : null;
}

function addTo<K, E>(map: Map<K, E[]> | null, key: K, edge: E): Map<K, E[]> {
  const m = map ?? new Map<K, E[]>();
  const list = m.get(key);
  if (list) list.push(edge);
  else m.set(key, [edge]);
  return m;
}

function removeFrom<K, E>(map: Map<K, E[]> | null, key: K, edge: E): Map<K, E[]> | null {
  const list = map?.get(key);
  if (!map || !list) return map;
  const rest = without(list, edge);
  if (rest) map.set(key, rest);
  else map.delete(key);
  return map.size > 0 ? map : null;
}

/**
 * Every structure starts absent (null) and is created on first use: most transitions hold one
 * kind of test, and an absent structure costs matching a null check instead of a memory read —
 * with thousands of transitions, touching empty maps is what makes a large rule set slow.
 */
export class ValueIndex<E> {
  private strings: Map<string, E[]> | null = null;
  private numberTexts: Map<string, E[]> | null = null;
  private numbers: Map<string, E[]> | null = null;
  private literals: Map<string, E[]> | null = null;
  private folded: Map<string, E[]> | null = null;
  private prefixes: AffixIndex<E> | null = null;
  private prefixesFolded: AffixIndex<E> | null = null;
  private suffixes: AffixIndex<E> | null = null;
  private suffixesFolded: AffixIndex<E> | null = null;
  private ranges: RangeIndex<E> | null = null;
  private anyValue: E[] | null = null;
  /** Tests answered by evaluating them: anything-but, wildcard, CIDR, irregular ignore-case. */
  private scanned: { test: ValueTest; edge: E }[] | null = null;
  /** Whether any case-insensitive structure exists (so the event value must be folded). */
  private hasFolded = false;

  add(test: ValueTest, edge: E): void {
    switch (test.op) {
      case 'string':
        this.strings = addTo(this.strings, test.value, edge);
        return;
      case 'number-text':
        this.numberTexts = addTo(this.numberTexts, test.text, edge);
        return;
      case 'number-equals':
        this.numbers = addTo(this.numbers, test.scaled, edge);
        return;
      case 'literal':
        this.literals = addTo(this.literals, test.text, edge);
        return;
      // Case-insensitive values with irregular characters fall through to the scanned list.
      case 'equals-ignore-case':
        if (test.value.key === null) break;
        this.folded = addTo(this.folded, test.value.key, edge);
        this.hasFolded = true;
        return;
      case 'prefix-ignore-case':
        if (test.value.key === null) break;
        (this.prefixesFolded ??= new AffixIndex(false)).add(test.value.key, edge);
        this.hasFolded = true;
        return;
      case 'suffix-ignore-case':
        if (test.value.key === null) break;
        (this.suffixesFolded ??= new AffixIndex(true)).add(test.value.key, edge);
        this.hasFolded = true;
        return;
      case 'prefix':
        return (this.prefixes ??= new AffixIndex(false)).add(test.value, edge);
      case 'suffix':
        return (this.suffixes ??= new AffixIndex(true)).add(test.value, edge);
      case 'range':
        return (this.ranges ??= new RangeIndex()).add(test, edge);
      case 'exists':
        if (test.present) (this.anyValue ??= []).push(edge);
        return; // absence is handled by the transition, not per leaf
      default:
    }
    (this.scanned ??= []).push({ test, edge });
  }

  remove(test: ValueTest, edge: E): void {
    switch (test.op) {
      case 'string':
        this.strings = removeFrom(this.strings, test.value, edge);
        return;
      case 'number-text':
        this.numberTexts = removeFrom(this.numberTexts, test.text, edge);
        return;
      case 'number-equals':
        this.numbers = removeFrom(this.numbers, test.scaled, edge);
        return;
      case 'literal':
        this.literals = removeFrom(this.literals, test.text, edge);
        return;
      case 'equals-ignore-case':
        if (test.value.key === null) break;
        this.folded = removeFrom(this.folded, test.value.key, edge);
        return;
      case 'prefix-ignore-case':
        if (test.value.key === null) break;
        return this.prefixesFolded?.remove(test.value.key, edge);
      case 'suffix-ignore-case':
        if (test.value.key === null) break;
        return this.suffixesFolded?.remove(test.value.key, edge);
      case 'prefix':
        return this.prefixes?.remove(test.value, edge);
      case 'suffix':
        return this.suffixes?.remove(test.value, edge);
      case 'range':
        return this.ranges?.remove(edge);
      case 'exists':
        if (this.anyValue) this.anyValue = without(this.anyValue, edge);
        return;
      default:
    }
    if (this.scanned) {
      const rest = this.scanned.filter((x) => x.edge !== edge);
      this.scanned = rest.length > 0 ? rest : null;
    }
  }

  /** Calls the visitor for every edge with a test accepting the leaf (possibly more than once). */
  collect(leaf: Leaf, visitor: Visitor<E>): void {
    if (this.anyValue !== null) for (const e of this.anyValue) visitor.visit(e, leaf);
    switch (leaf.kind) {
      case LeafKind.String: {
        const s = leaf.text;
        if (this.strings !== null) {
          const exact = this.strings.get(s);
          if (exact) for (const e of exact) visitor.visit(e, leaf);
        }
        if (this.prefixes !== null) this.prefixes.collect(s, leaf, visitor);
        if (this.suffixes !== null) this.suffixes.collect(s, leaf, visitor);
        if (this.hasFolded) {
          const f = foldKey(s);
          const eq = this.folded?.get(f);
          if (eq) for (const e of eq) visitor.visit(e, leaf);
          if (this.prefixesFolded !== null) this.prefixesFolded.collect(f, leaf, visitor);
          if (this.suffixesFolded !== null) this.suffixesFolded.collect(f, leaf, visitor);
        }
        break;
      }
      case LeafKind.Number: {
        const t = this.numberTexts?.get(leaf.text);
        if (t) for (const e of t) visitor.visit(e, leaf);
        // The comparable form is worked out only when a value or range needs it.
        const scaled = this.numbers !== null || this.ranges !== null ? leaf.scaled : null;
        if (scaled !== null) {
          const n = this.numbers?.get(scaled);
          if (n) for (const e of n) visitor.visit(e, leaf);
          if (this.ranges !== null) this.ranges.collect(scaled, leaf, visitor);
        }
        break;
      }
      default: {
        const l = this.literals?.get(leaf.text);
        if (l) for (const e of l) visitor.visit(e, leaf);
      }
    }
    if (this.scanned !== null) for (const x of this.scanned) if (testAccepts(x.test, leaf)) visitor.visit(x.edge, leaf);
  }
}
