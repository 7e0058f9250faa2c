import type { SnsAttributeValue } from './model.js';
import { SnsErrors } from '../generated/errors.js';

/**
 * SNS subscription filter policies (sns-subscription-filter-policies, "Filter policy
 * constraints"). Own evaluator rather than the EventBridge engine because SNS differs: with
 * scope MessageAttributes the keys are attribute names, `Number` attributes compare
 * numerically, `String.Array` attributes match if any element matches, and binary attributes
 * never match. Operators: exact string/number, `prefix`, `suffix`, `equals-ignore-case`,
 * `anything-but` (value, list, `{prefix}`, `{suffix}`), `numeric`, `exists`, `$or`.
 */
type Policy = Record<string, unknown>;
type Value = string | number | boolean | null;

export function checkFilterPolicy(text: string, scope: string): Policy {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw invalid('failed to parse JSON.');
  }
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) throw invalid('Filter policy must be a JSON object');
  walk(policy as Policy, scope === 'MessageBody', 1);
  return policy as Policy;
}

const invalid = (why: string) => SnsErrors.InvalidParameter(`Invalid parameter: FilterPolicy: ${why}`);

function walk(policy: Policy, nested: boolean, depth: number): void {
  if (depth > 5) throw invalid('Filter policy is too deep');
  for (const [key, rule] of Object.entries(policy)) {
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) throw invalid('$or must be an array of at least two objects');
      for (const r of rule) walk(r as Policy, nested, depth);
    } else if (Array.isArray(rule)) {
      if (rule.length === 0) throw invalid(`Empty arrays are not allowed`);
      for (const r of rule) checkCondition(key, r);
    } else if (nested && rule !== null && typeof rule === 'object') walk(rule as Policy, nested, depth + 1);
    else throw invalid(`"${key}" must be an object or an array`);
  }
}

function checkCondition(key: string, r: unknown): void {
  if (r === null || typeof r !== 'object') return;
  const ops = Object.keys(r as object);
  if (ops.length !== 1) throw invalid(`Only one key allowed in match expression for ${key}`);
  const op = ops[0]!;
  if (!['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'cidr'].includes(op)) throw invalid(`Unrecognized match type ${op}`);
  const v = (r as Record<string, unknown>)[op];
  if (op === 'numeric' && !Array.isArray(v)) throw invalid('Value of numeric must be an array.');
  if (op === 'exists' && typeof v !== 'boolean') throw invalid('exists match pattern must be either true or false.');
}

/** Matches a policy against message attributes (scope MessageAttributes). */
export function matchesAttributes(policy: Policy, attributes: Readonly<Record<string, SnsAttributeValue>>): boolean {
  const values = (key: string): Value[] | undefined => {
    const a = attributes[key];
    if (!a || a.DataType.startsWith('Binary')) return undefined;
    if (a.DataType.startsWith('Number')) return [Number(a.StringValue)];
    if (a.DataType === 'String.Array') {
      try {
        const arr = JSON.parse(a.StringValue ?? '') as unknown;
        return Array.isArray(arr) ? (arr.filter((x) => x === null || typeof x !== 'object') as Value[]) : undefined;
      } catch {
        return undefined;
      }
    }
    return [a.StringValue ?? ''];
  };
  return matchPolicy(policy, values);
}

/** Matches a policy against a JSON message body (scope MessageBody); a non-JSON body never matches. */
export function matchesBody(policy: Policy, body: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return false;
  }
  return matchObject(policy, doc);
}

function matchObject(policy: Policy, doc: unknown): boolean {
  const obj = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  return Object.entries(policy).every(([key, rule]) => {
    if (key === '$or') return (rule as Policy[]).some((p) => matchObject(p, doc));
    if (!Array.isArray(rule)) return matchObject(rule as Policy, obj[key]);
    const v = obj[key];
    const vals = v === undefined ? undefined : (Array.isArray(v) ? v : [v]).filter((x) => x === null || typeof x !== 'object') as Value[];
    return matchRule(rule, vals);
  });
}

function matchPolicy(policy: Policy, values: (key: string) => Value[] | undefined): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    if (key === '$or') return (rule as Policy[]).some((p) => matchPolicy(p, values));
    return matchRule(rule as unknown[], values(key));
  });
}

/** One key: any condition matching any value (OR), with `exists` judged on presence. */
function matchRule(conditions: readonly unknown[], values: Value[] | undefined): boolean {
  return conditions.some((c) => {
    if (c !== null && typeof c === 'object' && 'exists' in c) return (c as { exists: boolean }).exists === (values !== undefined);
    if (values === undefined) return false;
    return values.some((v) => matchValue(c, v));
  });
}

function matchValue(c: unknown, v: Value): boolean {
  if (c === null || typeof c !== 'object') return typeof c === 'number' && typeof v === 'string' ? false : c === v;
  const [op, arg] = Object.entries(c as Record<string, unknown>)[0]!;
  const s = typeof v === 'string' ? v : null;
  switch (op) {
    case 'prefix':
      return s !== null && s.startsWith(String(arg));
    case 'suffix':
      return s !== null && s.endsWith(String(arg));
    case 'equals-ignore-case':
      return s !== null && s.toLowerCase() === String(arg).toLowerCase();
    case 'numeric':
      return typeof v === 'number' && numeric(arg as unknown[], v);
    case 'anything-but':
      return anythingBut(arg, v);
    default:
      return false;
  }
}

function anythingBut(arg: unknown, v: Value): boolean {
  if (Array.isArray(arg)) return !arg.includes(v);
  if (arg !== null && typeof arg === 'object') {
    const [op, x] = Object.entries(arg as Record<string, unknown>)[0]!;
    if (typeof v !== 'string') return true;
    if (op === 'prefix') return !v.startsWith(String(x));
    if (op === 'suffix') return !v.endsWith(String(x));
    return true;
  }
  return arg !== v;
}

function numeric(terms: readonly unknown[], v: number): boolean {
  for (let i = 0; i + 1 < terms.length; i += 2) {
    const op = terms[i];
    const n = Number(terms[i + 1]);
    const ok = op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : op === '>=' ? v >= n : false;
    if (!ok) return false;
  }
  return true;
}
