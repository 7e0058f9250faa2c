import type { DeliveryTarget } from '../core/events/model.js';
import type { EventFeed } from '../core/events/event-feed.js';
import { transformInput } from '../core/events/input-transform.js';
import { decideRetry, retryLimits, tooOld, type RetryDecision } from '../core/events/retry-policy.js';
import { parseArn } from '../core/shared/arn.js';
import type { Clock } from '../core/shared/clock.js';
import { Coalesced } from '../core/shared/coalesced.js';
import type { Random } from '../core/shared/random.js';
import type { ClaimedDelivery, DeliveryOutcome, Store } from '../storage/store.js';
import type { DeadLetter, DeadLetterSink } from './dead-letter.js';
import type { DeliveryObserver, DlqOutcome } from './delivery-observer.js';
import type { JobHandler } from './job-handler.js';
import { failure, type DeliveryResult, type TransportRegistry } from './transport.js';

export interface DeliveryWorkerOptions {
  readonly store: Store;
  readonly transports: TransportRegistry;
  readonly clock: Clock;
  readonly random: Random;
  readonly feed: EventFeed;
  /** Deliveries claimed per round. */
  readonly batchSize?: number;
  /** How long a claim holds before another worker (or a restart) may take it. */
  readonly leaseMs?: number;
  /** A transport that has not answered after this long failed with TIMEOUT (retriable). */
  readonly attemptTimeoutMs?: number;
  /** Where given-up deliveries of targets with a DeadLetterConfig go (the SQS DLQ). */
  readonly deadLetters?: DeadLetterSink;
  /** Called on a transport that throws (a bug): the delivery is retried. */
  readonly onError?: (err: unknown) => void;
  /** Told of every settled attempt (metrics). */
  readonly observer?: DeliveryObserver;
  /** Handlers of the queue's other job kinds, by the `job` member of their JSON (job-handler.ts). */
  readonly jobs?: ReadonlyMap<string, JobHandler>;
}

/**
 * The outbox worker: claims due deliveries, applies Input/InputPath/InputTransformer, calls
 * the target's transport, and settles each round in one store write — delivered, retry at
 * (exponential backoff with jitter, RetryPolicy limits), or failed. At-least-once: a delivery
 * is marked only after its transport answered, so a crash mid-round repeats it.
 *
 * `runOnce()` processes everything due now and is what tests drive with a ManualClock;
 * `start()` runs it whenever new deliveries are committed and at the next due time.
 */
export class DeliveryWorker {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly timeoutMs: number;
  private readonly job = new Coalesced(
    () => this.loop(),
    () => !this.stopped,
  );
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;
  /** Jobs running beside the rounds, by delivery id. */
  private readonly jobsRunning = new Map<number, Promise<void>>();

  constructor(private readonly o: DeliveryWorkerOptions) {
    this.batchSize = o.batchSize ?? 512;
    this.leaseMs = o.leaseMs ?? 60_000;
    // Shorter than the lease, so a hung target never lets a second claim run beside it.
    this.timeoutMs = Math.min(o.attemptTimeoutMs ?? 30_000, this.leaseMs / 2);
  }

  start(): void {
    this.stopped = false;
    const offFeed = this.o.feed.onEvents((events) => {
      if (events.some((e) => e.deliveries.length > 0)) this.wake();
    });
    // On a cluster, other nodes' events queue deliveries this node may claim too.
    const offStore = this.o.store.onDeliveriesQueued?.(() => this.wake());
    this.unsubscribe = () => {
      offFeed();
      offStore?.();
    };
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    await this.job.idle();
    await this.jobsIdle();
  }

  /** Resolves when no job runs (tests drive `runOnce` and then wait for the jobs it started). */
  async jobsIdle(): Promise<void> {
    while (this.jobsRunning.size > 0) await Promise.allSettled([...this.jobsRunning.values()]);
  }

  /** Runs a round soon (coalesced: at most one round runs at a time). */
  wake(): void {
    this.job.wake();
  }

  private async loop(): Promise<void> {
    try {
      await this.runOnce();
    } catch (err) {
      this.o.onError?.(err);
    }
    if (this.stopped) return;
    let next: number | null;
    try {
      next = await this.o.store.nextDueAt();
    } catch (err) {
      // The store could not say (on a cluster: a server just died, its streams elect a leader).
      // Report it and look again soon; the loop must outlive it, or this node stops delivering.
      this.o.onError?.(err);
      next = this.o.clock.now() + 1_000;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (next !== null) {
      const wait = Math.max(0, Math.min(next - this.o.clock.now(), 60_000));
      this.timer = setTimeout(() => this.wake(), wait);
      this.timer.unref();
    }
  }

  /** Delivers everything due now; returns how many deliveries were attempted or settled. */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.o.clock.now();
      const all = await this.o.store.claimDue(now, this.batchSize, this.leaseMs);
      if (all.length === 0) return total;
      const claimed = this.startJobs(all, now);
      total += all.length - claimed.length;
      if (claimed.length === 0) {
        if (all.length < this.batchSize) return total;
        continue;
      }
      const deadline = this.roundDeadline();
      let outcomes: DeliveryOutcome[];
      try {
        outcomes = await Promise.all(claimed.map((d) => this.attempt(d, now, deadline.expired)));
      } finally {
        deadline.clear();
      }
      await this.o.store.settle(this.o.clock.now(), outcomes);
      total += claimed.length;
      if (all.length < this.batchSize) return total;
    }
  }

  /**
   * Starts the claimed jobs of other kinds beside the round (a lease that ran out on a job still
   * running is left alone: it stays leased until the job settles) and returns the rule-target
   * deliveries the round attempts itself.
   */
  private startJobs(claimed: ClaimedDelivery[], claimedAt: number): ClaimedDelivery[] {
    if (!this.o.jobs) return claimed;
    const rest: ClaimedDelivery[] = [];
    for (const d of claimed) {
      const parsed = this.parseTarget(d.target) as { job?: unknown };
      if (typeof parsed.job !== 'string') {
        rest.push(d);
        continue;
      }
      if (this.jobsRunning.has(d.id)) continue;
      const handler = this.o.jobs.get(parsed.job);
      const run = (async () => {
        const outcome: DeliveryOutcome = handler
          ? await handler.run(d, parsed, claimedAt).catch((err: unknown) => {
              this.o.onError?.(err);
              return {
                id: d.id,
                status: 'retry' as const,
                attempts: d.attempts,
                dueAt: this.o.clock.now() + 60_000,
                error: `INTERNAL_ERROR: ${(err as Error).message}`,
              };
            })
          : {
              id: d.id,
              status: 'failed',
              attempts: d.attempts,
              error: `NO_HANDLER: amiwatch has no handler for jobs of kind ${parsed.job as string}`,
            };
        await this.settleSoon(outcome);
        this.publishJob(d, parsed as { target?: { Id?: string } }, outcome);
      })()
        .catch((err: unknown) => this.o.onError?.(err))
        .finally(() => {
          this.jobsRunning.delete(d.id);
          if (!this.stopped) this.wake();
        });
      this.jobsRunning.set(d.id, run);
    }
    return rest;
  }

  /** Job outcomes waiting to be settled together. */
  private settling: { outcomes: DeliveryOutcome[]; done: Promise<void> } | null = null;

  /**
   * Settles a job's outcome with the others that finished in the same turn: one store write for
   * them all (SNS → HTTP finishes hundreds of jobs a second; a write each was ~5% of the process).
   */
  private settleSoon(outcome: DeliveryOutcome): Promise<void> {
    if (!this.settling) {
      const batch = { outcomes: [] as DeliveryOutcome[], done: Promise.resolve() };
      batch.done = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          this.settling = null;
          this.o.store.settle(this.o.clock.now(), batch.outcomes).then(resolve, reject);
        }),
      );
      this.settling = batch;
    }
    this.settling.outcomes.push(outcome);
    return this.settling.done;
  }

  private publishJob(d: ClaimedDelivery, job: { target?: { Id?: string } }, outcome: DeliveryOutcome): void {
    if (!this.o.feed.watchingDeliveries) return;
    this.o.feed.publishDelivery({
      deliveryId: d.id,
      eventId: d.eventId,
      busArn: d.busArn,
      ruleArn: d.ruleArn,
      targetId: job.target?.Id ?? '',
      status: outcome.status,
      attempts: outcome.attempts,
      ...('error' in outcome && { error: outcome.error }),
      at: this.o.clock.now(),
    });
  }

  /** Parsed targets by their JSON text: every delivery of a rule version carries the same text. */
  private readonly targets = new Map<string, DeliveryTarget & { service: string }>();

  private parseTarget(text: string): DeliveryTarget & { service: string } {
    let t = this.targets.get(text);
    if (!t) {
      if (this.targets.size >= 1000) this.targets.clear();
      const parsed = JSON.parse(text) as DeliveryTarget;
      t = { ...parsed, service: parseArn(parsed.target.Arn ?? '')?.service ?? '' };
      this.targets.set(text, t);
    }
    return t;
  }

  /** One delivery of a round claimed at `claimedAt`; the clock is read once more, when it answered. */
  private async attempt(d: ClaimedDelivery, claimedAt: number, expired: Promise<DeliveryResult>): Promise<DeliveryOutcome> {
    const target = this.parseTarget(d.target);
    const limits = retryLimits(target.target.RetryPolicy);
    const attempts = d.attempts + 1;
    let outcome: DeliveryOutcome;
    let letter: Omit<DeadLetter, 'target' | 'event'> | null = null;
    let at = claimedAt;
    let detail: string | undefined;
    if (tooOld(d.ingestedAt, claimedAt, limits)) {
      const message = 'the event is older than the retry policy allows';
      outcome = { id: d.id, status: 'failed', attempts: d.attempts, error: `EXHAUSTED MaximumEventAgeInSeconds: ${message}` };
      letter = { code: 'TIMEOUT', message, exhausted: 'MaximumEventAgeInSeconds', retryAttempts: Math.max(0, d.attempts - 1) };
    } else {
      const result = await this.call(d, target, attempts, expired);
      const now = (at = this.o.clock.now());
      if (result.ok) {
        outcome = { id: d.id, status: 'delivered', attempts };
        detail = result.detail;
      } else if (result.deferUntil !== undefined) {
        // Waiting for its turn (a rate limit): not an attempt, not subject to the retry limits.
        outcome = { id: d.id, status: 'retry', attempts: d.attempts, dueAt: result.deferUntil, error: `${result.code}: ${result.message}` };
      } else if (!result.retriable) {
        outcome = { id: d.id, status: 'failed', attempts, error: `${result.code}: ${result.message}` };
        letter = { code: result.code, message: result.message, retryAttempts: attempts - 1 };
      } else {
        const decision = withRetryAfter(
          decideRetry(attempts, d.ingestedAt, now, limits, this.o.random),
          result.retryAfterMs,
          now,
          d.ingestedAt,
          limits.maxEventAgeMs,
        );
        if ('retryAt' in decision)
          outcome = { id: d.id, status: 'retry', attempts, dueAt: decision.retryAt, error: `${result.code}: ${result.message}` };
        else {
          outcome = {
            id: d.id,
            status: 'failed',
            attempts,
            error: `EXHAUSTED ${decision.exhausted} after ${result.code}: ${result.message}`,
          };
          letter = { code: result.code, message: result.message, exhausted: decision.exhausted, retryAttempts: attempts - 1 };
        }
      }
    }
    let dlq: DlqOutcome = 'none';
    if (letter && outcome.status === 'failed') {
      ({ outcome, dlq } = await this.deadLetter(outcome, target, d.body, letter));
      at = this.o.clock.now();
    }
    this.o.observer?.settled(d, outcome, at, dlq);
    if (this.o.feed.watchingDeliveries)
      this.o.feed.publishDelivery({
        deliveryId: d.id,
        eventId: d.eventId,
        busArn: d.busArn,
        ruleArn: d.ruleArn,
        targetId: target.target.Id ?? '',
        status: outcome.status,
        attempts: outcome.attempts,
        ...('error' in outcome && { error: outcome.error }),
        ...(detail !== undefined && { detail }),
        at,
      });
    return outcome;
  }

  /**
   * Sends a given-up delivery to the target's DLQ (when it has one) before the round settles; the
   * failure text then says where the event went. A crash between the two sends it again
   * (at-least-once, like every delivery).
   */
  private async deadLetter(
    outcome: Extract<DeliveryOutcome, { status: 'failed' }>,
    target: DeliveryTarget,
    event: string,
    letter: Omit<DeadLetter, 'target' | 'event'>,
  ): Promise<{ outcome: DeliveryOutcome; dlq: DlqOutcome }> {
    const dlq = target.target.DeadLetterConfig?.Arn;
    if (!dlq) return { outcome, dlq: 'none' };
    const notSent = (why: string) => ({
      outcome: { ...outcome, error: `${outcome.error} (not sent to DLQ ${dlq}: ${why})` },
      dlq: 'failed' as const,
    });
    if (!this.o.deadLetters) return notSent('no DLQ transport');
    try {
      const problem = await this.o.deadLetters.send(dlq, { ...letter, target, event });
      return problem ? notSent(problem) : { outcome: { ...outcome, error: `${outcome.error} (sent to DLQ ${dlq})` }, dlq: 'sent' };
    } catch (err) {
      this.o.onError?.(err);
      return notSent((err as Error).message);
    }
  }

  /**
   * A round waits for its slowest delivery, so a target that hangs must not hold up the rest:
   * each attempt races the round's deadline. Every attempt of a round starts in the same turn,
   * so one timer per round gives each its full timeout (a timer per delivery cost ~1 µs each).
   */
  private roundDeadline(): { expired: Promise<DeliveryResult>; clear(): void } {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<DeliveryResult>((resolve) => {
      timer = setTimeout(() => resolve(failure(true, 'TIMEOUT', `no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return { expired, clear: () => clearTimeout(timer) };
  }

  private async call(
    d: ClaimedDelivery,
    target: DeliveryTarget & { service: string },
    attempt: number,
    expired: Promise<DeliveryResult>,
  ): Promise<DeliveryResult> {
    const service = target.service;
    const transport = this.o.transports.get(service);
    if (!transport)
      return failure(false, 'NO_RESOURCE', `amiwatch has no ${service || 'unknown'} transport for target ${target.target.Arn}`);
    try {
      const t = target.target;
      // Most targets take the event as it is: parse it only when a transformation needs it.
      const payload =
        t.Input === undefined && t.InputPath === undefined && t.InputTransformer === undefined
          ? d.body
          : transformInput(t, d.body, JSON.parse(d.body) as Record<string, unknown>, {
              ruleName: target.ruleName,
              ruleArn: target.ruleArn,
              ingestionTime: new Date(d.ingestedAt).toISOString(),
            });
      return await Promise.race([
        transport.deliver({ target, payload, event: d.body, eventId: d.eventId, ingestedAt: d.ingestedAt, attempt }),
        expired,
      ]);
    } catch (err) {
      this.o.onError?.(err);
      return failure(true, 'INTERNAL_ERROR', (err as Error).message);
    }
  }
}

/**
 * "EventBridge chooses the more conservative value between the defined retry policy and the
 * Retry-After header" (eb-api-destinations): the later of the two times, unless that is past the
 * event's maximum age.
 */
function withRetryAfter(
  decision: RetryDecision,
  retryAfterMs: number | undefined,
  now: number,
  ingestedAt: number,
  maxAgeMs: number,
): RetryDecision {
  if (retryAfterMs === undefined || !('retryAt' in decision)) return decision;
  const at = Math.max(decision.retryAt, now + retryAfterMs);
  return at - ingestedAt > maxAgeMs ? { exhausted: 'MaximumEventAgeInSeconds' } : { retryAt: at };
}
