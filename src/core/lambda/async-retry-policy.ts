import type { Random } from '../shared/random.js';
import type { AsyncSettings } from './event-invoke-config.js';

/**
 * Lambda's asynchronous retry rules (invocation-async-error-handling):
 *  - a function error (the code threw, timed out, the runtime failed) is retried up to
 *    MaximumRetryAttempts times (default 2), "with a one-minute wait between the first two
 *    attempts, and two minutes between the second and third attempts";
 *  - a throttle (reserved concurrency reached) returns the event to the queue: "the retry
 *    interval increases exponentially from 1 second after the first attempt to a maximum of
 *    5 minutes", for as long as MaximumEventAgeInSeconds allows (default 6 hours); throttles do
 *    not count as attempts;
 *  - an event older than MaximumEventAgeInSeconds is discarded (condition EventAgeExceeded).
 */
export const FUNCTION_ERROR_DELAYS_MS = [60_000, 120_000] as const;
export const THROTTLE_BASE_MS = 1_000;
export const THROTTLE_CAP_MS = 300_000;

/** Why an event was given up on: the destination record's `requestContext.condition`. */
export type AsyncFailureCondition = 'RetriesExhausted' | 'EventAgeExceeded';

export type AsyncDecision = { readonly retryAt: number } | { readonly discard: AsyncFailureCondition };

/** After function error number `invokes` (1 = the first attempt failed), at `now`. */
export function afterFunctionError(invokes: number, ingestedAt: number, now: number, s: AsyncSettings): AsyncDecision {
  if (invokes - 1 >= s.maxRetryAttempts) return { discard: 'RetriesExhausted' };
  const delay = FUNCTION_ERROR_DELAYS_MS[Math.min(invokes - 1, FUNCTION_ERROR_DELAYS_MS.length - 1)]!;
  const at = now + delay;
  return at - ingestedAt > s.maxEventAgeMs ? { discard: 'EventAgeExceeded' } : { retryAt: at };
}

/**
 * After a throttle at `now`: the wait is as long as the event has already waited (at least 1 s,
 * at most 5 minutes), with equal jitter, so the interval doubles from 1 s without the queue
 * having to count throttles (they are not attempts).
 */
export function afterThrottle(ingestedAt: number, now: number, s: AsyncSettings, random: Random): AsyncDecision {
  const ceiling = Math.min(THROTTLE_CAP_MS, Math.max(THROTTLE_BASE_MS, now - ingestedAt));
  const at = now + Math.round(ceiling / 2 + random.float() * (ceiling / 2));
  return at - ingestedAt > s.maxEventAgeMs ? { discard: 'EventAgeExceeded' } : { retryAt: at };
}

/** Whether a queued event is already past its maximum age when it comes up. */
export const expired = (ingestedAt: number, now: number, s: AsyncSettings): boolean => now - ingestedAt > s.maxEventAgeMs;
