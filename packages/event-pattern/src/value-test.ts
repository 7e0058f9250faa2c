import type { Glob } from './wildcard.js';
import { globMatches } from './wildcard.js';
import type { IpRange } from './ip-address.js';
import { ipInRange, ipToHex } from './ip-address.js';
import { LeafKind, type Leaf } from './leaf.js';
import type { Comparable } from './comparable-number.js';
import { ignoreCaseMatches, type IgnoreCaseValue } from './ignore-case.js';

/**
 * One alternative of a field's match list, compiled. A field matches when any of its tests
 * accepts any of the field's leaves (or, for `exists: false`, when it has no leaves).
 */
export type ValueTest =
  | { readonly op: 'string'; readonly value: string }
  | { readonly op: 'literal'; readonly text: 'true' | 'false' | 'null' }
  | { readonly op: 'number-text'; readonly text: string }
  | { readonly op: 'number-equals'; readonly scaled: Comparable }
  | { readonly op: 'prefix'; readonly value: string }
  | { readonly op: 'suffix'; readonly value: string }
  | { readonly op: 'equals-ignore-case'; readonly value: IgnoreCaseValue }
  | { readonly op: 'prefix-ignore-case'; readonly value: IgnoreCaseValue }
  | { readonly op: 'suffix-ignore-case'; readonly value: IgnoreCaseValue }
  | { readonly op: 'wildcard'; readonly glob: Glob }
  | { readonly op: 'range'; readonly low: Comparable; readonly lowOpen: boolean; readonly high: Comparable; readonly highOpen: boolean }
  | { readonly op: 'ip'; readonly range: IpRange }
  | { readonly op: 'exists'; readonly present: boolean }
  | { readonly op: 'anything-but'; readonly strings: ReadonlySet<string>; readonly numbers: ReadonlySet<Comparable> }
  | { readonly op: 'anything-but-prefix'; readonly values: readonly string[] }
  | { readonly op: 'anything-but-suffix'; readonly values: readonly string[] }
  | { readonly op: 'anything-but-ignore-case'; readonly values: readonly IgnoreCaseValue[] }
  | { readonly op: 'anything-but-wildcard'; readonly globs: readonly Glob[] };

const sorted = (xs: Iterable<string>): string => JSON.stringify([...xs].sort());

/** A stable identity for a test, so equal match lists share automaton states. */
export function testKey(t: ValueTest): string {
  switch (t.op) {
    case 'string':
      return `s${JSON.stringify(t.value)}`;
    case 'literal':
      return `l${t.text}`;
    case 'number-text':
      return `t${t.text}`;
    case 'number-equals':
      return `n${t.scaled}`;
    case 'prefix':
      return `p${JSON.stringify(t.value)}`;
    case 'suffix':
      return `x${JSON.stringify(t.value)}`;
    case 'equals-ignore-case':
      return `i${JSON.stringify(t.value.source)}`;
    case 'prefix-ignore-case':
      return `pi${JSON.stringify(t.value.source)}`;
    case 'suffix-ignore-case':
      return `xi${JSON.stringify(t.value.source)}`;
    case 'wildcard':
      return `w${JSON.stringify(t.glob.source)}`;
    case 'range':
      return `r${t.lowOpen ? '(' : '['}${t.low},${t.high}${t.highOpen ? ')' : ']'}`;
    case 'ip':
      return `c${t.range.family}:${t.range.low}-${t.range.high}`;
    case 'exists':
      return `e${t.present}`;
    case 'anything-but':
      return `b${sorted(t.strings)}${sorted(t.numbers)}`;
    case 'anything-but-prefix':
      return `bp${sorted(t.values)}`;
    case 'anything-but-suffix':
      return `bx${sorted(t.values)}`;
    case 'anything-but-ignore-case':
      return `bi${sorted(t.values.map((v) => v.source))}`;
    case 'anything-but-wildcard':
      return `bw${sorted(t.globs.map((g) => g.source))}`;
  }
}

/** Whether a test accepts one leaf. `exists: false` accepts no leaf: absence is checked by the caller. */
export function testAccepts(t: ValueTest, leaf: Leaf): boolean {
  const isString = leaf.kind === LeafKind.String;
  const s = leaf.text;
  switch (t.op) {
    case 'string':
      return isString && s === t.value;
    case 'literal':
      return !isString && leaf.kind !== LeafKind.Number && s === t.text;
    case 'number-text':
      return leaf.kind === LeafKind.Number && s === t.text;
    case 'number-equals':
      return leaf.kind === LeafKind.Number && leaf.scaled === t.scaled;
    case 'prefix':
      return isString && s.startsWith(t.value);
    case 'suffix':
      return isString && s.endsWith(t.value);
    case 'equals-ignore-case':
      return isString && ignoreCaseMatches(t.value, s, 'equals');
    case 'prefix-ignore-case':
      return isString && ignoreCaseMatches(t.value, s, 'prefix');
    case 'suffix-ignore-case':
      return isString && ignoreCaseMatches(t.value, s, 'suffix');
    case 'wildcard':
      return isString && globMatches(t.glob, s);
    case 'range':
      return leaf.kind === LeafKind.Number && leaf.scaled !== null && inRange(t, leaf.scaled);
    case 'ip': {
      if (!isString) return false;
      const ip = ipToHex(s);
      return ip !== null && ipInRange(t.range, ip.hex, ip.family);
    }
    case 'exists':
      return t.present;
    // anything-but accepts every leaf the excluded values do not cover: other types included.
    case 'anything-but':
      if (isString) return !t.strings.has(s);
      if (leaf.kind === LeafKind.Number) return leaf.scaled === null || !t.numbers.has(leaf.scaled);
      return true;
    case 'anything-but-prefix':
      return !isString || !t.values.some((p) => s.startsWith(p));
    case 'anything-but-suffix':
      return !isString || !t.values.some((p) => s.endsWith(p));
    case 'anything-but-ignore-case':
      return !isString || !t.values.some((v) => ignoreCaseMatches(v, s, 'equals'));
    case 'anything-but-wildcard':
      return !isString || !t.globs.some((g) => globMatches(g, s));
  }
}

export function inRange(t: { low: Comparable; lowOpen: boolean; high: Comparable; highOpen: boolean }, v: Comparable): boolean {
  if (t.lowOpen ? v <= t.low : v < t.low) return false;
  if (t.highOpen ? v >= t.high : v > t.high) return false;
  return true;
}
