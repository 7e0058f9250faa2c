import { conditionContext, conditionHolds, type ConditionBlock } from './policy-conditions.js';

/**
 * Whether a resource policy lets EventBridge deliver a rule's events: what AWS checks before an
 * SNS topic or SQS queue target accepts them ("the resource-based policy … must allow
 * events.amazonaws.com", eb-use-resource-based). Evaluated as IAM evaluates a resource policy:
 * an explicit Deny wins; otherwise a statement must Allow this principal, action and resource
 * with its Condition holding for `aws:SourceArn` (the rule) and `aws:SourceAccount`.
 *
 * This is the one place target deliveries (and the CLI's --init, deciding whether to add the
 * statement) ask; when the shared access check of the `hardening`
 * branch (core IAM-policy evaluation) lands, `allowsEventBridge` is the function to swap for it.
 */
export interface TargetAccess {
  readonly action: 'sns:Publish' | 'sqs:SendMessage';
  readonly resourceArn: string;
}

type Statement = Readonly<Record<string, unknown>>;

const SERVICE = 'events.amazonaws.com';

/** The rule whose events are delivered: `aws:SourceArn` and `aws:SourceAccount` of the request. */
export interface EventSource {
  readonly ruleArn: string;
  readonly account: string;
}

/** True when `policy` (the resource's Policy attribute, JSON) allows the delivery. */
export function allowsEventBridge(policy: string | undefined, access: TargetAccess, target: EventSource): boolean {
  const statements = parseStatements(policy);
  const context = conditionContext({ 'aws:SourceArn': target.ruleArn, 'aws:SourceAccount': target.account });
  const applies = (s: Statement) =>
    principalMatches(s.Principal) && listMatches(s.Action, (a) => wildcard(a, access.action, true)) && listMatches(s.Resource ?? '*', (r) => wildcard(r, access.resourceArn, false)) && conditionHolds(s.Condition as ConditionBlock | undefined, context);
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && applies(s));
}

function parseStatements(policy: string | undefined): Statement[] {
  if (!policy) return [];
  try {
    const p = JSON.parse(policy) as { Statement?: unknown };
    const list = Array.isArray(p.Statement) ? p.Statement : p.Statement ? [p.Statement] : [];
    return list.filter((s): s is Statement => s !== null && typeof s === 'object');
  } catch {
    return [];
  }
}

/** `*`, `{"AWS":"*"}` or `{"Service":"events.amazonaws.com"}` (a list may hold it). */
function principalMatches(p: unknown): boolean {
  if (p === '*') return true;
  if (p === null || typeof p !== 'object') return false;
  const { AWS, Service } = p as { AWS?: unknown; Service?: unknown };
  return listMatches(AWS, (v) => v === '*') || listMatches(Service, (v) => v === SERVICE);
}

function listMatches(value: unknown, test: (v: string) => boolean): boolean {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.some((v) => typeof v === 'string' && test(v));
}

/** IAM wildcards (`*`, `?`); actions compare without case, resources with it. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'i' : '');
  return re.test(value);
}
