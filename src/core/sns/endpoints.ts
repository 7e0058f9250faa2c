import type { Notification, SubscriptionDoc, TopicDoc } from './model.js';

/**
 * How SNS reaches subscribers: the protocol drivers (HTTP/S, SMTP or the mailbox, SQS, Lambda,
 * SMS/push providers) live outside core and are handed in through this port.
 *
 * `deliver` fans one message out to the subscriptions that passed their filters and resolves
 * once every delivery is durable: written into an SQS queue, or queued (in one atomic write) as a
 * job of the delivery engine with its retry policy. Publish answers only after that. It never
 * throws for a subscriber's failure; failures are recorded where the operator can see them (the
 * delivery log and the event history).
 */
export interface SnsEndpoints {
  /** Sends the SubscriptionConfirmation (http/https) or the confirmation mail (email, email-json). */
  requestConfirmation(sub: SubscriptionDoc, topic: TopicDoc): Promise<void>;
  /**
   * Sends the UnsubscribeConfirmation (http/https) of a subscription that was just deactivated;
   * `sub.token` restores it. Sent although the subscription no longer exists.
   */
  confirmUnsubscribe(sub: SubscriptionDoc, topic: TopicDoc): Promise<void>;
  deliver(subs: readonly SubscriptionDoc[], topic: TopicDoc, n: Notification): Promise<void>;
}
