import { conditionContext, conditionHolds, wildcardRegExp, type ConditionBlock } from './policy-conditions.js';

/**
 * One statement of a resource policy (queue `Policy`, topic `Policy`, function policy, bus
 * policy) as IAM's grammar writes it. Everything is optional here because the documents come
 * from users: a statement missing what it needs simply grants nothing.
 */
export interface ResourcePolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

/** What the policy is asked: may this account do this action on this resource? */
export interface PolicyQuestion {
  /** The calling account (amiwatch's keys belong to accounts; a key acts as the account's root). */
  readonly account: string;
  /** Set when a service calls on the account's behalf (`events.amazonaws.com`, `sns.amazonaws.com`): the principal is the service. */
  readonly service?: string;
  /** `service:Operation`, e.g. `sqs:ReceiveMessage` (compared case-insensitively, as IAM does). */
  readonly action: string;
  readonly resource: string;
  /** Extra condition keys of the request (aws:SourceArn, …); aws:PrincipalAccount is added. */
  readonly context?: Readonly<Record<string, string | undefined>>;
}

export type PolicyDecision = 'allow' | 'deny' | 'none';

const list = (v: unknown): readonly string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/**
 * A principal element names the account when it is `*`, `{"AWS": "*"}`, the account id or the
 * account's root ARN. A user or role ARN of the account names only that identity, which an
 * amiwatch key never is, so it grants nothing (IAM would not let the account's other
 * identities through either). Service principals are for services, never for callers.
 */
function principalNames(principal: unknown, q: PolicyQuestion): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  if (q.service !== undefined) return list((principal as { Service?: unknown }).Service).includes(q.service);
  return list((principal as { AWS?: unknown }).AWS).some((id) => id === '*' || id === q.account || id === `arn:aws:iam::${q.account}:root`);
}

const matchesAny = (patterns: readonly string[], value: string, caseless: boolean) =>
  patterns.some((p) => wildcardRegExp(caseless ? p.toLowerCase() : p).test(caseless ? value.toLowerCase() : value));

function applies(s: ResourcePolicyStatement, q: PolicyQuestion, context: ReturnType<typeof conditionContext>): boolean {
  if (s.Principal !== undefined ? !principalNames(s.Principal, q) : s.NotPrincipal === undefined || principalNames(s.NotPrincipal, q))
    return false;
  if (
    s.Action !== undefined
      ? !matchesAny(list(s.Action), q.action, true)
      : s.NotAction === undefined || matchesAny(list(s.NotAction), q.action, true)
  )
    return false;
  // A statement without Resource is the resource's own (Lambda and SQS fill it in; IAM requires it).
  if (s.Resource !== undefined && !matchesAny(list(s.Resource), q.resource, false)) return false;
  if (s.NotResource !== undefined && matchesAny(list(s.NotResource), q.resource, false)) return false;
  return conditionHolds(s.Condition, context);
}

/**
 * IAM's evaluation of one resource policy for one request: an explicit Deny that applies wins,
 * then an Allow that applies grants, otherwise nothing is granted ("implicit deny").
 */
export function evaluatePolicy(statements: readonly ResourcePolicyStatement[], q: PolicyQuestion): PolicyDecision {
  const context = conditionContext({ 'aws:PrincipalAccount': q.account, ...q.context });
  let decision: PolicyDecision = 'none';
  for (const s of statements) {
    if (!applies(s, q, context)) continue;
    if (s.Effect === 'Deny') return 'deny';
    if (s.Effect === 'Allow') decision = 'allow';
  }
  return decision;
}

/**
 * The statements of a policy document given as text (a queue's or topic's `Policy` attribute);
 * a document that does not parse has none, so it grants nothing.
 */
export function policyStatements(document: string | undefined): ResourcePolicyStatement[] {
  if (!document) return [];
  // Parsed once per text: every delivery to a queue or topic with a policy asks it (callers only read).
  let statements = parsedPolicies.get(document);
  if (!statements) {
    if (parsedPolicies.size >= 256) parsedPolicies.clear();
    statements = parseStatements(document);
    parsedPolicies.set(document, statements);
  }
  return statements;
}

const parsedPolicies = new Map<string, ResourcePolicyStatement[]>();

function parseStatements(document: string): ResourcePolicyStatement[] {
  try {
    const parsed = JSON.parse(document) as { Statement?: unknown };
    const s = parsed?.Statement;
    const all = Array.isArray(s) ? s : s && typeof s === 'object' ? [s] : [];
    return all.filter((x): x is ResourcePolicyStatement => x !== null && typeof x === 'object');
  } catch {
    return [];
  }
}
