import { servicePolicyAllows, type ServiceCaller } from '../shared/resource-access.js';
import { policyStatements } from '../shared/resource-policy.js';

/**
 * Whether a resource policy lets EventBridge deliver a rule's events: what AWS checks before an
 * SNS topic or SQS queue target accepts them ("the resource-based policy … must allow
 * events.amazonaws.com", eb-use-resource-based). The policy engine is the shared one
 * (resource-policy.ts: explicit Deny wins, then an Allow for this principal, action and resource
 * whose Condition holds for `aws:SourceArn` (the rule) and `aws:SourceAccount`).
 *
 * Deliveries ask through `serviceMay` with `eventBridgeCaller(…, true)` in the SNS/SQS core
 * (one check for the same and another account); the CLI's --init asks here whether the statement
 * is already there.
 */
export interface TargetAccess {
  readonly action: 'sns:Publish' | 'sqs:SendMessage';
  readonly resourceArn: string;
}

/** The rule whose events are delivered: `aws:SourceArn` and `aws:SourceAccount` of the request. */
export interface EventSource {
  readonly ruleArn: string;
  readonly account: string;
}

/** EventBridge sending for a rule; `enforce` also asks the policy within the rule's own account. */
export const eventBridgeCaller = (target: EventSource, enforce: boolean): ServiceCaller => ({
  service: 'events.amazonaws.com',
  sourceArn: target.ruleArn,
  sourceAccount: target.account,
  policyInAccount: enforce,
});

/** True when `policy` (the resource's Policy attribute, JSON) allows the delivery. */
export function allowsEventBridge(policy: string | undefined, access: TargetAccess, target: EventSource): boolean {
  return servicePolicyAllows(eventBridgeCaller(target, true), access.resourceArn, {
    action: access.action,
    policy: policyStatements(policy),
  });
}
