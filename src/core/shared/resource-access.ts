import type { RequestContext } from './request-context.js';
import { evaluatePolicy, type ResourcePolicyStatement } from './resource-policy.js';
import type { ServiceError } from './service-error.js';

/** A resource as the access check sees it: where it lives and who owns it. */
export interface OwnedResource {
  readonly arn: string;
  readonly account: string;
  readonly region: string;
}

/** How one service answers a request the check refuses, in that service's own words. */
export interface AccessAnswers {
  /** The resource is in another Region: the caller's regional endpoint does not know it. */
  readonly notFound: () => ServiceError;
  /** Another account's resource whose policy grants the caller nothing (AWS answers 403). */
  readonly denied: (principalArn: string, action: string) => ServiceError;
}

export interface AccessRequest {
  /** `service:Operation`, e.g. `sqs:ReceiveMessage`, `SNS:Subscribe`, `lambda:InvokeFunction`. */
  readonly action: string;
  /** The resource's policy (queue, topic, function, bus): the only way across accounts. */
  readonly policy: readonly ResourcePolicyStatement[];
  /** Extra condition keys the policy may test (aws:SourceArn, …). */
  readonly context?: Readonly<Record<string, string | undefined>>;
}

/** The caller as IAM names it in AccessDenied texts: amiwatch's keys act as their account's root. */
export const principalArn = (ctx: Pick<RequestContext, 'accountId'>): string => `arn:aws:iam::${ctx.accountId}:root`;

/**
 * THE check every service runs when a request names a resource (one mechanism, not a check per
 * handler): a resource of another Region is not found (AWS's endpoints are regional); the owning
 * account may do anything (its keys act as the account's root, which no resource policy can lock
 * out); another account only what the resource policy grants it, evaluated as IAM does (explicit
 * Deny wins, then Allow, else implicit deny). Returns the resource so lookups read as one call.
 */
export function authorize<R extends OwnedResource>(
  ctx: Pick<RequestContext, 'accountId' | 'region'>,
  resource: R,
  request: AccessRequest,
  answers: AccessAnswers,
): R {
  if (resource.region !== ctx.region) throw answers.notFound();
  if (resource.account === ctx.accountId) return resource;
  const decision = evaluatePolicy(request.policy, {
    account: ctx.accountId,
    action: request.action,
    resource: resource.arn,
    context: { 'aws:SourceOwner': ctx.accountId, ...request.context },
  });
  if (decision !== 'allow') throw answers.denied(principalArn(ctx), request.action);
  return resource;
}

/** Whether `ctx` may see `resource` in a listing: lists show the caller's own resources only. */
export const ownedBy = (ctx: Pick<RequestContext, 'accountId' | 'region'>, resource: { account: string; region: string }): boolean =>
  resource.account === ctx.accountId && resource.region === ctx.region;

/** A service delivering on behalf of a resource of some account (an EventBridge rule, an SNS topic). */
export interface ServiceCaller {
  /**
   * `events.amazonaws.com`, `sns.amazonaws.com`; absent when the sender acts as its account (a
   * Lambda function's execution role sending to its destinations): the policy must then grant
   * that account, as IAM grants a role of it.
   */
  readonly service?: string;
  /** The rule or topic that sends. */
  readonly sourceArn: string;
  readonly sourceAccount: string;
  /**
   * Ask the resource's policy within its own account too: AWS does for EventBridge's SNS and SQS
   * targets (eb-use-resource-based); amiwatch does unless --ignore-target-policies.
   */
  readonly policyInAccount?: boolean;
}

/**
 * The same check for a service sending into a resource (EventBridge targets and DLQs, SNS
 * subscriptions): within one account it may (amiwatch does not ask for the policies AWS wants
 * even there); into another account only what the resource's policy grants the service, with
 * `aws:SourceArn` / `aws:SourceAccount` for its conditions — AWS's way for a queue to accept
 * another account's rule or topic. With `policyInAccount` (EventBridge targets) the policy is
 * asked in the same account too: one check for both.
 */
export function serviceMay(caller: ServiceCaller, resource: OwnedResource, request: AccessRequest): boolean {
  if (resource.account === caller.sourceAccount && !caller.policyInAccount) return true;
  return servicePolicyAllows(caller, resource.arn, request);
}

/** What a resource policy says of a service sending for `caller.sourceArn` (IAM's evaluation, resource-policy.ts). */
export function servicePolicyAllows(caller: ServiceCaller, resourceArn: string, request: AccessRequest): boolean {
  const decision = evaluatePolicy(request.policy, {
    account: caller.sourceAccount,
    ...(caller.service !== undefined && { service: caller.service }),
    action: request.action,
    resource: resourceArn,
    context: { 'aws:SourceArn': caller.sourceArn, 'aws:SourceAccount': caller.sourceAccount, ...request.context },
  });
  return decision === 'allow';
}
