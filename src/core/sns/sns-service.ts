import type {
  CreateTopicInput,
  CreateTopicResponse,
  DeleteTopicInput,
  GetTopicAttributesInput,
  GetTopicAttributesResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTopicsInput,
  ListTopicsResponse,
  SetTopicAttributesInput,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-sns';
import type { Store } from '../../storage/store.js';
import { formatArn } from '../shared/arn.js';
import { authorizeTopic, topicPolicy } from './topic-access.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import type { SnsEndpoints } from './endpoints.js';
import { checkFifoTopicAttributes } from './fifo-topic.js';
import { paginate } from './paging.js';
import { Publisher } from './publish.js';
import { SnsState } from './sns-state.js';
import { Subscriptions } from './subscriptions.js';
import { TopicPermissions } from './topic-permissions.js';
import type { TopicDoc } from './model.js';
import { SnsErrors } from '../generated/errors.js';
import { MobilePush } from './push/mobile-push.js';
import { checkRegion } from './push/push-access.js';

export interface SnsServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly endpoints: SnsEndpoints;
  /** Told of every message published to a topic (the NumberOfMessagesPublished metric). */
  readonly onPublished?: (topicArn: string) => void;
}

const TOPIC_ATTRIBUTES = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'SignatureVersion',
  'TracingConfig',
  'KmsMasterKeyId',
  'ArchivePolicy',
  'DataProtectionPolicy',
  'FifoTopic',
  'ContentBasedDeduplication',
]);

/** SNS topics and tags; subscriptions in `subscriptions`, Publish in `publisher`. */
export class SnsService {
  readonly subscriptions: Subscriptions;
  readonly publisher: Publisher;
  /** AddPermission / RemovePermission. */
  readonly permissions: TopicPermissions;

  private constructor(
    readonly state: SnsState,
    /** Platform applications and endpoints, SMS settings and opt-outs (push/). */
    readonly push: MobilePush,
    private readonly o: SnsServiceOptions,
  ) {
    this.subscriptions = new Subscriptions(state, o.clock, o.random, o.endpoints);
    this.publisher = new Publisher(state, o.clock, o.random, o.endpoints, push, o.onPublished);
    this.permissions = new TopicPermissions(state, topicPolicy);
  }

  static async open(o: SnsServiceOptions): Promise<SnsService> {
    return new SnsService(await SnsState.load(o.store), await MobilePush.open(o.store, o.clock, o.random), o);
  }

  async createTopic(ctx: RequestContext, input: CreateTopicInput): Promise<CreateTopicResponse> {
    const name = input.Name ?? '';
    const fifo = input.Attributes?.FifoTopic === 'true';
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(fifo ? name.replace(/\.fifo$/, '') : name) || (fifo && !name.endsWith('.fifo'))) {
      throw SnsErrors.InvalidParameter('Invalid parameter: Topic Name');
    }
    const attributes = checkTopicAttributes(input.Attributes ?? {});
    checkFifoTopicAttributes(attributes, fifo);
    if (attributes.FifoTopic === 'false') delete attributes.FifoTopic;
    const arn = formatArn({ service: 'sns', region: ctx.region, account: ctx.accountId, resource: name });
    const existing = this.state.topics.get(arn);
    if (existing) {
      // CreateTopic is idempotent for the same attributes (CreateTopic API reference).
      if (Object.entries(attributes).some(([k, v]) => existing.attributes[k] !== v)) {
        throw SnsErrors.InvalidParameter('Invalid parameter: Attributes Reason: Topic already exists with different attributes');
      }
      return { TopicArn: arn };
    }
    const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    await this.state.putTopic({ name, arn, account: ctx.accountId, region: ctx.region, attributes, tags, createdAt: this.o.clock.now() });
    return { TopicArn: arn };
  }

  async deleteTopic(ctx: RequestContext, input: DeleteTopicInput): Promise<void> {
    // Deleting a topic that does not exist succeeds (AWS answers 200).
    checkRegion(ctx, input.TopicArn, 'TopicArn');
    const t = input.TopicArn ? this.state.topics.get(input.TopicArn) : undefined;
    if (t) await this.state.deleteTopic(authorizeTopic(ctx, t, 'DeleteTopic', topicPolicy(t)));
  }

  async listTopics(ctx: RequestContext, input: ListTopicsInput): Promise<ListTopicsResponse> {
    const arns = [...this.state.topics.values()]
      .filter((t) => t.account === ctx.accountId && t.region === ctx.region)
      .map((t) => t.arn)
      .sort();
    const { page, next } = paginate(arns, input.NextToken);
    return { Topics: page.map((TopicArn) => ({ TopicArn })), ...(next && { NextToken: next }) };
  }

  async getTopicAttributes(ctx: RequestContext, input: GetTopicAttributesInput): Promise<GetTopicAttributesResponse> {
    const t = this.state.topicFor(ctx, input.TopicArn, 'GetTopicAttributes');
    const subs = this.state.subscriptionsOf(t.arn);
    const confirmed = subs.filter((s) => s.confirmed).length;
    return {
      Attributes: {
        TopicArn: t.arn,
        Owner: t.account,
        Policy: topicPolicy(t),
        DisplayName: t.attributes.DisplayName ?? '',
        SubscriptionsConfirmed: String(confirmed),
        SubscriptionsPending: String(subs.length - confirmed),
        SubscriptionsDeleted: '0',
        EffectiveDeliveryPolicy: t.attributes.DeliveryPolicy ?? DEFAULT_DELIVERY_POLICY,
        ...t.attributes,
      },
    };
  }

  async setTopicAttributes(ctx: RequestContext, input: SetTopicAttributesInput): Promise<void> {
    const t = this.state.topicFor(ctx, input.TopicArn, 'SetTopicAttributes');
    const name = input.AttributeName ?? '';
    const attrs = checkTopicAttributes({ [name]: input.AttributeValue ?? '' });
    // "You can't change the FifoTopic attribute of an existing topic" (SetTopicAttributes).
    if (name === 'FifoTopic') throw SnsErrors.InvalidParameter('Invalid parameter: AttributeName');
    checkFifoTopicAttributes(attrs, t.attributes.FifoTopic === 'true');
    await this.state.putTopic({ ...t, attributes: { ...t.attributes, ...attrs } });
  }

  async tagResource(ctx: RequestContext, input: TagResourceRequest): Promise<void> {
    const t = this.taggable(ctx, input.ResourceArn, 'TagResource');
    const tags = { ...t.tags };
    for (const tag of input.Tags ?? []) tags[tag.Key ?? ''] = tag.Value ?? '';
    if (Object.keys(tags).length > 50) throw SnsErrors.TagLimitExceeded('Could not complete request: tag quota of per resource exceeded');
    await this.state.putTopic({ ...t, tags });
  }

  async untagResource(ctx: RequestContext, input: UntagResourceRequest): Promise<void> {
    const t = this.taggable(ctx, input.ResourceArn, 'UntagResource');
    const tags = { ...t.tags };
    for (const k of input.TagKeys ?? []) delete tags[k];
    await this.state.putTopic({ ...t, tags });
  }

  /** The tag calls name a missing resource ResourceNotFound, not NotFound as the topic calls do. */
  private taggable(ctx: RequestContext, arn: string | undefined, operation: string): TopicDoc {
    checkRegion(ctx, arn, 'ResourceArn');
    if (!arn || !this.state.topics.has(arn)) throw SnsErrors.ResourceNotFound('Resource does not exist');
    return this.state.topicFor(ctx, arn, operation, 'ResourceArn');
  }

  async listTagsForResource(ctx: RequestContext, input: ListTagsForResourceRequest): Promise<ListTagsForResourceResponse> {
    const t = this.taggable(ctx, input.ResourceArn, 'ListTagsForResource');
    return { Tags: Object.entries(t.tags).map(([Key, Value]) => ({ Key, Value })) };
  }
}

/** AWS's HTTP delivery defaults (sns-message-delivery-retries). */
export const DEFAULT_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

function checkTopicAttributes(attrs: Readonly<Record<string, string>>): Record<string, string> {
  for (const [k, v] of Object.entries(attrs)) {
    if (!TOPIC_ATTRIBUTES.has(k)) throw SnsErrors.InvalidParameter('Invalid parameter: AttributeName');
    if (k === 'SignatureVersion' && v !== '1' && v !== '2') throw SnsErrors.InvalidParameter('Invalid parameter: SignatureVersion');
    if ((k === 'Policy' || k === 'DeliveryPolicy') && v !== '') {
      try {
        JSON.parse(v);
      } catch {
        throw SnsErrors.InvalidParameter(`Invalid parameter: ${k}`);
      }
    }
    if (k === 'DisplayName' && v.length > 100) throw SnsErrors.InvalidParameter('Invalid parameter: DisplayName');
  }
  return { ...attrs };
}
