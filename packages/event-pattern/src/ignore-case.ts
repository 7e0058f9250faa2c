/**
 * `equals-ignore-case` (alone, or with `prefix`, `suffix`, `anything-but`) as event-ruler does
 * it: character by character, each pattern character standing for itself, its lower case and
 * its upper case (each possibly several characters: "ß" stands for "ß" or "SS"). So "straße"
 * matches "STRASSE" but not "strasse", and "Σ" matches "σ" but not the final "ς". Characters are
 * taken as whole code points, so emoji match themselves — where event-ruler's byte-level
 * handling misfires, amiwatch follows the documentation.
 */

function alternatives(cp: string): string[] {
  const lower = cp.toLowerCase();
  const upper = cp.toUpperCase();
  const out = [cp];
  if (lower !== cp) out.push(lower);
  if (upper !== cp && upper !== lower) out.push(upper);
  return out;
}

/** A compiled case-insensitive value. */
export interface IgnoreCaseValue {
  /** Per pattern code point, the texts it may stand for. */
  readonly alternatives: readonly (readonly string[])[];
  /**
   * A key such that, for any event text, `foldKey(text) === key` exactly when the text matches
   * (for prefixes: when `foldKey(text)` starts with it) — or null when the pattern has a
   * character whose case mapping is irregular, and it must be matched the slow way.
   */
  readonly key: string | null;
  readonly source: string;
}

export function compileIgnoreCase(source: string): IgnoreCaseValue {
  const cps = [...source];
  return {
    alternatives: cps.map(alternatives),
    key: cps.every(isRegular) ? cps.map((c) => c.toLowerCase()).join('') : null,
    source,
  };
}

/**
 * A code point whose lower and upper case are single code points that map back onto each
 * other, and which is one of them. For such characters "matches c" is "has c's lower case as
 * lower case", which a hash lookup can answer.
 */
function isRegular(cp: string): boolean {
  const lower = cp.toLowerCase();
  const upper = cp.toUpperCase();
  if ([...lower].length !== 1 || [...upper].length !== 1) return false;
  return (cp === lower || cp === upper) && upper.toLowerCase() === lower && lower.toUpperCase() === upper;
}

const regularCache = new Map<string, boolean>();

/** The key of an event text: regular characters lower-cased, the others kept as they are. */
export function foldKey(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  if (ascii) return text.toLowerCase();
  let out = '';
  for (const cp of text) {
    let regular = regularCache.get(cp);
    if (regular === undefined) {
      regular = isRegular(cp);
      if (regularCache.size < 10_000) regularCache.set(cp, regular);
    }
    out += regular ? cp.toLowerCase() : cp;
  }
  return out;
}

export type IgnoreCaseMode = 'equals' | 'prefix' | 'suffix';

/** The exact semantics: can `text` be written as one alternative per pattern character? */
export function ignoreCaseMatches(p: IgnoreCaseValue, text: string, mode: IgnoreCaseMode): boolean {
  if (mode === 'suffix') return fromEnd(p.alternatives, p.alternatives.length, text, text.length);
  return fromStart(p.alternatives, 0, text, 0, mode === 'prefix');
}

function fromStart(alts: readonly (readonly string[])[], i: number, text: string, at: number, prefix: boolean): boolean {
  if (i === alts.length) return prefix || at === text.length;
  for (const a of alts[i]!) {
    if (text.startsWith(a, at) && fromStart(alts, i + 1, text, at + a.length, prefix)) return true;
  }
  return false;
}

function fromEnd(alts: readonly (readonly string[])[], i: number, text: string, end: number): boolean {
  if (i === 0) return true;
  for (const a of alts[i - 1]!) {
    const start = end - a.length;
    if (start >= 0 && text.startsWith(a, start) && fromEnd(alts, i - 1, text, start)) return true;
  }
  return false;
}
