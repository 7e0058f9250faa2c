/**
 * The `Condition` element of a resource policy statement (event bus, queue, topic, function), evaluated as IAM does:
 *  - every operator, and every key under it, must hold (AND); several values for one key are OR;
 *  - keys are case-insensitive, values case-sensitive (except the …IgnoreCase operators);
 *  - a key absent from the request: false for the positive operators, true for the negated ones
 *    (StringNotEquals, StringNotLike, ArnNotEquals, ArnNotLike), true with the `IfExists` suffix;
 *  - `Null`: "true" holds when the key is absent, "false" when present;
 *  - `ForAnyValue:` / `ForAllValues:` set operators (every key here has one value per request, so
 *    they reduce to the plain operator, except that ForAllValues holds for an absent key);
 *  - an operator amiwatch does not know makes the condition false, so a statement never grants
 *    (or denies) more than its author wrote.
 * The request's keys, for PutEvents: aws:PrincipalAccount, aws:PrincipalOrgID (when the account
 * belongs to a configured organization), events:source, events:detail-type, and for events
 * forwarded by a rule aws:SourceAccount and aws:SourceArn (the rule).
 */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** Request context: lower-cased key → value (absent keys are simply missing). */
export type ConditionContext = ReadonlyMap<string, string>;

export function conditionContext(values: Readonly<Record<string, string | undefined>>): ConditionContext {
  const context = new Map<string, string>();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) context.set(key.toLowerCase(), value);
  return context;
}

type Test = (actual: string, expected: string) => boolean;

const positive: Readonly<Record<string, Test>> = {
  stringequals: (a, e) => a === e,
  stringequalsignorecase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  stringlike: (a, e) => wildcardRegExp(e).test(a),
  // IAM treats ArnEquals and ArnLike alike: both take wildcards, component by component.
  arnequals: (a, e) => arnMatches(a, e),
  arnlike: (a, e) => arnMatches(a, e),
};

const negated: Readonly<Record<string, string>> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
};

export function conditionHolds(block: ConditionBlock | undefined, context: ConditionContext): boolean {
  if (block === undefined) return true;
  for (const [operator, keys] of Object.entries(block)) {
    if (keys === null || typeof keys !== 'object') return false;
    for (const [key, expected] of Object.entries(keys)) {
      const values = (Array.isArray(expected) ? expected : [expected]).map(String);
      if (!operatorHolds(operator, context.get(key.toLowerCase()), values)) return false;
    }
  }
  return true;
}

function operatorHolds(operator: string, actual: string | undefined, expected: readonly string[]): boolean {
  let name = operator.toLowerCase();
  let set: 'any' | 'all' | null = null;
  if (name.startsWith('foranyvalue:')) (set = 'any'), (name = name.slice('foranyvalue:'.length));
  else if (name.startsWith('forallvalues:')) (set = 'all'), (name = name.slice('forallvalues:'.length));
  const ifExists = name.endsWith('ifexists');
  if (ifExists) name = name.slice(0, -'ifexists'.length);

  if (name === 'null') return expected.some((v) => (v === 'true') === (actual === undefined));
  if (actual === undefined) {
    if (set === 'all' || ifExists) return true;
    return set === null && name in negated;
  }
  const base = negated[name];
  const test = positive[base ?? name];
  if (!test) return false;
  const anyMatch = expected.some((e) => test(actual, e));
  return base ? !anyMatch : anyMatch;
}

const patterns = new Map<string, RegExp>();

/** IAM's `*` (any run) and `?` (one character); everything else literal. */
export function wildcardRegExp(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    patterns.set(pattern, (re = new RegExp(`^${body}$`, 's')));
  }
  return re;
}

/** ARNs compare per colon-separated component (the sixth, the resource, may contain colons). */
function arnMatches(actual: string, expected: string): boolean {
  const a = splitArn(actual);
  const e = splitArn(expected);
  // Not six components on both sides: no ARN comparison applies (only identical text matches).
  if (!a || !e) return actual === expected;
  return a.every((part, i) => wildcardRegExp(e[i]!).test(part));
}

function splitArn(arn: string): string[] | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
