import { check, DEFAULT_LIMITS, matches, type CompileLimits } from '@amiwatch/event-pattern';
import type { SnsAttributeValue } from './model.js';
import { SnsErrors } from '../generated/errors.js';

/**
 * SNS subscription filter policies on the EventBridge pattern engine (@amiwatch/event-pattern):
 * SNS's engine is the same language (its error texts are event-ruler's), so this file is only the
 * thin layer where SNS differs (sns-subscription-filter-policies, "Filter policy constraints"):
 *   - with scope MessageAttributes the policy is flat and the attributes become an event:
 *     `String` → string, `Number` → number, `String.Array` → its JSON values, `Binary` → absent;
 *   - numbers match "with five digits of accuracy after the decimal point", so both the policy's
 *     and the message's numbers are rounded to 5 decimals before the engine sees them;
 *   - at most 5 keys, and at most 150 combinations ("multiplying the number of values in each
 *     array"), with SNS's texts.
 * With scope MessageBody the (rounded) JSON body is the event, so a policy looks inside arrays of
 * objects as EventBridge does (`{"Records":{"eventName":[…]}}` on an S3 notification).
 */
type Policy = Record<string, unknown>;

/** SNS accepts filter policies up to 256 KB (the engine's default is EventBridge's 2,048 characters). */
export const FILTER_LIMITS: CompileLimits = { ...DEFAULT_LIMITS, maxLength: 256 * 1024 };
const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;

const invalid = (why: string) => SnsErrors.InvalidParameter(`Invalid parameter: FilterPolicy: ${why}`);

/** Validates a policy for its scope, with SNS's texts; returns it parsed. */
export function checkFilterPolicy(text: string, scope: string): Policy {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw invalid('failed to parse JSON.');
  }
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) throw invalid('Filter policy must be a JSON object');
  const p = policy as Policy;
  if (scope !== 'MessageBody' && isNested(p))
    throw SnsErrors.InvalidParameter('Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
  const reason = check(snsPattern(p), FILTER_LIMITS);
  if (reason !== null) throw invalid(reason);
  if (leafKeys(p) > MAX_KEYS) throw invalid(`Filter policy can not have more than ${MAX_KEYS} keys`);
  if (combinations(p) > MAX_COMBINATIONS) throw invalid('Filter policy is too complex');
  return p;
}

/** The policy as the engine compiles it: every number rounded to SNS's 5 decimals. */
export function snsPattern(policy: Policy): string {
  return JSON.stringify(roundNumbers(policy));
}

/** Message attributes as the event a MessageAttributes-scope policy is matched against. */
export function attributesEvent(attributes: Readonly<Record<string, SnsAttributeValue>>): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attributes)) {
    if (a.DataType.startsWith('Binary')) continue;
    if (a.DataType.startsWith('Number')) event[name] = round5(Number(a.StringValue));
    else if (a.DataType === 'String.Array') {
      const v = parseJson(a.StringValue ?? '');
      if (v !== undefined) event[name] = roundNumbers(v);
    } else event[name] = a.StringValue ?? '';
  }
  return event;
}

/** A message body as the event a MessageBody-scope policy is matched against; null if not a JSON object. */
export function bodyEvent(body: string): Record<string, unknown> | null {
  const doc = parseJson(body);
  return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (roundNumbers(doc) as Record<string, unknown>) : null;
}

/** One policy against message attributes (scope MessageAttributes). */
export function matchesAttributes(policy: Policy, attributes: Readonly<Record<string, SnsAttributeValue>>): boolean {
  return matches(snsPattern(policy), attributesEvent(attributes), FILTER_LIMITS);
}

/** One policy against a message body (scope MessageBody); a body that is not a JSON object never matches. */
export function matchesBody(policy: Policy, body: string): boolean {
  const event = bodyEvent(body);
  return event !== null && matches(snsPattern(policy), event, FILTER_LIMITS);
}

/** "Amazon SNS compares numeric values with five digits of accuracy after the decimal point." */
const round5 = (n: number): number => Math.round(n * 1e5) / 1e5;

function roundNumbers(v: unknown): unknown {
  if (typeof v === 'number') return round5(v);
  if (Array.isArray(v)) return v.map(roundNumbers);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundNumbers(x)]));
  return v;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Policy => v !== null && typeof v === 'object' && !Array.isArray(v);

function isNested(p: Policy): boolean {
  return Object.entries(p).some(([k, v]) => (k === '$or' ? Array.isArray(v) && v.some((b) => isObject(b) && isNested(b)) : isObject(v)));
}

/** Leaf keys (nested policies count only their leaves); a `$or` counts as its largest branch. */
function leafKeys(p: Policy): number {
  let n = 0;
  for (const [k, v] of Object.entries(p)) {
    if (k === '$or' && Array.isArray(v)) n += Math.max(0, ...v.filter(isObject).map(leafKeys));
    else n += isObject(v) ? leafKeys(v) : 1;
  }
  return n;
}

/** "The total combination of values … multiplying the number of values in each array"; `$or` branches add up. */
function combinations(p: Policy): number {
  let total = 1;
  for (const [k, v] of Object.entries(p)) {
    if (k === '$or' && Array.isArray(v)) total *= v.filter(isObject).reduce((sum, b) => sum + combinations(b), 0);
    else if (isObject(v)) total *= combinations(v);
    else if (Array.isArray(v)) total *= Math.max(1, v.length);
  }
  return total;
}
