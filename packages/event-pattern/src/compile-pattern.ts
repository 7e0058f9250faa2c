/**
 * Pattern text → branches: validation with EventBridge's exact reason texts, and `$or`
 * expansion. The walk follows event-ruler's JsonRuleCompiler token by token, because AWS's
 * messages carry the parser position at which each check fails.
 *
 * A branch is one conjunction of field conditions: every field must match. A pattern matches
 * an event when any of its branches does.
 */
import { PatternError } from './pattern-error.js';
import { PatternReader, type TokenKind } from './pattern-reader.js';
import { BOTTOM, comparableFromText, comparableForPattern, NumberDomainError, TOP, type Comparable } from './comparable-number.js';
import { cidrRange, ipLiteralRange, looksLikeIp } from './ip-address.js';
import { parseWildcard, WildcardSyntaxError, wildcardComplexity, type Glob } from './wildcard.js';
import { testKey, type ValueTest } from './value-test.js';
import { compileIgnoreCase } from './ignore-case.js';

/** One field condition: the dotted path and the alternatives (any may match). */
export interface FieldCondition {
  readonly path: string;
  readonly tests: readonly ValueTest[];
  /** Canonical identity of the alternatives, so equal conditions share automaton states. */
  readonly key: string;
}

export type Branch = readonly FieldCondition[];

export interface CompileLimits {
  /**
   * Longest pattern text, in characters. AWS: 2,048 for a rule (a quota that can be raised to
   * 4,096), 4,096 for TestEventPattern.
   */
  readonly maxLength: number;
  /** Most branches `$or` may expand to (AWS: 1,000). */
  readonly maxBranches: number;
  /** Most wildcard states one input may keep alive (event-ruler's machine complexity cap). */
  readonly maxWildcardComplexity: number;
}

/** AWS's limits for rules: 2,048 characters; 1,000 `$or` combinations; wildcard complexity 10 (see PATTERNS.md). */
export const DEFAULT_LIMITS: CompileLimits = { maxLength: 2048, maxBranches: 1000, maxWildcardComplexity: 10 };

const OR = '$or';
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

export const TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/** AWS enforces the $or limit outside event-ruler and its text is not recorded: this one is ours. */
export const TOO_MANY_COMBINATIONS = (limit: number): string => `Event pattern has too many $or combinations: at most ${limit} are allowed`;

type Draft = Map<string, ValueTest[]>;

/** Compiles pattern text; throws PatternError with AWS's reason text when it is invalid. */
export function compilePattern(text: string, limits: CompileLimits = DEFAULT_LIMITS): Branch[] {
  // AWS enforces the size outside event-ruler and its text is not recorded: this one is ours.
  if (text.length > limits.maxLength) {
    throw new PatternError(`Event pattern is ${text.length} characters long; the maximum is ${limits.maxLength}`);
  }
  const r = new PatternReader(text);
  if (r.nextToken() !== 'START_OBJECT') r.fail('Filter is not an object');
  const drafts: Draft[] = [];
  parseObject(r, drafts, [], false, limits);
  // event-ruler stops reading after the pattern's closing brace: trailing text is ignored.
  if (drafts.length > limits.maxBranches) throw new PatternError(TOO_MANY_COMBINATIONS(limits.maxBranches));
  checkWildcardComplexity(drafts, limits);
  return drafts.map(toBranch);
}

function toBranch(draft: Draft): Branch {
  return [...draft].map(([path, tests]) => ({
    path,
    tests,
    key: tests.map(testKey).sort().join('|'),
  }));
}

function parseObject(r: PatternReader, rules: Draft[], path: string[], insideOr: boolean, limits: CompileLimits): void {
  let fields = 0;
  while (r.nextToken() !== 'END_OBJECT') {
    fields++;
    const name = r.currentName;
    if (name === OR) {
      parseOr(r, rules, path, limits);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(name)) {
      r.fail(`${name} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
    }
    const t = r.nextToken();
    if (t === 'START_OBJECT') {
      path.push(name);
      parseObject(r, rules, path, insideOr, limits);
      path.pop();
    } else if (t === 'START_ARRAY') {
      writeField(r, rules, [...path, name].join('.'));
    } else {
      r.fail(`"${name}" must be an object or an array`);
    }
  }
  if (fields === 0) r.fail('Empty objects are not allowed');
}

function parseOr(r: PatternReader, rules: Draft[], path: string[], limits: CompileLimits): void {
  const before = rules.map((d) => new Map(d));
  rules.length = 0;
  if (r.nextToken() !== 'START_ARRAY') r.fail(`It must be an Array followed with ${OR}.`);
  let count = 0;
  let t: TokenKind | null;
  while ((t = r.nextToken()) !== 'END_ARRAY') {
    count++;
    if (t !== 'START_OBJECT') r.fail(`Only JSON object is allowed in array of ${OR} relationship.`);
    const forked = before.length > 0 ? before.map((d) => new Map(d)) : [new Map()];
    parseObject(r, forked, path, true, limits);
    rules.push(...forked);
    // Stop a combinatorial explosion early rather than after building it.
    if (rules.length > limits.maxBranches) throw new PatternError(TOO_MANY_COMBINATIONS(limits.maxBranches));
  }
  if (count < 2) r.fail(`There must have at least 2 Objects in ${OR} relationship.`);
}

function writeField(r: PatternReader, rules: Draft[], path: string): void {
  const tests: ValueTest[] = [];
  let t: TokenKind | null;
  while ((t = r.nextToken()) !== 'END_ARRAY') {
    switch (t) {
      case 'START_OBJECT':
        tests.push(matchExpression(r));
        break;
      case 'VALUE_STRING': {
        const s = r.getText();
        const ip = looksLikeIp(s) ? ipLiteralRange(s) : null;
        tests.push(ip ? { op: 'ip', range: ip } : { op: 'string', value: s });
        break;
      }
      case 'VALUE_NUMBER_INT':
      case 'VALUE_NUMBER_FLOAT': {
        // A number matches equal values numerically where event-ruler can compare them,
        // and by its exact text always (so 300 matches 300.0, and account ids still match).
        const text = r.getText();
        const scaled = comparableFromText(text);
        if (scaled !== undefined) tests.push({ op: 'number-equals', scaled });
        tests.push({ op: 'number-text', text });
        break;
      }
      case 'VALUE_TRUE':
      case 'VALUE_FALSE':
      case 'VALUE_NULL':
        tests.push({ op: 'literal', text: r.getText() as 'true' | 'false' | 'null' });
        break;
      default:
        r.fail('Match value must be String, number, true, false, or null');
    }
  }
  if (tests.length === 0) r.fail('Empty arrays are not allowed');
  if (rules.length === 0) rules.push(new Map());
  for (const rule of rules) rule.set(path, tests);
}

function matchExpression(r: PatternReader): ValueTest {
  if (r.nextToken() !== 'FIELD_NAME') r.fail('Match expression name not found');
  const type = r.currentName;
  switch (type) {
    case 'exactly':
      return closeSingle(r, { op: 'string', value: stringValue(r, 'exact match pattern must be a string') });
    case 'prefix':
    case 'suffix':
      return prefixOrSuffix(r, type);
    case 'equals-ignore-case':
      return closeSingle(r, {
        op: 'equals-ignore-case',
        value: compileIgnoreCase(stringValue(r, 'equals-ignore-case match pattern must be a string')),
      });
    case 'wildcard': {
      const glob = wildcardValue(r, stringValue(r, 'wildcard match pattern must be a string'));
      return closeSingle(r, { op: 'wildcard', glob });
    }
    case 'numeric':
      if (r.nextToken() !== 'START_ARRAY') r.fail('Value of numeric must be an array.');
      return closeNumeric(r, numericExpression(r));
    case 'anything-but':
      return anythingBut(r);
    case 'exists': {
      const t = r.nextToken();
      if (t !== 'VALUE_TRUE' && t !== 'VALUE_FALSE') r.fail('exists match pattern must be either true or false.');
      return closeSingle(r, { op: 'exists', present: t === 'VALUE_TRUE' });
    }
    case 'cidr': {
      // event-ruler's message here really does say "prefix"; AWS returns it as is.
      const text = stringValue(r, 'prefix match pattern must be a string');
      let range;
      try {
        range = cidrRange(text);
      } catch (e) {
        // Thrown outside the parser in event-ruler, so AWS's text has no location suffix.
        throw new PatternError((e as Error).message);
      }
      return closeSingle(r, { op: 'ip', range });
    }
    default:
      r.fail(`Unrecognized match type ${type}`);
  }
}

function prefixOrSuffix(r: PatternReader, type: 'prefix' | 'suffix'): ValueTest {
  const t = r.nextToken();
  if (t === 'START_OBJECT') {
    const label = type === 'prefix' ? 'Prefix' : 'Suffix';
    if (r.nextToken() !== 'FIELD_NAME') r.fail(`${label} expression name not found`);
    if (r.currentName !== 'equals-ignore-case') r.fail(`Unsupported ${type} pattern: ${r.currentName}`);
    const value = compileIgnoreCase(stringValue(r, 'equals-ignore-case match pattern must be a string'));
    if (r.nextToken() !== 'END_OBJECT') r.fail('Only one key allowed in match expression');
    return closeSingle(r, { op: type === 'prefix' ? 'prefix-ignore-case' : 'suffix-ignore-case', value });
  }
  if (t !== 'VALUE_STRING') r.fail(`${type} match pattern must be a string`);
  return closeSingle(r, { op: type, value: r.getText() });
}

function stringValue(r: PatternReader, message: string): string {
  if (r.nextToken() !== 'VALUE_STRING') r.fail(message);
  return r.getText();
}

function wildcardValue(r: PatternReader, text: string): Glob {
  try {
    return parseWildcard(text);
  } catch (e) {
    if (e instanceof WildcardSyntaxError) r.fail(e.message);
    throw e;
  }
}

function closeSingle(r: PatternReader, test: ValueTest): ValueTest {
  if (r.nextToken() !== 'END_OBJECT') r.fail('Only one key allowed in match expression');
  return test;
}

function closeNumeric(r: PatternReader, test: ValueTest): ValueTest {
  if (r.nextToken() !== 'END_OBJECT') r.fail('Too many elements in numeric expression');
  return test;
}

const isNumber = (t: TokenKind | null): boolean => t === 'VALUE_NUMBER_INT' || t === 'VALUE_NUMBER_FLOAT';

/** The inside of `"numeric": [ … ]`, reading up to and including its `]`. */
function numericExpression(r: PatternReader): ValueTest {
  if (r.nextToken() !== 'VALUE_STRING') r.fail(`Invalid member in numeric match: ${r.getText()}`);
  const op = r.getText();
  const t = r.nextToken();
  switch (op) {
    case '=': {
      if (!isNumber(t)) r.fail('Value of equals must be numeric');
      const text = r.getText();
      if (r.nextToken() !== 'END_ARRAY') r.fail('Too many elements in numeric expression');
      const scaled = domain(r, text);
      return { op: 'range', low: scaled, lowOpen: false, high: scaled, highOpen: false };
    }
    case '>=':
    case '>': {
      if (!isNumber(t)) r.fail(`Value of ${op} must be numeric`);
      const bottomText = r.getText();
      const next = r.nextToken();
      if (next === 'END_ARRAY') {
        return { op: 'range', low: domain(r, bottomText), lowOpen: op === '>', high: TOP, highOpen: true };
      }
      return numericRange(r, bottomText, op === '>');
    }
    case '<=':
    case '<': {
      if (!isNumber(t)) r.fail(`Value of ${op} must be numeric`);
      const topText = r.getText();
      if (r.nextToken() !== 'END_ARRAY') r.fail('Too many elements in numeric expression');
      return { op: 'range', low: BOTTOM, lowOpen: true, high: domain(r, topText), highOpen: op === '<' };
    }
    default:
      r.fail(`Unrecognized numeric range operator: ${op}`);
  }
}

function numericRange(r: PatternReader, bottomText: string, lowOpen: boolean): ValueTest {
  if (r.current !== 'VALUE_STRING') r.fail(`Bad value in numeric range: ${r.getText()}`);
  const op = r.getText();
  if (op !== '<' && op !== '<=') r.fail(`Bad numeric range operator: ${op}`);
  if (!isNumber(r.nextToken())) r.fail(`Value of ${op} must be numeric`);
  const topText = r.getText();
  if (r.nextToken() !== 'END_ARRAY') r.fail('Too many terms in numeric range expression');
  const low = domain(r, bottomText);
  const high = domain(r, topText);
  if (low >= high) r.fail('Bottom must be less than top');
  return { op: 'range', low, lowOpen, high, highOpen: op === '<' };
}

/** A pattern number's comparable value; out-of-domain numbers fail at the parser position. */
function domain(r: PatternReader, text: string): Comparable {
  try {
    return comparableForPattern(text);
  } catch (e) {
    if (e instanceof NumberDomainError) r.fail(e.message);
    throw e;
  }
}

function anythingBut(r: PatternReader): ValueTest {
  let kind: 'plain' | 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard' = 'plain';
  let t = r.nextToken();
  if (t === 'START_OBJECT') {
    if (r.nextToken() !== 'FIELD_NAME') r.fail('Anything-But expression name not found');
    const name = r.currentName;
    if (name !== 'equals-ignore-case' && name !== 'prefix' && name !== 'suffix' && name !== 'wildcard') {
      r.fail(`Unsupported anything-but pattern: ${name}`);
    }
    kind = name;
    t = r.nextToken();
  }
  if (t !== 'START_ARRAY' && t !== 'VALUE_STRING' && !isNumber(t)) {
    r.fail('Value of anything-but must be an array or single string/number value.');
  }
  const test = kind === 'plain' ? anythingButValues(r, t) : anythingButSet(r, t, kind);
  if (r.nextToken() !== 'END_OBJECT') r.fail('Too many elements in numeric expression');
  if (kind !== 'plain' && r.nextToken() !== 'END_OBJECT') r.fail('Too many elements in numeric expression');
  return test;
}

function anythingButValues(r: PatternReader, first: TokenKind | null): ValueTest {
  const strings = new Set<string>();
  const numbers = new Set<Comparable>();
  if (first === 'VALUE_STRING') {
    strings.add(r.getText());
  } else if (isNumber(first)) {
    // event-ruler converts a single number outside its parser's error handling: no location.
    try {
      numbers.add(comparableForPattern(r.getText()));
    } catch (e) {
      throw new PatternError((e as Error).message);
    }
  } else {
    for (;;) {
      const t = r.reraising(() => r.nextToken());
      if (t === 'END_ARRAY') break;
      if (t === 'VALUE_STRING') strings.add(r.reraising(() => r.getText()));
      // A number out of range is an IllegalArgumentException there: reported once.
      else if (isNumber(t)) numbers.add(domain(r, r.getText()));
      else r.reraising(() => r.fail('Inside anything but list, start|null|boolean is not supported.'));
    }
    if (strings.size > 0 === numbers.size > 0) {
      r.fail('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
  }
  return { op: 'anything-but', strings, numbers };
}

function anythingButSet(
  r: PatternReader,
  first: TokenKind | null,
  kind: 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard',
): ValueTest {
  const values: string[] = [];
  const take = (t: TokenKind | null): void => {
    if (t !== 'VALUE_STRING') {
      if (kind === 'equals-ignore-case') r.fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
      if (kind === 'wildcard') r.fail('wildcard match pattern must be a string');
      r.fail('prefix/suffix match pattern must be a string');
    }
    const text = r.getText();
    if ((kind === 'prefix' || kind === 'suffix') && text === '') r.fail('Null prefix/suffix not allowed');
    values.push(text);
  };
  if (first === 'START_ARRAY') {
    r.reraising(() => {
      let t: TokenKind | null;
      while ((t = r.nextToken()) !== 'END_ARRAY') take(t);
    });
  } else {
    take(first);
  }
  switch (kind) {
    case 'equals-ignore-case':
      return { op: 'anything-but-ignore-case', values: values.map(compileIgnoreCase) };
    case 'prefix':
      return { op: 'anything-but-prefix', values };
    case 'suffix':
      return { op: 'anything-but-suffix', values };
    case 'wildcard':
      return { op: 'anything-but-wildcard', globs: values.map((v) => wildcardValue(r, v)) };
  }
}

/**
 * event-ruler refuses a rule whose wildcard patterns could keep too many partial matches alive
 * at once. Its machine holds all wildcards of one field together, so they are measured per path.
 */
function checkWildcardComplexity(drafts: Draft[], limits: CompileLimits): void {
  const byPath = new Map<string, Map<string, Glob>>();
  for (const draft of drafts) {
    for (const [path, tests] of draft) {
      for (const t of tests) {
        if (t.op !== 'wildcard') continue;
        let globs = byPath.get(path);
        if (!globs) byPath.set(path, (globs = new Map()));
        globs.set(t.glob.source, t.glob);
      }
    }
  }
  for (const globs of byPath.values()) {
    if (wildcardComplexity([...globs.values()], limits.maxWildcardComplexity) > limits.maxWildcardComplexity) {
      throw new PatternError(TOO_COMPLEX);
    }
  }
}
