import type {
  ConfirmSubscriptionInput,
  ConfirmSubscriptionResponse,
  GetSubscriptionAttributesInput,
  GetSubscriptionAttributesResponse,
  ListSubscriptionsByTopicInput,
  ListSubscriptionsByTopicResponse,
  ListSubscriptionsInput,
  ListSubscriptionsResponse,
  SetSubscriptionAttributesInput,
  SubscribeInput,
  SubscribeResponse,
  Subscription,
  UnsubscribeInput,
} from '@aws-sdk/client-sns';
import { parseArn } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import type { SnsEndpoints } from './endpoints.js';
import { checkFifoSubscription } from './fifo-topic.js';
import { checkFilterPolicy } from './filter-policy.js';
import { checkRedrivePolicy } from './redrive-policy.js';
import type { Protocol, SubscriptionDoc } from './model.js';
import type { SnsState } from './sns-state.js';
import { paginate } from './paging.js';
import { SnsErrors } from '../generated/errors.js';
import { checkRegion } from './push/push-access.js';

const TOKEN_TTL_MS = 3 * 24 * 3600_000;
const SUB_ATTRIBUTES = new Set([
  'RawMessageDelivery',
  'FilterPolicy',
  'FilterPolicyScope',
  'DeliveryPolicy',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);
/** Protocols whose endpoints must confirm; the others are confirmed at once (same account). */
const NEEDS_CONFIRMATION = new Set<Protocol>(['http', 'https', 'email', 'email-json']);

/** Subscribe … SetSubscriptionAttributes. */
export class Subscriptions {
  constructor(
    private readonly state: SnsState,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly endpoints: SnsEndpoints,
  ) {}

  async subscribe(ctx: RequestContext, input: SubscribeInput): Promise<SubscribeResponse> {
    const topic = this.state.topicFor(ctx, input.TopicArn, 'Subscribe');
    const protocol = checkEndpoint(input.Protocol, input.Endpoint);
    const endpoint = input.Endpoint!;
    checkFifoSubscription(topic, protocol, endpoint);
    const attributes = checkSubscriptionAttributes(input.Attributes ?? {}, protocol);
    if (attributes.RedrivePolicy !== undefined) checkRedrivePolicy(attributes.RedrivePolicy, topic.arn);
    const existing = this.state.subscriptionsOf(topic.arn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
    const now = this.clock.now();
    if (existing) {
      // Subscribing an endpoint again is idempotent only with the same attributes (Subscribe API reference).
      if (Object.entries(attributes).some(([k, v]) => (existing.attributes[k] ?? '') !== v)) {
        throw SnsErrors.InvalidParameter('Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
      }
      if (existing.confirmed || input.ReturnSubscriptionArn) return { SubscriptionArn: existing.arn };
      // Tokens are valid three days: a confirmation sent again after that carries a new one.
      const pending =
        (existing.tokenExpiresAt ?? 0) < now ? { ...existing, token: this.newToken(), tokenExpiresAt: now + TOKEN_TTL_MS } : existing;
      if (pending !== existing) await this.state.putSubscription(pending);
      await this.endpoints.requestConfirmation(pending, topic);
      return { SubscriptionArn: 'pending confirmation' };
    }
    const confirm = NEEDS_CONFIRMATION.has(protocol);
    const sub: SubscriptionDoc = {
      arn: `${topic.arn}:${this.random.uuid()}`,
      topicArn: topic.arn,
      account: ctx.accountId,
      protocol,
      endpoint,
      confirmed: !confirm,
      ...(confirm && { token: this.newToken(), tokenExpiresAt: now + TOKEN_TTL_MS }),
      attributes,
      createdAt: now,
    };
    await this.state.putSubscription(sub);
    if (confirm) await this.endpoints.requestConfirmation(sub, topic);
    return { SubscriptionArn: confirm && !input.ReturnSubscriptionArn ? 'pending confirmation' : sub.arn };
  }

  /** Confirms a pending subscription, or restores one deactivated through its link (its UnsubscribeConfirmation's token). */
  async confirmSubscription(ctx: RequestContext, input: ConfirmSubscriptionInput): Promise<ConfirmSubscriptionResponse> {
    checkRegion(ctx, input.TopicArn, 'TopicArn');
    return this.confirmByLink(input);
  }

  /** The SubscribeURL / confirmation page: the link names its topic, whichever Region it is in. */
  async confirmByLink(input: ConfirmSubscriptionInput): Promise<ConfirmSubscriptionResponse> {
    const topic = this.state.topic(input.TopicArn);
    const hasToken = (s: SubscriptionDoc) => s.topicArn === topic.arn && s.token !== undefined && s.token === input.Token;
    const sub = this.state.subscriptionsOf(topic.arn).find(hasToken) ?? [...this.state.deactivated.values()].find(hasToken);
    if (!sub || (sub.tokenExpiresAt ?? 0) < this.clock.now()) throw SnsErrors.InvalidParameter('Invalid token');
    const { token: _t, tokenExpiresAt: _e, ...rest } = sub;
    if (!this.state.deactivated.has(sub.arn)) {
      await this.state.putSubscription({ ...rest, confirmed: true });
      return { SubscriptionArn: sub.arn };
    }
    // Subscribed again meanwhile: that subscription stands, the restore has nothing to add.
    const again = this.state.subscriptionsOf(topic.arn).find((s) => s.protocol === sub.protocol && s.endpoint === sub.endpoint);
    await this.state.settleDeactivated(sub, again ? null : { ...rest, confirmed: true });
    return { SubscriptionArn: again?.arn ?? sub.arn };
  }

  /** Unsubscribe, the API call: the owner's signed request; the endpoint is told nothing (Unsubscribe API reference). */
  async unsubscribe(ctx: RequestContext, input: UnsubscribeInput): Promise<void> {
    const sub = this.state.subscriptionFor(ctx, input.SubscriptionArn);
    await this.state.deleteSubscription(sub);
  }

  /**
   * Unsubscribe through the subscription's own link (the UnsubscribeURL of its messages, the
   * mail footer): a request without an AWS signature. For such a call AWS delivers "a final
   * cancellation message ... so that the endpoint owner can easily resubscribe" (Unsubscribe API
   * reference): to HTTP/S endpoints an UnsubscribeConfirmation (http-unsubscribe-confirmation-json)
   * whose Token, or SubscribeURL, restores the subscription — for three days, as confirmation
   * tokens last. Other protocols are simply unsubscribed.
   */
  async unsubscribeByLink(input: UnsubscribeInput): Promise<void> {
    const sub = this.state.subscription(input.SubscriptionArn);
    const topic = this.state.topics.get(sub.topicArn);
    if (!topic || (sub.protocol !== 'http' && sub.protocol !== 'https')) return this.state.deleteSubscription(sub);
    const now = this.clock.now();
    const deactivated: SubscriptionDoc = { ...sub, token: this.newToken(), tokenExpiresAt: now + TOKEN_TTL_MS };
    await this.state.deactivateSubscription(deactivated, now);
    await this.endpoints.confirmUnsubscribe(deactivated, topic);
  }

  private newToken(): string {
    return this.random.hex(64) + this.random.hex(64);
  }

  async listSubscriptions(ctx: RequestContext, input: ListSubscriptionsInput): Promise<ListSubscriptionsResponse> {
    // The caller's own subscriptions (to any account's topic) in this Region.
    const subs = [...this.state.subscriptions.values()].filter(
      (s) => s.account === ctx.accountId && parseArn(s.topicArn)?.region === ctx.region,
    );
    return this.page(subs, input.NextToken);
  }

  async listSubscriptionsByTopic(ctx: RequestContext, input: ListSubscriptionsByTopicInput): Promise<ListSubscriptionsByTopicResponse> {
    const topic = this.state.topicFor(ctx, input.TopicArn, 'ListSubscriptionsByTopic');
    return this.page(this.state.subscriptionsOf(topic.arn), input.NextToken);
  }

  private page(subs: SubscriptionDoc[], token: string | undefined): { Subscriptions: Subscription[]; NextToken?: string } {
    const byArn = new Map(subs.map((s) => [s.arn, s]));
    const { page, next } = paginate([...byArn.keys()].sort(), token);
    return {
      Subscriptions: page.map((a) => {
        const s = byArn.get(a)!;
        return {
          SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation',
          Owner: s.account,
          Protocol: s.protocol,
          Endpoint: s.endpoint,
          TopicArn: s.topicArn,
        };
      }),
      ...(next && { NextToken: next }),
    };
  }

  async getSubscriptionAttributes(ctx: RequestContext, input: GetSubscriptionAttributesInput): Promise<GetSubscriptionAttributesResponse> {
    const s = this.state.subscriptionFor(ctx, input.SubscriptionArn);
    return {
      Attributes: {
        SubscriptionArn: s.arn,
        TopicArn: s.topicArn,
        Owner: s.account,
        Protocol: s.protocol,
        Endpoint: s.endpoint,
        ConfirmationWasAuthenticated: String(s.confirmed),
        PendingConfirmation: String(!s.confirmed),
        RawMessageDelivery: 'false',
        ...(s.attributes.FilterPolicy !== undefined && { FilterPolicyScope: 'MessageAttributes' }),
        ...s.attributes,
      },
    };
  }

  async setSubscriptionAttributes(ctx: RequestContext, input: SetSubscriptionAttributesInput): Promise<void> {
    const s = this.state.subscriptionFor(ctx, input.SubscriptionArn);
    const attrs = checkSubscriptionAttributes({ [input.AttributeName ?? '']: input.AttributeValue ?? '' }, s.protocol, s.attributes);
    if (attrs.RedrivePolicy !== undefined) checkRedrivePolicy(attrs.RedrivePolicy, s.topicArn);
    const merged = { ...s.attributes, ...attrs };
    // An empty FilterPolicy (or RedrivePolicy) removes it (SetSubscriptionAttributes API reference).
    if (merged.FilterPolicy === '') delete merged.FilterPolicy;
    if (merged.RedrivePolicy === '') delete merged.RedrivePolicy;
    await this.state.putSubscription({ ...s, attributes: merged });
  }
}

function checkEndpoint(protocol: string | undefined, endpoint: string | undefined): Protocol {
  const bad = (why: string) => SnsErrors.InvalidParameter(`Invalid parameter: ${why}`);
  if (!protocol) throw bad('Protocol');
  if (!endpoint) throw bad('Endpoint');
  const arnOf = (service: string) => parseArn(endpoint)?.service === service;
  switch (protocol) {
    case 'http':
    case 'https':
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw bad(`Endpoint must match the specified protocol`);
      try {
        new URL(endpoint);
      } catch {
        throw bad('Endpoint');
      }
      return protocol;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw bad('Email address');
      return protocol;
    case 'sms':
      if (!/^\+?[0-9][0-9 ()-]{3,18}$/.test(endpoint)) throw bad('Invalid SMS endpoint');
      return protocol;
    case 'sqs':
      if (!arnOf('sqs')) throw bad('SQS endpoint ARN');
      return protocol;
    case 'lambda':
      if (!arnOf('lambda')) throw bad('Lambda endpoint ARN');
      return protocol;
    case 'application':
      if (!arnOf('sns') || !parseArn(endpoint)!.resource.startsWith('endpoint/')) throw bad('Invalid application endpoint ARN');
      return protocol;
    case 'firehose':
      if (!arnOf('firehose')) throw bad('Firehose endpoint ARN');
      return protocol;
    default:
      throw bad('Amazon SNS does not support this protocol string');
  }
}

function checkSubscriptionAttributes(
  attrs: Readonly<Record<string, string>>,
  protocol: Protocol,
  current: Readonly<Record<string, string>> = {},
): Record<string, string> {
  for (const [k, v] of Object.entries(attrs)) {
    if (!SUB_ATTRIBUTES.has(k)) throw SnsErrors.InvalidParameter('Invalid parameter: AttributeName');
    if (k === 'RawMessageDelivery') {
      if (v !== 'true' && v !== 'false') throw SnsErrors.InvalidParameter('Invalid parameter: RawMessageDelivery');
      if (v === 'true' && !['http', 'https', 'sqs', 'firehose'].includes(protocol)) {
        throw SnsErrors.InvalidParameter(
          'Invalid parameter: Attributes Reason: Delivery protocol [' + protocol + '] does not support raw message delivery.',
        );
      }
    }
    if (k === 'FilterPolicyScope' && v !== 'MessageAttributes' && v !== 'MessageBody')
      throw SnsErrors.InvalidParameter('Invalid parameter: FilterPolicyScope: Invalid filter policy scope');
  }
  const policy = attrs.FilterPolicy;
  if (policy !== undefined && policy !== '')
    checkFilterPolicy(policy, attrs.FilterPolicyScope ?? current.FilterPolicyScope ?? 'MessageAttributes');
  return { ...attrs };
}
