import type { ClaimedDelivery, DeliveryOutcome } from '../storage/store.js';

/**
 * Told of every settled delivery attempt, after the outcome is decided and before it is written:
 * metrics (InvocationAttempts, Invocations, FailedInvocations, latency) are recorded here, out
 * of the worker's own logic. `outcome.attempts > delivery.attempts` when the target was
 * actually called (an event already past its maximum age fails without a call). Must be cheap
 * and must not throw.
 */
export interface DeliveryObserver {
  settled(delivery: ClaimedDelivery, outcome: DeliveryOutcome, at: number, dlq: DlqOutcome): void;
}

/** What became of a delivery that failed for good: no DLQ configured, sent to it, or not. */
export type DlqOutcome = 'none' | 'sent' | 'failed';
