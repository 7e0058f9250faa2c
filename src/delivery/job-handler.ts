import type { ClaimedDelivery, DeliveryOutcome } from '../storage/store.js';

/**
 * A kind of job on the delivery queue other than an EventBridge rule target (issue 20's "one
 * delivery engine"): the job's JSON (the delivery's target text) names its kind in `job`, and
 * the worker hands each claimed job of that kind to its handler, which runs one attempt and
 * decides the outcome by its own service's retry policy — delivered, retry at T (the queue
 * keeps it, durable across restarts), or failed. The worker keeps the lease, the settling and
 * the history.
 *
 * Jobs run beside the worker's rounds, not inside them: a Lambda function may run for up to
 * 15 minutes, which must not hold up the EventBridge deliveries of the next round. The worker
 * keeps a job it is still running out of further claims when its lease runs out.
 */
export interface JobHandler {
  run(delivery: ClaimedDelivery, job: unknown, claimedAt: number): Promise<DeliveryOutcome>;
}
