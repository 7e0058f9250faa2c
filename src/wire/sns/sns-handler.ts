import type { RequestContext } from '../../core/shared/request-context.js';
import { isServiceError, ServiceError } from '../../core/shared/service-error.js';
import { unavailable } from '../../core/shared/unavailable.js';
import type { SnsService } from '../../core/sns/sns-service.js';
import { formParams } from '../query/query-params.js';
import { entries, queryError, queryResponse } from '../query/query-xml.js';
import type { ServiceHandler, WireResponse } from '../service-handler.js';
import { snsQueryInputs } from './sns-query-input.js';

export const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
export const SNS_QUERY_VERSION = '2010-03-31';

type Call = (s: SnsService, input: never, ctx: RequestContext) => Promise<object | void>;

const operations: Readonly<Record<string, Call>> = {
  CreateTopic: (s, i, c) => s.createTopic(i, c),
  DeleteTopic: (s, i, c) => s.deleteTopic(i, c),
  ListTopics: (s, i, c) => s.listTopics(i, c),
  GetTopicAttributes: (s, i, c) => s.getTopicAttributes(i, c),
  SetTopicAttributes: (s, i, c) => s.setTopicAttributes(i, c),
  TagResource: (s, i, c) => s.tagResource(i, c),
  UntagResource: (s, i, c) => s.untagResource(i, c),
  ListTagsForResource: (s, i, c) => s.listTagsForResource(i, c),
  Subscribe: (s, i, c) => s.subscriptions.subscribe(i, c),
  ConfirmSubscription: (s, i) => s.subscriptions.confirmSubscription(i),
  Unsubscribe: (s, i, c) => s.subscriptions.unsubscribe(i, c),
  ListSubscriptions: (s, i, c) => s.subscriptions.listSubscriptions(i, c),
  ListSubscriptionsByTopic: (s, i, c) => s.subscriptions.listSubscriptionsByTopic(i, c),
  GetSubscriptionAttributes: (s, i, c) => s.subscriptions.getSubscriptionAttributes(i, c),
  SetSubscriptionAttributes: (s, i, c) => s.subscriptions.setSubscriptionAttributes(i, c),
  Publish: (s, i, c) => s.publisher.publish(i, c),
  PublishBatch: (s, i, c) => s.publisher.publishBatch(i, c),
};

/** The operations served (the cross-account test matrix is generated from this list). */
export const supportedSnsOperations = (): string[] => Object.keys(operations);

/** Operations that answer an empty `<OpResult/>`; the rest of the void ones answer no Result. */
const emptyResult = new Set(['TagResource', 'UntagResource']);

/** SNS over awsQuery: form in, XML out (the only protocol SNS clients use, see wire/README). */
export function createSnsHandler(service: SnsService, onInternalError: (err: unknown) => void): ServiceHandler {
  return async (request) => {
    const ctx = request.context;
    try {
      const params = formParams(request.url, request.body);
      const action = params.get('Action') ?? '';
      const call = Object.hasOwn(operations, action) ? operations[action] : undefined;
      const decode = snsQueryInputs[action];
      if (!call || !decode) throw new ServiceError('InvalidAction', `The action ${action} is not valid for this web service.`);
      const out = await call(service, decode(params) as never, ctx);
      if (out === undefined) return queryResponse(SNS_NAMESPACE, action, ctx.requestId, emptyResult.has(action) ? {} : null);
      return queryResponse(SNS_NAMESPACE, action, ctx.requestId, toXml(out as Record<string, unknown>) as Record<string, unknown>);
    } catch (err) {
      if (isServiceError(err)) return snsError(ctx, err);
      const busy = unavailable(err);
      if (busy) return snsError(ctx, busy);
      onInternalError(err);
      return snsError(ctx, new ServiceError('InternalError', 'An internal error has occurred.', 500));
    }
  };
}

export const snsError = (ctx: RequestContext, err: ServiceError): WireResponse => queryError(SNS_NAMESPACE, ctx.requestId, err);

/** SNS's query shapes: lists as `<member>`, the `Attributes` map as `<entry><key/><value/>`. */
function toXml(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return { member: value.map((v) => toXml(v)) };
  if (value !== null && typeof value === 'object') {
    if (key === 'Attributes') return entries(value as Record<string, string>);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toXml(v, k)]));
  }
  return value;
}
