import type { AsyncInvokeJob } from '../../core/lambda/async-queue.js';
import { afterFunctionError, afterThrottle, expired, type AsyncFailureCondition } from '../../core/lambda/async-retry-policy.js';
import type { AsyncSettings } from '../../core/lambda/event-invoke-config.js';
import { errorText, type AsyncAttempt } from '../../core/lambda/invocations.js';
import type { RunResult } from '../../core/lambda/runner.js';
import { recordLambda, type MetricsRecorder } from '../../core/metrics/metrics.js';
import type { Clock } from '../../core/shared/clock.js';
import type { Random } from '../../core/shared/random.js';
import type { FunctionRecord } from '../../storage/ports/lambda-store.js';
import type { ClaimedDelivery, DeliveryOutcome } from '../../storage/store.js';
import type { JobHandler } from '../job-handler.js';
import { sendDeadLetter, sendRecord, type AsyncOutlets } from './async-outlets.js';
import { invocationRecord } from './invocation-record.js';

export interface AsyncInvokeHandlerOptions {
  /** Runs one attempt of a queued event (core's Invocations.runQueued). */
  readonly run: (job: AsyncInvokeJob, payload: string) => Promise<AsyncAttempt>;
  readonly outlets: AsyncOutlets;
  readonly clock: Clock;
  readonly random: Random;
  readonly metrics?: MetricsRecorder;
}

/**
 * The `lambda-async` jobs of the delivery queue: Lambda's asynchronous invocation. Each claim
 * runs the function once; the outcome follows Lambda's rules (core/lambda/async-retry-policy.ts):
 * success → OnSuccess destination; function error → retry after 1 min, then 2 min, up to
 * MaximumRetryAttempts; throttled → back in the queue without counting an attempt; too old or
 * out of retries → OnFailure destination and the function's dead-letter queue. Retries are the
 * queue's `retry at`, so they survive a restart; the clock and randomness are injected.
 */
export class AsyncInvokeHandler implements JobHandler {
  constructor(private readonly o: AsyncInvokeHandlerOptions) {}

  async run(d: ClaimedDelivery, job: unknown, claimedAt: number): Promise<DeliveryOutcome> {
    const j = job as AsyncInvokeJob;
    const attempt = await this.o.run(j, d.body);
    const now = this.o.clock.now();
    if (attempt.kind === 'gone') return { id: d.id, status: 'failed', attempts: d.attempts, error: `NO_RESOURCE: ${attempt.message}` };
    const { record, settings } = attempt;
    if (attempt.kind === 'throttled') {
      // An event that waited past its age while throttled is discarded without a run.
      const decision = expired(d.ingestedAt, claimedAt, settings)
        ? ({ discard: 'EventAgeExceeded' } as const)
        : afterThrottle(d.ingestedAt, now, settings, this.o.random);
      if ('retryAt' in decision)
        return {
          id: d.id,
          status: 'retry',
          attempts: d.attempts,
          dueAt: decision.retryAt,
          error: 'THROTTLED: ReservedFunctionConcurrentInvocationLimitExceeded',
        };
      return this.discard(d, j, record, settings, {
        condition: decision.discard,
        why: decision.discard,
        errorCode: 429,
        errorMessage: 'Rate Exceeded.',
      });
    }
    const invokes = d.attempts + 1;
    const result = attempt.result;
    if (result.status === 'ok') {
      if (settings.onSuccess) await this.destination(settings.onSuccess, d, j, 'Success', invokes, result, attempt.executedVersion);
      return { id: d.id, status: 'delivered', attempts: invokes };
    }
    const why = `${failureCode(result)}: ${errorText(result.payload)}`;
    const decision = afterFunctionError(invokes, d.ingestedAt, now, settings);
    if ('retryAt' in decision) return { id: d.id, status: 'retry', attempts: invokes, dueAt: decision.retryAt, error: why };
    return this.discard({ ...d, attempts: invokes }, j, record, settings, {
      executedVersion: attempt.executedVersion,
      condition: decision.discard,
      why: `${decision.discard} after ${why}`,
      last: result,
      errorCode: 200,
      errorMessage: errorText(result.payload),
    });
  }

  /** Gives the event up: the invocation record to OnFailure, the event to the dead-letter queue. */
  private async discard(
    d: ClaimedDelivery,
    j: AsyncInvokeJob,
    record: FunctionRecord,
    settings: AsyncSettings,
    f: {
      condition: AsyncFailureCondition;
      why: string;
      last?: RunResult;
      executedVersion?: string;
      errorCode: number;
      errorMessage: string;
    },
  ): Promise<DeliveryOutcome> {
    const { condition, last, errorCode, errorMessage } = f;
    if (this.o.metrics) recordLambda(this.o.metrics, 'AsyncEventsDropped', record);
    const notes: string[] = [];
    if (settings.onFailure) notes.push(await this.destination(settings.onFailure, d, j, condition, d.attempts, last, f.executedVersion));
    if (record.deadLetterArn) {
      const problem = await sendDeadLetter(this.o.outlets, record.deadLetterArn, d.body, {
        requestId: j.requestId,
        errorCode,
        errorMessage,
        source: { functionArn: record.arn, account: record.accountId },
      });
      if (problem && this.o.metrics) recordLambda(this.o.metrics, 'DeadLetterErrors', record);
      notes.push(problem ? `not sent to DLQ ${record.deadLetterArn}: ${problem}` : `sent to DLQ ${record.deadLetterArn}`);
    }
    const tail = notes
      .filter(Boolean)
      .map((n) => ` (${n})`)
      .join('');
    return { id: d.id, status: 'failed', attempts: d.attempts, error: `${f.why}${tail}` };
  }

  /** Sends the invocation record; returns a note for the history ('' when nothing to say). */
  private async destination(
    arn: string,
    d: ClaimedDelivery,
    j: AsyncInvokeJob,
    condition: 'Success' | AsyncFailureCondition,
    invokes: number,
    last: RunResult | undefined,
    executedVersion = j.qualifier,
  ): Promise<string> {
    const rec = invocationRecord({
      requestId: j.requestId,
      functionArn: j.target.Arn,
      executedVersion,
      condition,
      invokeCount: invokes,
      payload: d.body,
      ...(last && { last }),
      at: this.o.clock.now(),
    });
    const problem = await sendRecord(this.o.outlets, arn, rec, {
      eventId: this.o.random.uuid(),
      account: j.account,
      region: j.region,
      functionArn: j.target.Arn ?? '',
    });
    if (!problem) return `sent to ${condition === 'Success' ? 'OnSuccess' : 'OnFailure'} ${arn}`;
    if (this.o.metrics) recordLambda(this.o.metrics, 'DestinationDeliveryFailures', { name: j.ruleName, arn: j.target.Arn ?? '' });
    return `not sent to ${arn}: ${problem}`;
  }
}

const failureCode = (r: RunResult) => (r.status === 'timeout' ? 'TIMEOUT' : r.status === 'crash' ? 'RUNTIME_ERROR' : 'FUNCTION_ERROR');
