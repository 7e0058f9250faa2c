import type { AddPermissionInput, RemovePermissionInput } from '@aws-sdk/client-sns';
import { accountPrincipal, hasStatement, oneOrMany, readPolicy, type PolicyDocument } from '../shared/policy-statements.js';
import type { RequestContext } from '../shared/request-context.js';
import type { TopicDoc } from './model.js';
import type { SnsState } from './sns-state.js';
import { SnsErrors } from '../generated/errors.js';

/** The actions AddPermission may grant on a topic (AddPermission API reference, "ActionName"). */
const TOPIC_ACTIONS = new Set([
  'Publish',
  'Subscribe',
  'Receive',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'AddPermission',
  'RemovePermission',
  'DeleteTopic',
  'ListSubscriptionsByTopic',
]);

/**
 * AddPermission / RemovePermission on a topic: a statement per label in the topic's `Policy`
 * attribute (the default policy when none was set), written as SNS writes it — `Principal.AWS`
 * the accounts' root ARNs, `Action` `SNS:<name>`, `Resource` the topic.
 */
export class TopicPermissions {
  constructor(
    private readonly state: SnsState,
    private readonly defaultPolicy: (t: TopicDoc) => string,
  ) {}

  async addPermission(ctx: RequestContext, input: AddPermissionInput): Promise<void> {
    const t = this.state.topicFor(ctx, input.TopicArn, 'AddPermission');
    const label = input.Label ?? '';
    const accounts = input.AWSAccountId ?? [];
    const actions = input.ActionName ?? [];
    if (accounts.length === 0) throw SnsErrors.InvalidParameter('Invalid parameter: AWSAccountId');
    if (actions.length === 0) throw SnsErrors.InvalidParameter('Invalid parameter: ActionName');
    if (actions.some((a) => !TOPIC_ACTIONS.has(a)))
      throw SnsErrors.InvalidParameter('Invalid parameter: Policy statement action out of service scope!');
    const policy = this.policyOf(t);
    if (hasStatement(policy, label)) throw SnsErrors.InvalidParameter('Invalid parameter: Statement already exists');
    policy.Statement.push({
      Sid: label,
      Effect: 'Allow',
      Principal: { AWS: oneOrMany(accounts.map(accountPrincipal)) },
      Action: oneOrMany(actions.map((a) => `SNS:${a}`)),
      Resource: t.arn,
    });
    await this.state.putTopic({ ...t, attributes: { ...t.attributes, Policy: JSON.stringify(policy) } });
  }

  /** A label the policy does not have changes nothing (SNS answers success). */
  async removePermission(ctx: RequestContext, input: RemovePermissionInput): Promise<void> {
    const t = this.state.topicFor(ctx, input.TopicArn, 'RemovePermission');
    const policy = this.policyOf(t);
    if (!hasStatement(policy, input.Label ?? '')) return;
    const kept = { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== input.Label) };
    await this.state.putTopic({ ...t, attributes: { ...t.attributes, Policy: JSON.stringify(kept) } });
  }

  private policyOf(t: TopicDoc): PolicyDocument {
    return readPolicy(t.attributes.Policy, () => JSON.parse(this.defaultPolicy(t)) as PolicyDocument);
  }
}
