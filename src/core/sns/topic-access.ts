import { parseArn } from '../shared/arn.js';
import { authorize } from '../shared/resource-access.js';
import type { RequestContext } from '../shared/request-context.js';
import { policyStatements } from '../shared/resource-policy.js';
import { SnsErrors } from '../generated/errors.js';
import type { SubscriptionDoc, TopicDoc } from './model.js';

/** Another Region's topic: AWS's regional endpoint calls the ARN a bad parameter (push/push-access.ts). */
const topicNotFound = () => SnsErrors.InvalidParameter('Invalid parameter: TopicArn');

/**
 * Every SNS operation that names a topic passes here (resource-access.ts decides): the owner may
 * do anything; another account what the topic's policy grants (its `Policy` attribute, or AWS's
 * default policy, whose `AWS:SourceOwner` condition grants other accounts nothing), else AWS's
 * `AuthorizationError` (403): "User: <principal> is not authorized to perform: SNS:<Action> on
 * resource: <topic ARN>".
 */
export function authorizeTopic(ctx: RequestContext, topic: TopicDoc, operation: string, policy: string): TopicDoc {
  return authorize(
    ctx,
    topic,
    { action: `SNS:${operation}`, policy: policyStatements(policy) },
    {
      notFound: topicNotFound,
      denied: (principal, action) =>
        SnsErrors.AuthorizationError(`User: ${principal} is not authorized to perform: ${action} on resource: ${topic.arn}`),
    },
  );
}

/**
 * Subscriptions have no policy of their own (SNS has no subscription resource type to name): the
 * account that made the subscription and the topic's owner may use it, no one else. AWS answers
 * others `AuthorizationError` "Not authorized to access this subscription"; a subscription of
 * another Region is a bad parameter for the caller.
 */
export function authorizeSubscription(ctx: RequestContext, sub: SubscriptionDoc): SubscriptionDoc {
  const topic = parseArn(sub.topicArn);
  if (topic && topic.region !== ctx.region) throw SnsErrors.InvalidParameter('Invalid parameter: SubscriptionArn');
  if (sub.account !== ctx.accountId && topic?.account !== ctx.accountId) {
    throw SnsErrors.AuthorizationError('Not authorized to access this subscription');
  }
  return sub;
}

/** The topic's policy: its `Policy` attribute, else the default one AWS gives every new topic. */
export const topicPolicy = (t: TopicDoc): string => t.attributes.Policy ?? defaultPolicy(t.arn, t.account);

function defaultPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  });
}
