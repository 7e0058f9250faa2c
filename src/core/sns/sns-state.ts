import type { ResourceChange, Store } from '../../storage/store.js';
import { loadFollowing } from '../shared/follow.js';
import type { RequestContext } from '../shared/request-context.js';
import { authorizeSubscription, authorizeTopic, topicPolicy } from './topic-access.js';
import { TOPIC_DEDUP_WINDOW_MS } from './fifo-topic.js';
import { SNS_KIND, type SubscriptionDoc, type TopicDedupDoc, type TopicDoc } from './model.js';
import { SnsErrors } from '../generated/errors.js';
import { checkRegion } from './push/push-access.js';

/** Topics and subscriptions in memory, loaded at start, written through (persist, then apply). */
export class SnsState {
  readonly topics = new Map<string, TopicDoc>();
  readonly subscriptions = new Map<string, SubscriptionDoc>();
  /** Unsubscribed through their link, restorable with their token until it expires; by ARN. */
  readonly deactivated = new Map<string, SubscriptionDoc>();
  /** FIFO topics' deduplication ids of the last 5 minutes, by topic ARN + id, oldest first. */
  readonly dedup = new Map<string, TopicDedupDoc>();

  private constructor(private readonly store: Store) {}

  static async load(store: Store): Promise<SnsState> {
    const s = new SnsState(store);
    await loadFollowing(
      store,
      [SNS_KIND.topic, SNS_KIND.subscription, SNS_KIND.deactivated, SNS_KIND.dedup],
      () => s.loadAll(),
      (c) => s.applyRemote(c),
    );
    return s;
  }

  /** A topic or subscription another node wrote: the same maps its write changed there. */
  applyRemote(c: ResourceChange): void {
    if (c.kind === SNS_KIND.dedup) return this.applyRemoteDedup(c);
    const map: Map<string, TopicDoc | SubscriptionDoc> | undefined =
      c.kind === SNS_KIND.topic
        ? this.topics
        : c.kind === SNS_KIND.subscription
          ? this.subscriptions
          : c.kind === SNS_KIND.deactivated
            ? this.deactivated
            : undefined;
    if (!map) return;
    if (c.doc === null) map.delete(c.key);
    else map.set(c.key, JSON.parse(c.doc) as TopicDoc & SubscriptionDoc);
  }

  /**
   * Another node's FIFO deduplication mark (or its expiry): kept in time order so the window's
   * pruning, which stops at the first live mark, still sees the oldest first.
   */
  private applyRemoteDedup(c: ResourceChange): void {
    if (c.doc === null) return void this.dedup.delete(c.key);
    const d = JSON.parse(c.doc) as TopicDedupDoc;
    this.dedup.delete(c.key);
    const later = [...this.dedup.values()].filter((o) => o.at > d.at);
    for (const o of later) this.dedup.delete(dedupKey(o.topicArn, o.dedupId));
    this.dedup.set(c.key, d);
    for (const o of later) this.dedup.set(dedupKey(o.topicArn, o.dedupId), o);
  }

  private async loadAll(): Promise<void> {
    const store = this.store;
    for (const r of await store.loadResources(SNS_KIND.topic)) {
      const t = JSON.parse(r.doc) as TopicDoc;
      this.topics.set(t.arn, t);
    }
    for (const r of await store.loadResources(SNS_KIND.subscription)) {
      const sub = JSON.parse(r.doc) as SubscriptionDoc;
      this.subscriptions.set(sub.arn, sub);
    }
    for (const r of await store.loadResources(SNS_KIND.deactivated)) {
      const sub = JSON.parse(r.doc) as SubscriptionDoc;
      this.deactivated.set(sub.arn, sub);
    }
    const marks = (await store.loadResources(SNS_KIND.dedup)).map((r) => JSON.parse(r.doc) as TopicDedupDoc);
    for (const d of marks.sort((a, b) => a.at - b.at)) this.dedup.set(dedupKey(d.topicArn, d.dedupId), d);
  }

  /** A deduplication id the topic saw within 5 minutes, or undefined. */
  seen(topicArn: string, dedupId: string, now: number): TopicDedupDoc | undefined {
    const d = this.dedup.get(dedupKey(topicArn, dedupId));
    return d && now - d.at < TOPIC_DEDUP_WINDOW_MS ? d : undefined;
  }

  /**
   * Remembers a published id (memory first, so a second publish in the same turn is already a
   * duplicate) and forgets those whose window is over, in one write.
   */
  async remember(d: TopicDedupDoc): Promise<void> {
    const expired: TopicDedupDoc[] = [];
    for (const old of this.dedup.values()) {
      if (d.at - old.at < TOPIC_DEDUP_WINDOW_MS) break;
      expired.push(old);
    }
    for (const old of expired) this.dedup.delete(dedupKey(old.topicArn, old.dedupId));
    const key = dedupKey(d.topicArn, d.dedupId);
    this.dedup.delete(key);
    this.dedup.set(key, d);
    try {
      await this.store.writeResources([
        ...expired.map((o) => ({ kind: SNS_KIND.dedup, key: dedupKey(o.topicArn, o.dedupId), doc: null })),
        { kind: SNS_KIND.dedup, key, doc: JSON.stringify(d) },
      ]);
    } catch (err) {
      this.dedup.delete(key);
      throw err;
    }
  }

  topic(arn: string | undefined): TopicDoc {
    if (!arn) throw SnsErrors.InvalidParameter('Invalid parameter: TopicArn');
    const t = this.topics.get(arn);
    if (!t) throw SnsErrors.NotFound('Topic does not exist');
    return t;
  }

  /**
   * The topic a request names, if the caller may do `operation` on it (topic-access.ts). Another
   * Region's ARN is refused as a bad `param` before any lookup, as AWS's regional endpoints do.
   */
  topicFor(ctx: RequestContext, arn: string | undefined, operation: string, param = 'TopicArn'): TopicDoc {
    checkRegion(ctx, arn, param);
    const t = this.topic(arn);
    return authorizeTopic(ctx, t, operation, topicPolicy(t));
  }

  /** The subscription a request names, if the caller owns it or its topic (topic-access.ts). */
  subscriptionFor(ctx: RequestContext, arn: string | undefined): SubscriptionDoc {
    checkRegion(ctx, arn, 'SubscriptionArn');
    return authorizeSubscription(ctx, this.subscription(arn));
  }

  subscription(arn: string | undefined): SubscriptionDoc {
    if (!arn) throw SnsErrors.InvalidParameter('Invalid parameter: SubscriptionArn');
    const s = this.subscriptions.get(arn);
    if (!s) throw SnsErrors.NotFound('Subscription does not exist');
    return s;
  }

  subscriptionsOf(topicArn: string): SubscriptionDoc[] {
    return [...this.subscriptions.values()].filter((s) => s.topicArn === topicArn);
  }

  async putTopic(t: TopicDoc): Promise<void> {
    await this.store.writeResources([{ kind: SNS_KIND.topic, key: t.arn, doc: JSON.stringify(t) }]);
    this.topics.set(t.arn, t);
  }

  /** Deleting a topic deletes its subscriptions (DeleteTopic API reference), restorable ones too. */
  async deleteTopic(t: TopicDoc): Promise<void> {
    const subs = this.subscriptionsOf(t.arn);
    const restorable = [...this.deactivated.values()].filter((s) => s.topicArn === t.arn);
    const marks = [...this.dedup.values()].filter((d) => d.topicArn === t.arn);
    await this.store.writeResources([
      { kind: SNS_KIND.topic, key: t.arn, doc: null },
      ...marks.map((d) => ({ kind: SNS_KIND.dedup, key: dedupKey(d.topicArn, d.dedupId), doc: null })),
      ...subs.map((s) => ({ kind: SNS_KIND.subscription, key: s.arn, doc: null })),
      ...restorable.map((s) => ({ kind: SNS_KIND.deactivated, key: s.arn, doc: null })),
    ]);
    this.topics.delete(t.arn);
    for (const d of marks) this.dedup.delete(dedupKey(d.topicArn, d.dedupId));
    for (const s of subs) this.subscriptions.delete(s.arn);
    for (const s of restorable) this.deactivated.delete(s.arn);
  }

  async putSubscription(s: SubscriptionDoc): Promise<void> {
    await this.store.writeResources([{ kind: SNS_KIND.subscription, key: s.arn, doc: JSON.stringify(s) }]);
    this.subscriptions.set(s.arn, s);
  }

  async deleteSubscription(s: SubscriptionDoc): Promise<void> {
    await this.store.writeResources([{ kind: SNS_KIND.subscription, key: s.arn, doc: null }]);
    this.subscriptions.delete(s.arn);
  }

  /**
   * One write: the subscription is deleted and kept as restorable (`s` carries the restore
   * token); restorable ones whose token expired before `now` are dropped on the way.
   */
  async deactivateSubscription(s: SubscriptionDoc, now: number): Promise<void> {
    const expired = [...this.deactivated.values()].filter((d) => (d.tokenExpiresAt ?? 0) < now);
    await this.store.writeResources([
      { kind: SNS_KIND.subscription, key: s.arn, doc: null },
      ...expired.map((d) => ({ kind: SNS_KIND.deactivated, key: d.arn, doc: null })),
      { kind: SNS_KIND.deactivated, key: s.arn, doc: JSON.stringify(s) },
    ]);
    this.subscriptions.delete(s.arn);
    for (const d of expired) this.deactivated.delete(d.arn);
    this.deactivated.set(s.arn, s);
  }

  /** One write: a deactivated subscription is dropped and, when given, `restored` is put back. */
  async settleDeactivated(d: SubscriptionDoc, restored: SubscriptionDoc | null): Promise<void> {
    await this.store.writeResources([
      { kind: SNS_KIND.deactivated, key: d.arn, doc: null },
      ...(restored ? [{ kind: SNS_KIND.subscription, key: restored.arn, doc: JSON.stringify(restored) }] : []),
    ]);
    this.deactivated.delete(d.arn);
    if (restored) this.subscriptions.set(restored.arn, restored);
  }
}

const dedupKey = (topicArn: string, dedupId: string): string => `${topicArn}#${dedupId}`;
