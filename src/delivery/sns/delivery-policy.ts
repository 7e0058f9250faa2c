import type { SubscriptionDoc, TopicDoc } from '../../core/sns/model.js';

/**
 * SNS's retry policy for one delivery (sns-message-delivery-retries): four phases after the
 * first attempt — `numNoDelayRetries` at once, `numMinDelayRetries` after `minDelayTarget`
 * seconds, the backoff phase from min to max, then `numMaxDelayRetries` after `maxDelayTarget` —
 * `numRetries` in all. HTTP/S subscriptions take theirs from the `DeliveryPolicy` attributes;
 * every other protocol has the fixed policy AWS documents for its kind of endpoint.
 */
export interface SnsRetryPolicy {
  readonly numRetries: number;
  readonly minDelayTarget: number;
  readonly maxDelayTarget: number;
  readonly numNoDelayRetries: number;
  readonly numMinDelayRetries: number;
  readonly numMaxDelayRetries: number;
  readonly backoffFunction: BackoffFunction;
}

export type BackoffFunction = 'linear' | 'arithmetic' | 'geometric' | 'exponential';

/** HTTP/S when neither the topic nor the subscription says otherwise: 3 retries, 20 s apart. */
export const HTTP_DEFAULT_POLICY: SnsRetryPolicy = Object.freeze({
  numRetries: 3,
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  numMaxDelayRetries: 0,
  backoffFunction: 'linear',
});

/**
 * "AWS managed endpoints" (Lambda, SQS): 3 times without delay, 2 times 1 s apart, 10 times with
 * exponential backoff from 1 s to 20 s, 100,000 times 20 s apart — 100,015 over 23 days.
 */
export const AWS_MANAGED_POLICY: SnsRetryPolicy = Object.freeze({
  numRetries: 100_015,
  minDelayTarget: 1,
  maxDelayTarget: 20,
  numNoDelayRetries: 3,
  numMinDelayRetries: 2,
  numMaxDelayRetries: 100_000,
  backoffFunction: 'exponential',
});

/**
 * "Customer managed endpoints" (SMTP, SMS, mobile push): none without delay, 2 times 10 s apart,
 * 10 times with exponential backoff from 10 s to 600 s, 38 times 600 s apart — 50 over 6 hours.
 */
export const CUSTOMER_MANAGED_POLICY: SnsRetryPolicy = Object.freeze({
  numRetries: 50,
  minDelayTarget: 10,
  maxDelayTarget: 600,
  numNoDelayRetries: 0,
  numMinDelayRetries: 2,
  numMaxDelayRetries: 38,
  backoffFunction: 'exponential',
});

/** What an HTTP/S subscription's delivery policy says, merged from topic and subscription. */
export interface HttpDeliveryPolicy {
  readonly retry: SnsRetryPolicy;
  readonly contentType: string;
  /** `throttlePolicy.maxReceivesPerSecond`: at most this many deliveries a second to the subscription. */
  readonly maxReceivesPerSecond?: number;
}

const parse = (text: string | undefined): Record<string, unknown> => {
  try {
    const v = text ? (JSON.parse(text) as unknown) : {};
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

const section = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/**
 * The subscription's policy wins, then the topic's `http` section, then AWS's defaults — unless
 * the topic sets `disableSubscriptionOverrides`, which makes its own policy the only one.
 */
export function httpDeliveryPolicy(
  sub: Pick<SubscriptionDoc, 'attributes'> | undefined,
  topic: Pick<TopicDoc, 'attributes'> | undefined,
): HttpDeliveryPolicy {
  const topicHttp = section(parse(topic?.attributes.DeliveryPolicy).http);
  const subPolicy = topicHttp.disableSubscriptionOverrides === true ? {} : parse(sub?.attributes.DeliveryPolicy);
  const retry = normalise({
    ...HTTP_DEFAULT_POLICY,
    ...section(topicHttp.defaultHealthyRetryPolicy),
    ...section(subPolicy.healthyRetryPolicy),
  });
  const request = section(subPolicy.requestPolicy ?? topicHttp.defaultRequestPolicy);
  const throttle = section(subPolicy.throttlePolicy ?? topicHttp.defaultThrottlePolicy);
  const rate = Number(throttle.maxReceivesPerSecond);
  return {
    retry,
    contentType: typeof request.headerContentType === 'string' ? request.headerContentType : 'text/plain; charset=UTF-8',
    ...(Number.isFinite(rate) && rate >= 1 && { maxReceivesPerSecond: Math.floor(rate) }),
  };
}

function normalise(p: Record<string, unknown>): SnsRetryPolicy {
  const int = (k: keyof SnsRetryPolicy, fallback: number) => {
    const v = Number(p[k]);
    return Number.isFinite(v) && v >= 0 ? Math.floor(v) : fallback;
  };
  const fn = String(p.backoffFunction ?? 'linear').toLowerCase();
  const min = int('minDelayTarget', 20);
  return {
    numRetries: int('numRetries', 3),
    minDelayTarget: min,
    maxDelayTarget: Math.max(min, int('maxDelayTarget', 20)),
    numNoDelayRetries: int('numNoDelayRetries', 0),
    numMinDelayRetries: int('numMinDelayRetries', 0),
    numMaxDelayRetries: int('numMaxDelayRetries', 0),
    backoffFunction: (['arithmetic', 'geometric', 'exponential'].includes(fn) ? fn : 'linear') as BackoffFunction,
  };
}

/**
 * Seconds to wait before retry `n` (1-based), or null when the policy has no retry `n` left. The
 * backoff phase climbs from `minDelayTarget` to `maxDelayTarget` in the shape of its function
 * (AWS draws them: linear a straight line, arithmetic, geometric and exponential ever steeper
 * curves); its first retry waits the minimum and its last the maximum.
 */
export function retryDelaySeconds(p: SnsRetryPolicy, n: number): number | null {
  if (n < 1 || n > p.numRetries) return null;
  if (n <= p.numNoDelayRetries) return 0;
  const afterMin = p.numNoDelayRetries + p.numMinDelayRetries;
  if (n <= afterMin) return p.minDelayTarget;
  const steps = Math.max(0, p.numRetries - afterMin - p.numMaxDelayRetries);
  if (n > afterMin + steps) return p.maxDelayTarget;
  const frac = steps <= 1 ? 0 : (n - afterMin - 1) / (steps - 1);
  const shape = SHAPES[p.backoffFunction](frac);
  return p.minDelayTarget + (p.maxDelayTarget - p.minDelayTarget) * shape;
}

const SHAPES: Record<BackoffFunction, (x: number) => number> = {
  linear: (x) => x,
  arithmetic: (x) => x ** 1.5,
  exponential: (x) => x ** 2,
  geometric: (x) => x ** 3,
};

/**
 * The wait before retry `n` in ms, with SNS's jitter on the fixed policies ("Amazon SNS applies
 * jittering to delivery retries"): up to 10% less, never below the previous phase. HTTP/S
 * policies are the subscriber's own numbers and are kept exact.
 */
export function retryDelayMs(p: SnsRetryPolicy, n: number, jitter?: () => number): number | null {
  const s = retryDelaySeconds(p, n);
  if (s === null) return null;
  const ms = s * 1000;
  return jitter && ms > 0 ? Math.round(ms * (1 - 0.1 * jitter())) : Math.round(ms);
}

/** The subscription's dead-letter queue (`RedrivePolicy.deadLetterTargetArn`), if it has one. */
export function deadLetterTarget(sub: Pick<SubscriptionDoc, 'attributes'> | undefined): string | undefined {
  const arn = parse(sub?.attributes.RedrivePolicy).deadLetterTargetArn;
  return typeof arn === 'string' && arn.startsWith('arn:') ? arn : undefined;
}
