import type { PushTarget } from './push/push-model.js';

/**
 * SNS as core keeps it: topic and subscription documents in the store's keyed state (kinds
 * `sns.topic` / `sns.subscription`, keyed by ARN), and subscriptions unsubscribed through their
 * link that their UnsubscribeConfirmation's token can still restore (`sns.deactivated`).
 */
export const SNS_KIND = {
  topic: 'sns.topic',
  subscription: 'sns.subscription',
  deactivated: 'sns.deactivated',
  dedup: 'sns.dedup',
} as const;

/** A FIFO topic's memory of a deduplication id (kind `sns.dedup`): 5 minutes, across restarts. */
export interface TopicDedupDoc {
  topicArn: string;
  dedupId: string;
  messageId: string;
  sequenceNumber: string;
  at: number;
}

export interface TopicDoc {
  name: string;
  arn: string;
  account: string;
  region: string;
  /** Settable attributes as AWS names them (DisplayName, Policy, DeliveryPolicy, SignatureVersion, …). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
}

export type Protocol = 'http' | 'https' | 'email' | 'email-json' | 'sms' | 'sqs' | 'application' | 'lambda' | 'firehose';

export interface SubscriptionDoc {
  arn: string;
  topicArn: string;
  account: string;
  protocol: Protocol;
  endpoint: string;
  confirmed: boolean;
  /**
   * The confirmation token while pending (valid three days, Subscribe API reference); on a
   * deactivated subscription, the token of its UnsubscribeConfirmation.
   */
  token?: string;
  tokenExpiresAt?: number;
  /** RawMessageDelivery, FilterPolicy, FilterPolicyScope, DeliveryPolicy, RedrivePolicy, … */
  attributes: Record<string, string>;
  createdAt: number;
}

export interface SnsAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64. */
  BinaryValue?: string;
}

/**
 * One message as SNS fans it out: what a subscription receives is derived from it by protocol
 * (JSON document, raw message, email text).
 */
export interface Notification {
  readonly messageId: string;
  readonly topicArn: string;
  readonly message: string;
  /** Per protocol when MessageStructure is `json` (`default` otherwise). */
  readonly perProtocol?: Readonly<Record<string, string>>;
  readonly subject?: string;
  readonly attributes: Readonly<Record<string, SnsAttributeValue>>;
  readonly timestamp: number;
  /** FIFO topics: MessageGroupId, MessageDeduplicationId (given or derived) and SequenceNumber. */
  readonly groupId?: string;
  readonly dedupId?: string;
  readonly sequenceNumber?: string;
  /** An `application` delivery: the endpoint's platform and device token (push/mobile-push.ts). */
  readonly push?: PushTarget;
}
