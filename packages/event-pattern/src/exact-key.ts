/**
 * Keys for exact-value dispatch. A condition is "exact" when every alternative is a string, a
 * number or a literal; each alternative then has a key part — a tag character (s string, n
 * comparable number, t number text, l literal) and the value — and so does each event leaf, such
 * that the condition accepts the leaf exactly when one of its parts equals the leaf's part.
 * Numbers that event-ruler can compare are keyed by value (300 = 300.0 = 3e2), the others by
 * their text, as the tests they stand for do.
 */
import type { FieldCondition } from './compile-pattern.js';
import { comparableFromText } from './comparable-number.js';
import { LeafKind, type Leaf } from './leaf.js';
import { oddHash } from './row-table.js';

export function exactParts(cond: FieldCondition): string[] | null {
  const parts = new Set<string>();
  for (const t of cond.tests) {
    switch (t.op) {
      case 'string':
        parts.add(`s${t.value}`);
        break;
      case 'literal':
        parts.add(`l${t.text}`);
        break;
      case 'number-equals':
        parts.add(`n${t.scaled}`);
        break;
      // A comparable number's text test is implied by its value test.
      case 'number-text':
        if (comparableFromText(t.text) === undefined) parts.add(`t${t.text}`);
        break;
      default:
        return null;
    }
  }
  return [...parts];
}

// ---- hashing, so that dispatch needs no key string unless a key is there ----

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/**
 * Hash of a tag character followed by a text: FNV-1a over pairs of UTF-16 units, in two
 * independent lanes (units 0–1, 4–5, … and 2–3, 6–7, …). Hashing an event's values is a chain
 * of dependent multiplies; pairs halve its length and the two lanes run side by side, about
 * four times as fast as a unit at a time. The finalizer brings the high bits (where the second
 * unit of each pair lands) down into the low bits that tables index by.
 */
function hashTagged(tag: number, s: string): number {
  let a = Math.imul(FNV_OFFSET ^ tag, FNV_PRIME);
  let b = FNV_OFFSET ^ s.length;
  const n = s.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    a = Math.imul(a ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), FNV_PRIME);
    b = Math.imul(b ^ (s.charCodeAt(i + 2) | (s.charCodeAt(i + 3) << 16)), FNV_PRIME);
  }
  for (; i < n; i++) a = Math.imul(a ^ s.charCodeAt(i), FNV_PRIME);
  return oddHash(finalMix(a ^ Math.imul(b, 0x9e3779b1)));
}

/** Spreads every bit of `h` over the low bits (murmur3's finalizer). */
export function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Hash of a key part (the tag character, then the value's text). */
export function partHash(part: string): number {
  return hashTagged(part.charCodeAt(0), part.slice(1));
}

/** The same hash for a leaf, without building its part; cached on the leaf. */
export function leafHash(leaf: Leaf): number {
  if (leaf.hash !== 0) return leaf.hash;
  let h: number;
  switch (leaf.kind) {
    case LeafKind.String:
      h = hashTagged(0x73 /* s */, leaf.text);
      break;
    case LeafKind.Number: {
      const scaled = leaf.scaled;
      h = scaled !== null ? hashTagged(0x6e /* n */, scaled) : hashTagged(0x74 /* t */, leaf.text);
      break;
    }
    default:
      h = hashTagged(0x6c /* l */, leaf.text);
  }
  return (leaf.hash = h);
}

/**
 * Whether a leaf has a key part, given as its tag (first character code) and body (the rest):
 * what "the leaf's part equals this part" says, without building the leaf's part.
 */
export function leafHasPart(leaf: Leaf, tag: number, body: string): boolean {
  switch (leaf.kind) {
    case LeafKind.String:
      return tag === 0x73 && leaf.text === body;
    case LeafKind.Number: {
      const scaled = leaf.scaled;
      return scaled !== null ? tag === 0x6e && scaled === body : tag === 0x74 && leaf.text === body;
    }
    default:
      return tag === 0x6c && leaf.text === body;
  }
}
