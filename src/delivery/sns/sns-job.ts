import type { EventFeed } from '../../core/events/event-feed.js';
import type { Clock } from '../../core/shared/clock.js';
import type { Notification } from '../../core/sns/model.js';
import type { NewDelivery, NewEvent, Store } from '../../storage/store.js';
import type { PreparedSend, SnsDeliveryKind, SnsSubscriptionRef } from './protocol-driver.js';

/** The delivery-queue job kind of an SNS delivery (the worker's handler key). */
export const SNS_DELIVERY_JOB = 'sns';

/**
 * One SNS delivery to one subscription, as a job of the store's durable delivery queue (issue
 * 20's one engine): the queue's lease, retry-at and history apply to it as to an EventBridge
 * target. `ruleArn`/`busArn` name the topic and `target.Id` the subscription in the history.
 * The event's body is the Notification (JSON) shared by all subscriptions of a Publish, or the
 * prepared message of a confirmation.
 */
export interface SnsJob {
  readonly job: typeof SNS_DELIVERY_JOB;
  readonly ruleArn: string;
  readonly busArn: string;
  readonly target: { readonly Id: string; readonly Arn: string };
  readonly sub: SnsSubscriptionRef;
  readonly kind: SnsDeliveryKind;
  /** A Publish to a phone number or platform endpoint: no topic, no subscription to look up. */
  readonly direct?: true;
}

/** The queued payload: what `body` holds for each kind. */
export type SnsJobBody = { readonly notification: Notification } | { readonly prepared: PreparedSend };

export function snsJob(sub: SnsSubscriptionRef, kind: SnsDeliveryKind): SnsJob {
  const direct = sub.topicArn === '';
  const owner = direct ? sub.endpoint : sub.topicArn;
  return {
    job: SNS_DELIVERY_JOB,
    ruleArn: owner,
    busArn: owner,
    target: { Id: sub.arn, Arn: sub.endpoint },
    sub: { arn: sub.arn, topicArn: sub.topicArn, account: sub.account, protocol: sub.protocol, endpoint: sub.endpoint },
    kind,
    ...(direct && { direct: true as const }),
  };
}

/**
 * Appends SNS deliveries to the delivery queue: one event per message, one delivery per
 * subscription, in ONE atomic write. Publish (and Subscribe, for confirmations) answers only
 * after this resolved: an acknowledged message always has its deliveries queued, and a crash
 * at any moment after that loses none of them.
 */
export class SnsDeliveryQueue {
  constructor(private readonly o: { store: Store; feed?: EventFeed; clock: Clock }) {}

  async enqueue(eventId: string, owner: string, body: SnsJobBody, jobs: readonly SnsJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.o.clock.now();
    const deliveries: NewDelivery[] = jobs.map((j) => ({ ruleArn: j.ruleArn, target: JSON.stringify(j), dueAt: now }));
    const event: NewEvent = { eventId, busArn: owner, ingestedAt: now, body: JSON.stringify(body), rules: [], deliveries };
    await this.o.store.appendEvents([event]);
    this.o.feed?.publishEvents([event]);
  }
}
