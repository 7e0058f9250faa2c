/**
 * CloudWatch Logs filter patterns ("Filter pattern syntax for metric filters, subscription
 * filters, filter log events"), compiled once into a predicate on a message:
 * - text: every term must occur (`ERROR Exception`), case-sensitive; `"quoted phrase"`;
 *   `-term` must not occur; `?term ?other` matches when any `?` term occurs; the empty pattern
 *   matches everything;
 * - JSON: `{ $.a.b[0] = "x*" }` on messages that are JSON objects (others never match): `=`,
 *   `!=` with strings (`*` is a wildcard) or numbers, `<`, `<=`, `>`, `>=` with numbers,
 *   `IS TRUE`, `IS FALSE`, `IS NULL`, `NOT EXISTS`, combined with `&&`, `||` and parentheses.
 * Space-delimited patterns (`[ip, user, ...]`) and regular expressions (`%…%`) are not
 * supported and are refused with the error AWS gives an invalid pattern.
 */
export type MessagePredicate = (message: string) => boolean;

export class FilterPatternError extends Error {}

export function compileFilterPattern(pattern: string | undefined): MessagePredicate {
  const text = (pattern ?? '').trim();
  if (text === '' || text === '""') return () => true;
  if (text.startsWith('{')) return jsonPattern(text);
  if (text.startsWith('[') || text.startsWith('%'))
    throw new FilterPatternError(
      'Invalid filter pattern: amiwatch supports text terms and JSON terms (space-delimited [..] and %regex% patterns are not supported)',
    );
  return textPattern(text);
}

function textPattern(text: string): MessagePredicate {
  const all: string[] = [];
  const none: string[] = [];
  const any: string[] = [];
  const re = /\s*([-?]?)("(?:[^"\\]|\\.)*"|[^\s"]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (m = re.exec(text)) !== null) {
    at = re.lastIndex;
    let term = m[2]!;
    if (term.startsWith('"')) term = term.slice(1, -1).replace(/\\(.)/g, '$1');
    (m[1] === '-' ? none : m[1] === '?' ? any : all).push(term);
  }
  if (text.slice(at).trim() !== '') throw new FilterPatternError(`Invalid filter pattern: unbalanced quotes in ${text}`);
  return (message) =>
    all.every((t) => message.includes(t)) &&
    !none.some((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t)));
}

type Node = { op: '&&' | '||'; left: Node; right: Node } | { test: (doc: unknown) => boolean };

function jsonPattern(text: string): MessagePredicate {
  const tokens =
    text.slice(1, text.lastIndexOf('}')).match(/\$[\w.[\]$-]*|"(?:[^"\\]|\\.)*"|&&|\|\||!=|<=|>=|[=<>()]|[^\s=<>!&|()"]+/g) ?? [];
  if (!text.trimEnd().endsWith('}')) throw new FilterPatternError('Invalid filter pattern: a JSON term ends with }');
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (t === undefined) throw new FilterPatternError(`Invalid filter pattern: ${text} ends early`);
    return t;
  };
  const expr = (): Node => {
    let left = term();
    while (peek() === '&&' || peek() === '||') {
      const op = next() as '&&' | '||';
      left = { op, left, right: term() };
    }
    return left;
  };
  const term = (): Node => {
    if (peek() === '(') {
      next();
      const inner = expr();
      if (next() !== ')') throw new FilterPatternError(`Invalid filter pattern: missing ) in ${text}`);
      return inner;
    }
    return comparison(next(), next, peek, text);
  };
  const root = expr();
  if (i !== tokens.length) throw new FilterPatternError(`Invalid filter pattern: unexpected ${tokens[i]} in ${text}`);
  const evaluate = (n: Node, doc: unknown): boolean =>
    'test' in n
      ? n.test(doc)
      : n.op === '&&'
        ? evaluate(n.left, doc) && evaluate(n.right, doc)
        : evaluate(n.left, doc) || evaluate(n.right, doc);
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return doc !== null && typeof doc === 'object' && evaluate(root, doc);
  };
}

const MISSING = Symbol('missing');

function comparison(selector: string, next: () => string, peek: () => string | undefined, text: string): Node {
  if (!selector.startsWith('$')) throw new FilterPatternError(`Invalid filter pattern: expected a selector like $.field, got ${selector}`);
  const path = selector.slice(1).match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
  const get = (doc: unknown): unknown => {
    let v: unknown = doc;
    for (const part of path) {
      const k = part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1);
      if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return MISSING;
      v = (v as Record<string | number, unknown>)[k];
    }
    return v;
  };
  const op = next();
  if (op === 'IS') {
    const what = next();
    const want = what === 'TRUE' ? true : what === 'FALSE' ? false : what === 'NULL' ? null : undefined;
    if (want === undefined) throw new FilterPatternError(`Invalid filter pattern: IS ${what} in ${text}`);
    return { test: (doc) => get(doc) === want };
  }
  if (op === 'NOT') {
    if (next() !== 'EXISTS') throw new FilterPatternError(`Invalid filter pattern: NOT without EXISTS in ${text}`);
    return { test: (doc) => get(doc) === MISSING };
  }
  if (!['=', '!=', '<', '<=', '>', '>='].includes(op))
    throw new FilterPatternError(`Invalid filter pattern: unknown operator ${op} in ${text}`);
  const raw = next();
  void peek;
  if (raw.startsWith('"') || (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw) && (op === '=' || op === '!='))) {
    if (op !== '=' && op !== '!=') throw new FilterPatternError(`Invalid filter pattern: ${op} needs a number in ${text}`);
    const literal = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    const wildcard = new RegExp(
      `^${literal
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    );
    const equal = (v: unknown) => v !== MISSING && v !== null && typeof v !== 'object' && wildcard.test(String(v));
    return { test: (doc) => (op === '=' ? equal(get(doc)) : get(doc) !== MISSING && !equal(get(doc))) };
  }
  const n = Number(raw);
  if (Number.isNaN(n)) throw new FilterPatternError(`Invalid filter pattern: ${raw} is not a number in ${text}`);
  const cmp: Record<string, (a: number) => boolean> = {
    '=': (a) => a === n,
    '!=': (a) => a !== n,
    '<': (a) => a < n,
    '<=': (a) => a <= n,
    '>': (a) => a > n,
    '>=': (a) => a >= n,
  };
  return { test: (doc) => typeof get(doc) === 'number' && cmp[op]!(get(doc) as number) };
}
