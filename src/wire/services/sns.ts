import { ServiceError } from '../../core/shared/service-error.js';
import type { SnsService } from '../../core/sns/sns-service.js';
import { dispatch, type DispatchOptions } from '../dispatch.js';
import { snsModel, type SnsOperations } from '../generated/sns.js';
import { entries, queryProtocol } from '../protocols/query.js';
import type { ServiceHandler } from '../service-handler.js';

export const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
export const SNS_QUERY_VERSION = snsModel.apiVersion;

/** SNS's operations bound to the domain. */
export function snsOperations(sns: SnsService): SnsOperations {
  const { subscriptions, publisher } = sns;
  return {
    CreateTopic: (ctx, input) => sns.createTopic(input, ctx),
    DeleteTopic: (_ctx, input) => sns.deleteTopic(input),
    ListTopics: (ctx, input) => sns.listTopics(input, ctx),
    GetTopicAttributes: (_ctx, input) => sns.getTopicAttributes(input),
    SetTopicAttributes: (_ctx, input) => sns.setTopicAttributes(input),
    TagResource: async (_ctx, input) => (await sns.tagResource(input), {}),
    UntagResource: async (_ctx, input) => (await sns.untagResource(input), {}),
    ListTagsForResource: (_ctx, input) => sns.listTagsForResource(input),
    Subscribe: (ctx, input) => subscriptions.subscribe(input, ctx),
    ConfirmSubscription: (_ctx, input) => subscriptions.confirmSubscription(input),
    Unsubscribe: (_ctx, input) => subscriptions.unsubscribe(input),
    ListSubscriptions: (ctx, input) => subscriptions.listSubscriptions(input, ctx),
    ListSubscriptionsByTopic: (_ctx, input) => subscriptions.listSubscriptionsByTopic(input),
    GetSubscriptionAttributes: (_ctx, input) => subscriptions.getSubscriptionAttributes(input),
    SetSubscriptionAttributes: (_ctx, input) => subscriptions.setSubscriptionAttributes(input),
    Publish: (ctx, input) => publisher.publish(input, ctx),
    PublishBatch: (_ctx, input) => publisher.publishBatch(input),
  };
}

/** SNS over awsQuery: form in, XML out (the only protocol SNS clients use). */
export const snsProtocol = queryProtocol(snsModel, {
  namespace: SNS_NAMESPACE,
  decoding: {
    invalidValue: (raw, key) => new ServiceError('InvalidParameterValue', `Value ${raw} for parameter ${key} is invalid.`),
    tooMany: (key, count, max) => new ServiceError('InvalidParameter', `Invalid parameter: ${key} has ${count} entries, more than the allowed maximum [${max}].`),
  },
  invalidAction: (action) => new ServiceError('InvalidAction', `The action ${action} is not valid for this web service.`),
  // Operations without output answer no Result element; TagResource/UntagResource an empty one.
  result: (_operation, output) => (output === undefined ? null : (toXml(output) as Record<string, unknown>)),
  internalError: () => new ServiceError('InternalError', 'An internal error has occurred.', 500),
});

export const createSnsHandler = (sns: SnsService, onInternalError: DispatchOptions['onInternalError']): ServiceHandler =>
  dispatch(snsProtocol, snsOperations(sns), { ...(onInternalError && { onInternalError }) });

export const snsError = snsProtocol.error;

/** SNS's query shapes: lists as `<member>`, the `Attributes` map as `<entry><key/><value/>`. */
function toXml(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return { member: value.map((v) => toXml(v)) };
  if (value !== null && typeof value === 'object') {
    if (key === 'Attributes') return entries(value as Record<string, string>);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toXml(v, k)]));
  }
  return value;
}
