import type { RetryPolicy } from '@aws-sdk/client-eventbridge';
import type { Random } from '../shared/random.js';

/**
 * RetryPolicy semantics (eb-rule-retry-policy): by default EventBridge retries "for 24 hours and
 * up to 185 times with an exponential back off and jitter"; MaximumRetryAttempts (0..185) and
 * MaximumEventAgeInSeconds (60..86400) lower either limit. When one is reached the event is
 * dropped (or sent to the DLQ); non-retriable errors skip the retries.
 *
 * AWS does not publish its backoff constants. amiwatch uses "equal jitter": the n-th retry waits
 * between half and all of min(CAP, BASE * 2^(n-1)). With BASE 1 s and CAP 10 min, 185 retries
 * average ~23 h, so the two default limits arrive at about the same time, as AWS's docs imply.
 */
export const DEFAULT_MAX_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 600_000;

export interface RetryLimits {
  readonly maxRetryAttempts: number;
  readonly maxEventAgeMs: number;
}

export function retryLimits(policy: RetryPolicy | undefined): RetryLimits {
  return {
    maxRetryAttempts: policy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS,
    maxEventAgeMs: (policy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000,
  };
}

/** Delay before retry number `retry` (1 = the first retry). */
export function backoffDelay(retry: number, random: Random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(retry - 1, 30));
  return Math.round(ceiling / 2 + random.float() * (ceiling / 2));
}

export type ExhaustedCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

export type RetryDecision = { readonly retryAt: number } | { readonly exhausted: ExhaustedCondition };

/**
 * After a retriable failure of attempt number `attempts` (1-based), at `now`, for an event
 * ingested at `ingestedAt`: when to try again, or which limit ends the retries. A retry that
 * would start after the event's maximum age is not scheduled.
 */
export function decideRetry(attempts: number, ingestedAt: number, now: number, limits: RetryLimits, random: Random): RetryDecision {
  if (attempts - 1 >= limits.maxRetryAttempts) return { exhausted: 'MaximumRetryAttempts' };
  const at = now + backoffDelay(attempts, random);
  if (at - ingestedAt > limits.maxEventAgeMs) return { exhausted: 'MaximumEventAgeInSeconds' };
  return { retryAt: at };
}

/** Whether an event is too old to be attempted at all (e.g. the server was down for a day). */
export const tooOld = (ingestedAt: number, now: number, limits: RetryLimits): boolean => now - ingestedAt > limits.maxEventAgeMs;
