import type { Notification, SubscriptionDoc, TopicDoc } from './model.js';

/**
 * How SNS reaches subscribers: the protocol drivers (HTTP/S, SMTP or the mailbox, SQS, Lambda,
 * SMS/push providers) live outside core and are handed in through this port.
 *
 * `deliver` resolves once the message is handed on: for in-process endpoints (sqs, lambda) that
 * is after the target accepted it; for remote ones (http, email, sms) after it was queued for
 * the driver's own retries. It never throws for a subscriber's failure; failures are recorded
 * where the operator can see them (the delivery log).
 */
export interface SnsEndpoints {
  /** Sends the SubscriptionConfirmation (http/https) or the confirmation mail (email, email-json). */
  requestConfirmation(sub: SubscriptionDoc, topic: TopicDoc): Promise<void>;
  /**
   * Sends the UnsubscribeConfirmation (http/https) of a subscription that was just deactivated;
   * `sub.token` restores it. Sent although the subscription no longer exists.
   */
  confirmUnsubscribe(sub: SubscriptionDoc, topic: TopicDoc): Promise<void>;
  deliver(sub: SubscriptionDoc, topic: TopicDoc, n: Notification): Promise<void>;
}
