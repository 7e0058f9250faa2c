/**
 * `wildcard` patterns: `*` matches any run of characters (including none); `\*` is a literal
 * asterisk and `\\` a literal backslash; any other escape and two `*` in a row are errors whose
 * positions event-ruler reports as UTF-8 byte offsets in the quoted value.
 */

/** A compiled wildcard: literal segments between the stars. */
export interface Glob {
  readonly segments: readonly string[];
  /** Pattern text as written, for canonical keys. */
  readonly source: string;
}

export class WildcardSyntaxError extends Error {}

export function parseWildcard(text: string): Glob {
  // Validate as event-ruler does, on the quoted value, reporting UTF-8 byte offsets.
  const quoted = `"${text}"`;
  let bytePos = 0;
  for (let i = 0; i < quoted.length; i++) {
    const c = quoted.charCodeAt(i);
    if (c === 0x2a && quoted.charCodeAt(i + 1) === 0x2a) throw new WildcardSyntaxError(`Consecutive wildcard characters at pos ${bytePos}`);
    if (c === 0x5c) {
      const next = quoted.charCodeAt(i + 1);
      if (next !== 0x2a && next !== 0x5c) throw new WildcardSyntaxError(`Invalid escape character at pos ${bytePos}`);
      i++;
      bytePos += 2;
      continue;
    }
    bytePos += utf8Length(c, quoted.charCodeAt(i + 1));
    if (c >= 0xd800 && c <= 0xdbff) i++;
  }
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      current += text[++i];
    } else if (c === '*') {
      segments.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  segments.push(current);
  return { segments, source: text };
}

/** Glob matching with greedy-free segment search: linear in the value for each segment. */
export function globMatches(glob: Glob, value: string): boolean {
  const segs = glob.segments;
  if (segs.length === 1) return value === segs[0];
  const first = segs[0]!;
  const last = segs[segs.length - 1]!;
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    const at = value.indexOf(seg, pos);
    if (at < 0 || at + seg.length > end) return false;
    pos = at + seg.length;
  }
  return true;
}

/**
 * How many states of the wildcard's automaton one input can keep alive at once: the measure
 * behind event-ruler's "Rule is too complex" refusal. Computed by walking the subset
 * construction over the characters that matter (the pattern's own plus one other).
 */
export function wildcardComplexity(glob: Glob, cap: number): number {
  const segs = glob.segments;
  if (segs.length === 1) return 1;
  // NFA positions: the flattened pattern with '*' as self-loops.
  const chars: (string | null)[] = [];
  segs.forEach((s, i) => {
    for (const ch of s) chars.push(ch);
    if (i < segs.length - 1) chars.push(null);
  });
  const alphabet = [...new Set(chars.filter((c): c is string => c !== null)), '\u0000'];
  const closure = (set: Set<number>): Set<number> => {
    for (const p of [...set]) {
      let q = p;
      while (q < chars.length && chars[q] === null) set.add(++q);
    }
    return set;
  };
  const key = (s: Set<number>): string => [...s].sort((a, b) => a - b).join(',');
  let frontier = [closure(new Set([0]))];
  const seen = new Set([key(frontier[0]!)]);
  let worst = 1;
  while (frontier.length > 0 && seen.size < 5000) {
    const next: Set<number>[] = [];
    for (const state of frontier) {
      for (const ch of alphabet) {
        const moved = new Set<number>();
        for (const p of state) {
          if (p >= chars.length) continue;
          if (chars[p] === null) moved.add(p);
          else if (chars[p] === ch) moved.add(p + 1);
        }
        closure(moved);
        if (moved.size === 0) continue;
        const k = key(moved);
        if (seen.has(k)) continue;
        seen.add(k);
        const wildcardStates = [...moved].filter((p) => chars[p] === null || p === chars.length).length;
        worst = Math.max(worst, wildcardStates);
        if (worst > cap) return worst;
        next.push(moved);
      }
    }
    frontier = next;
  }
  return worst;
}

/** UTF-8 bytes of the code point starting with code unit `c` (a surrogate pair counts once). */
function utf8Length(c: number, next: number): number {
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return 4;
  return 3;
}
