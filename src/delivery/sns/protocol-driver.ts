import type { Notification, SubscriptionDoc, TopicDoc } from '../../core/sns/model.js';
import type { SnsRetryPolicy } from './delivery-policy.js';
import type { Mail } from './mail.js';

/**
 * The seam between SNS's delivery engine and one protocol: each protocol (http/https, email,
 * email-json, sms, application, lambda) is one driver, registered by protocol name. The engine
 * (sns-job-handler.ts) owns the queue, the lease, the retry policy's clock, the dead-letter queue
 * and the history; a driver makes one attempt and says how it went.
 */
export interface SnsProtocolDriver {
  /** The retry policy of a delivery to this subscription (fixed per protocol except HTTP/S). */
  retryPolicy(sub: SubscriptionDoc | undefined, topic: TopicDoc | undefined): SnsRetryPolicy;
  /** Whether the engine jitters this protocol's waits (AWS's fixed policies are jittered). */
  readonly jitter?: boolean;
  /** One attempt; never throws for the subscriber's failure. */
  attempt(a: SnsAttempt): Promise<SnsAttemptResult>;
}

/** Which subscription a job delivers to, as it was when the job was queued. */
export interface SnsSubscriptionRef {
  readonly arn: string;
  readonly topicArn: string;
  readonly account: string;
  readonly protocol: string;
  readonly endpoint: string;
}

/** A message rendered when it was queued: confirmations (their token is in the text), legacy jobs. */
export type PreparedSend =
  | { readonly http: { readonly headers: Readonly<Record<string, string>>; readonly body: string } }
  | { readonly mail: Mail };

export interface SnsAttempt {
  /** The live subscription (its attributes), or the reference of the job when it has none (direct publish, confirmations). */
  readonly sub: SubscriptionDoc;
  /** The topic; an empty one for direct publishes to a phone number or a platform endpoint. */
  readonly topic: TopicDoc;
  readonly kind: SnsDeliveryKind;
  /** What to send: a notification the driver renders for its protocol, or a prepared message. */
  readonly message: { readonly notification: Notification } | { readonly prepared: PreparedSend };
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly now: number;
}

export type SnsDeliveryKind = 'notification' | 'confirmation' | 'unsubscribe-confirmation';

/**
 * Why an attempt failed, typed (the history shows `REASON: detail`). `retriable: false` marks
 * AWS's client-side errors (the endpoint is gone, its policy refuses SNS, the subscriber rejects
 * the request): "Amazon SNS doesn't retry the message delivery that fails as a result of a
 * client-side error" — it goes to the dead-letter queue at once.
 */
export type SnsFailureReason =
  | 'HTTP_SERVER_ERROR'
  | 'HTTP_CLIENT_ERROR'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'OUTBOUND_REFUSED'
  | 'INVALID_ENDPOINT'
  | 'SMTP_ERROR'
  | 'PROVIDER_ERROR'
  | 'NO_RESOURCE'
  | 'NO_PERMISSIONS'
  | 'THROTTLED'
  | 'SUBSCRIPTION_DELETED'
  | 'NO_DRIVER'
  | 'INTERNAL_ERROR';

export type SnsAttemptResult =
  | { readonly ok: true; readonly detail?: string }
  | {
      readonly ok: false;
      readonly reason: SnsFailureReason;
      readonly retriable: boolean;
      readonly message: string;
      /** Not attempted (the subscription's throttle policy): try again then, without counting an attempt. */
      readonly deferUntil?: number;
    };

export const snsFailure = (reason: SnsFailureReason, retriable: boolean, message: string): SnsAttemptResult => ({
  ok: false,
  reason,
  retriable,
  message,
});
