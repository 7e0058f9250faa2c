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
 * The measure behind event-ruler's "Rule is too complex": the most (state, wildcard pattern)
 * pairs one input can keep alive at once in the field's byte machine, where patterns that share
 * a beginning share states (MachineComplexityEvaluator). Computed on a character trie of the
 * quoted patterns with `*` as self-loops, by walking the subset construction; stops early once
 * `cap` is exceeded.
 */
export function wildcardComplexity(globs: readonly Glob[], cap: number): number {
  interface Node {
    next: Map<string, Node>;
    star: Node | null;
    patterns: Set<number>;
    loops: boolean;
  }
  const node = (loops: boolean): Node => ({ next: new Map(), star: null, patterns: new Set(), loops });
  const root = node(false);
  globs.forEach((g, k) => {
    let n = root;
    const steps: (string | null)[] = ['"'];
    g.segments.forEach((seg, i) => {
      for (const ch of seg) steps.push(ch);
      if (i < g.segments.length - 1) steps.push(null);
    });
    steps.push('"');
    for (const step of steps) {
      n.patterns.add(k);
      if (step === null) n = n.star ??= node(true);
      else {
        let child = n.next.get(step);
        if (!child) n.next.set(step, (child = node(false)));
        n = child;
      }
    }
    n.patterns.add(k);
  });
  const close = (set: Set<Node>): Set<Node> => {
    for (const n of [...set]) for (let x = n.star; x; x = x.star) set.add(x);
    return set;
  };
  const ids = new Map<Node, number>();
  const key = (set: Set<Node>): string =>
    [...set]
      .map((n) => ids.get(n) ?? (ids.set(n, ids.size), ids.size - 1))
      .sort((a, b) => a - b)
      .join(',');
  const alphabet = [...new Set(globs.flatMap((g) => [...g.segments.join('')])), '"', '\u0000'];
  let frontier = [close(new Set([root]))];
  const seen = new Set([key(frontier[0]!)]);
  let worst = 0;
  while (frontier.length > 0 && seen.size < 20_000) {
    const next: Set<Node>[] = [];
    for (const state of frontier) {
      for (const ch of alphabet) {
        const moved = new Set<Node>();
        for (const n of state) {
          if (n.loops) moved.add(n);
          const t = n.next.get(ch);
          if (t) moved.add(t);
        }
        close(moved);
        if (moved.size === 0) continue;
        const k = key(moved);
        if (seen.has(k)) continue;
        seen.add(k);
        let size = 0;
        for (const n of moved) size += n.patterns.size;
        if (size > worst) worst = size;
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
