import type { Glob } from './wildcard.js';
import { globMatches } from './wildcard.js';
import type { IpRange } from './ip-address.js';
import { ipInRange, ipToHex } from './ip-address.js';
import { LeafKind, type Leaf } from './leaf.js';

/**
 * One alternative of a field's match list, compiled. A field matches when any of its tests
 * accepts any of the field's leaves (or, for `exists: false`, when it has no leaves).
 */
export type ValueTest =
  | { readonly op: 'string'; readonly value: string }
  | { readonly op: 'literal'; readonly text: 'true' | 'false' | 'null' }
  | { readonly op: 'number-text'; readonly text: string }
  | { readonly op: 'number-equals'; readonly scaled: number }
  | { readonly op: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly op: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly op: 'equals-ignore-case'; readonly folded: string }
  | { readonly op: 'wildcard'; readonly glob: Glob }
  | { readonly op: 'range'; readonly low: number; readonly lowOpen: boolean; readonly high: number; readonly highOpen: boolean }
  | { readonly op: 'ip'; readonly range: IpRange }
  | { readonly op: 'exists'; readonly present: boolean }
  | { readonly op: 'anything-but'; readonly strings: ReadonlySet<string>; readonly numbers: ReadonlySet<number> }
  | { readonly op: 'anything-but-prefix'; readonly values: readonly string[] }
  | { readonly op: 'anything-but-suffix'; readonly values: readonly string[] }
  | { readonly op: 'anything-but-ignore-case'; readonly folded: ReadonlySet<string> }
  | { readonly op: 'anything-but-wildcard'; readonly globs: readonly Glob[] };

/**
 * Case folding for `equals-ignore-case`. Upper then lower maps every cased letter of every
 * script to one form (ß and ẞ, Σ/σ/ς alike), and leaves uncased characters such as emoji
 * untouched — the documented behaviour, where event-ruler's byte-level folding misfires.
 */
export function fold(s: string): string {
  return s.toUpperCase().toLowerCase();
}

/** A stable identity for a test, so equal match lists share automaton states. */
export function testKey(t: ValueTest): string {
  switch (t.op) {
    case 'string': return `s${JSON.stringify(t.value)}`;
    case 'literal': return `l${t.text}`;
    case 'number-text': return `t${t.text}`;
    case 'number-equals': return `n${t.scaled}`;
    case 'prefix': return `p${t.ignoreCase ? 'i' : ''}${JSON.stringify(t.value)}`;
    case 'suffix': return `x${t.ignoreCase ? 'i' : ''}${JSON.stringify(t.value)}`;
    case 'equals-ignore-case': return `i${JSON.stringify(t.folded)}`;
    case 'wildcard': return `w${JSON.stringify(t.glob.source)}`;
    case 'range': return `r${t.lowOpen ? '(' : '['}${t.low},${t.high}${t.highOpen ? ')' : ']'}`;
    case 'ip': return `c${t.range.family}:${t.range.low}-${t.range.high}`;
    case 'exists': return `e${t.present}`;
    case 'anything-but': return `b${JSON.stringify([...t.strings].sort())}${JSON.stringify([...t.numbers].sort())}`;
    case 'anything-but-prefix': return `bp${JSON.stringify([...t.values].sort())}`;
    case 'anything-but-suffix': return `bx${JSON.stringify([...t.values].sort())}`;
    case 'anything-but-ignore-case': return `bi${JSON.stringify([...t.folded].sort())}`;
    case 'anything-but-wildcard': return `bw${JSON.stringify(t.globs.map((g) => g.source).sort())}`;
  }
}

/** Whether a test accepts one leaf. `exists: false` accepts no leaf: absence is checked by the caller. */
export function testAccepts(t: ValueTest, leaf: Leaf): boolean {
  const isString = leaf.kind === LeafKind.String;
  const s = leaf.text;
  switch (t.op) {
    case 'string': return isString && s === t.value;
    case 'literal': return !isString && leaf.kind !== LeafKind.Number && s === t.text;
    case 'number-text': return leaf.kind === LeafKind.Number && s === t.text;
    case 'number-equals': return leaf.kind === LeafKind.Number && leaf.scaled === t.scaled;
    case 'prefix': return isString && (t.ignoreCase ? fold(s).startsWith(t.value) : s.startsWith(t.value));
    case 'suffix': return isString && (t.ignoreCase ? fold(s).endsWith(t.value) : s.endsWith(t.value));
    case 'equals-ignore-case': return isString && fold(s) === t.folded;
    case 'wildcard': return isString && globMatches(t.glob, s);
    case 'range': return leaf.kind === LeafKind.Number && inRange(t, leaf.scaled);
    case 'ip': {
      if (!isString) return false;
      const ip = ipToHex(s);
      return ip !== null && ipInRange(t.range, ip.hex, ip.family);
    }
    case 'exists': return t.present;
    case 'anything-but':
      if (isString) return !t.strings.has(s);
      if (leaf.kind === LeafKind.Number) return !t.numbers.has(leaf.scaled);
      return true;
    case 'anything-but-prefix': return !isString || !t.values.some((p) => s.startsWith(p));
    case 'anything-but-suffix': return !isString || !t.values.some((p) => s.endsWith(p));
    case 'anything-but-ignore-case': return !isString || !t.folded.has(fold(s));
    case 'anything-but-wildcard': return !isString || !t.globs.some((g) => globMatches(g, s));
  }
}

export function inRange(t: { low: number; lowOpen: boolean; high: number; highOpen: boolean }, v: number): boolean {
  if (Number.isNaN(v)) return false;
  if (t.lowOpen ? v <= t.low : v < t.low) return false;
  if (t.highOpen ? v >= t.high : v > t.high) return false;
  return true;
}
