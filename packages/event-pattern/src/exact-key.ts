/**
 * Keys for exact-value dispatch. A condition is "exact" when every alternative is a string, a
 * number or a literal; each alternative then has a key part, and so does each event leaf, such
 * that the condition accepts the leaf exactly when one of its parts equals the leaf's part.
 * Numbers that event-ruler can compare are keyed by value (300 = 300.0 = 3e2), the others by
 * their text, as the tests they stand for do.
 */
import type { FieldCondition } from './compile-pattern.js';
import { comparableFromText } from './comparable-number.js';
import { LeafKind, type Leaf } from './leaf.js';

export function exactParts(cond: FieldCondition): string[] | null {
  const parts = new Set<string>();
  for (const t of cond.tests) {
    switch (t.op) {
      case 'string': parts.add(`s${t.value}`); break;
      case 'literal': parts.add(`l${t.text}`); break;
      case 'number-equals': parts.add(`n${t.scaled}`); break;
      // A comparable number's text test is implied by its value test.
      case 'number-text': if (comparableFromText(t.text) === undefined) parts.add(`t${t.text}`); break;
      default: return null;
    }
  }
  return [...parts];
}

export function leafPart(leaf: Leaf): string {
  switch (leaf.kind) {
    case LeafKind.String: return `s${leaf.text}`;
    case LeafKind.Number: return leaf.scaled !== null ? `n${leaf.scaled}` : `t${leaf.text}`;
    default: return `l${leaf.text}`;
  }
}

/** Joins parts unambiguously (each is length-prefixed, so no value can fake a boundary). */
export function joinParts(parts: readonly string[]): string {
  if (parts.length === 1) return parts[0]!;
  let key = '';
  for (const p of parts) key += `${p.length}:${p}`;
  return key;
}

// ---- hashing, so that dispatch needs no key string unless a key is there ----
// Hashes are kept to 30 bits so V8 stores them as small integers, never as boxed doubles.
const SMI = 0x3fffffff;

const FNV_OFFSET = 0x811c9dc5 | 0;

function hashChars(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/** Hash of a key part (the text `leafPart` would build). */
export function partHash(part: string): number {
  return (hashChars(part, FNV_OFFSET) & SMI) | 1;
}

/** The same hash for a leaf, without building its part; cached on the leaf. */
export function leafHash(leaf: Leaf): number {
  if (leaf.hash !== 0) return leaf.hash;
  let h: number;
  switch (leaf.kind) {
    case LeafKind.String: h = hashChars(leaf.text, Math.imul(FNV_OFFSET ^ 0x73 /* s */, 16777619)); break;
    case LeafKind.Number:
      h = leaf.scaled !== null
        ? hashChars(leaf.scaled, Math.imul(FNV_OFFSET ^ 0x6e /* n */, 16777619))
        : hashChars(leaf.text, Math.imul(FNV_OFFSET ^ 0x74 /* t */, 16777619));
      break;
    default: h = hashChars(leaf.text, Math.imul(FNV_OFFSET ^ 0x6c /* l */, 16777619));
  }
  return (leaf.hash = (h & SMI) | 1);
}

/** Folds the per-path hashes of a key, in path order. */
export function combineHash(h: number, part: number): number {
  return Math.imul(((h << 5) | (h >>> 25)) ^ part, 0x9e3779b1) & SMI;
}

/**
 * Whether a leaf has a key part, given as its tag (first character code) and body (the rest):
 * what `leafPart(leaf) === part` says, without building the leaf's part.
 */
export function leafHasPart(leaf: Leaf, tag: number, body: string): boolean {
  switch (leaf.kind) {
    case LeafKind.String: return tag === 0x73 && leaf.text === body;
    case LeafKind.Number: return leaf.scaled !== null ? tag === 0x6e && leaf.scaled === body : tag === 0x74 && leaf.text === body;
    default: return tag === 0x6c && leaf.text === body;
  }
}
