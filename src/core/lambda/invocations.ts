import type { FunctionRecord } from '../../storage/ports/lambda-store.js';
import { recordLambda, type MetricsRecorder } from '../metrics/metrics.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import { ServiceError } from '../shared/service-error.js';
import type { FunctionLogs } from './function-logs.js';
import { allowsService } from '@amiwatch/shared';
import { functionLogGroup, invocationEvents, type LogWriter } from './log-writer.js';
import type { InvokeAsyncOptions, LambdaInvoker, LambdaInvokeResult } from './invoker.js';
import { fingerprint, type LambdaFunctions } from './lambda-service.js';
import { functionArn } from './names.js';
import type { FunctionRunner, RunnableFunction, RunResult } from './runner.js';
import type { Clock } from '../shared/clock.js';
import { LambdaErrors } from '../generated/errors.js';
import type { AsyncInvokeJob, AsyncInvokeQueue } from './async-queue.js';
import { asyncSettings, type AsyncSettings } from './event-invoke-config.js';
import { throttled, type ConcurrencyGate } from './function-concurrency.js';
import type { Resolved } from './qualifiers.js';

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface InvokeInput {
  readonly functionName: string;
  readonly qualifier?: string;
  readonly invocationType?: string;
  readonly logType?: string;
  readonly payload: Buffer;
  readonly clientContext?: string;
}

/** Invoke's answer, as the wire writes it: status, payload, and the X-Amz-* headers' values. */
export interface InvokeOutcome {
  readonly status: 200 | 202 | 204;
  readonly payload?: string;
  /** `Unhandled` for every failure (AWS writes `Handled` only for old callback-style errors). */
  readonly functionError?: 'Unhandled';
  /** Base64 of the invocation log's last 4 KB (LogType Tail). */
  readonly logResult?: string;
  readonly executedVersion?: string;
}

/**
 * Invoke's payload limits: "the maximum payload size is 6 MB for synchronous invocations and 1 MB
 * for asynchronous invocations" (Invoke API reference; the asynchronous limit was 256 KB before).
 */
export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
export const MAX_ASYNC_PAYLOAD = 1024 * 1024;

export interface InvocationsOptions {
  readonly functions: LambdaFunctions;
  readonly runner: FunctionRunner;
  readonly logs: FunctionLogs;
  readonly metrics: MetricsRecorder;
  readonly clock: Clock;
  readonly random: Random;
  readonly onBackgroundError?: (err: unknown) => void;
  /** CloudWatch Logs: each run's log goes to /aws/lambda/NAME, in its process's stream. */
  readonly logWriter?: LogWriter;
  /** Lambda's asynchronous event queue (Invoke `Event`, EventBridge and SNS). */
  readonly queue: AsyncInvokeQueue;
  /** Running invocations against reserved concurrency. */
  readonly gate: ConcurrencyGate;
}

/** One attempt of a queued asynchronous invocation, as the queue's handler sees it. */
export type AsyncAttempt =
  /** The function (or its qualifier) is gone: the event is dropped. */
  | { readonly kind: 'gone'; readonly message: string }
  /** At its reserved concurrency: the event waits in the queue. */
  | { readonly kind: 'throttled'; readonly record: FunctionRecord; readonly settings: AsyncSettings }
  | {
      readonly kind: 'ran';
      readonly result: RunResult;
      readonly record: FunctionRecord;
      readonly settings: AsyncSettings;
      readonly executedVersion: string;
    };

/**
 * Running functions: Invoke (RequestResponse waits for the result; Event queues the event
 * durably and answers 202; DryRun only checks the call), the LambdaInvoker other services use
 * (which queues the same way), and the attempts of queued events (`runQueued`).
 * Every run is logged (the function's log) and counted (AWS/Lambda Invocations, Errors,
 * Duration).
 */
export class Invocations implements LambdaInvoker {
  constructor(private readonly o: InvocationsOptions) {}

  async invoke(ctx: RequestContext, input: InvokeInput): Promise<InvokeOutcome> {
    const type = input.invocationType ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      throw LambdaErrors.InvalidParameterValueException(`Unsupported invocation type ${type}: use RequestResponse, Event or DryRun.`);
    }
    if (input.logType !== undefined && input.logType !== 'None' && input.logType !== 'Tail') {
      throw LambdaErrors.InvalidParameterValueException(`Unsupported log type ${input.logType}: use None or Tail.`);
    }
    const resolved = await this.o.functions.resolved(ctx, input.functionName, input.qualifier, 'InvokeFunction', this.o.random);
    const record = resolved.latest;
    const payload = input.payload.length === 0 ? '{}' : input.payload.toString('utf8');
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (input.payload.length > limit) {
      throw LambdaErrors.RequestTooLargeException(`Request must be smaller than ${limit} bytes for the Invoke operation`);
    }
    try {
      JSON.parse(payload);
    } catch (err) {
      throw LambdaErrors.InvalidRequestContentException(`Could not parse request body into json: ${(err as Error).message}`);
    }
    if (type === 'DryRun') return { status: 204 };
    if (type === 'Event') {
      await this.enqueue(record, resolved.qualifier, payload);
      return { status: 202 };
    }
    if (!this.o.gate.tryAcquire(record.arn, record.reservedConcurrency)) {
      recordLambda(this.o.metrics, 'Throttles', record);
      throw throttled();
    }
    let result: RunResult & { requestId: string };
    try {
      result = await this.run(resolved.run, payload, { ...(input.clientContext !== undefined && { clientContext: input.clientContext }) });
    } finally {
      this.o.gate.release(record.arn);
    }
    return {
      status: 200,
      payload: result.payload,
      ...(result.status !== 'ok' && { functionError: 'Unhandled' as const }),
      ...(input.logType === 'Tail' && { logResult: tail(result.log) }),
      executedVersion: resolved.executedVersion,
    };
  }

  async invokeAsync(arn: string, payload: string, options: InvokeAsyncOptions = {}): Promise<LambdaInvokeResult> {
    const parts = arn.split(':');
    const [region, account, name] = [parts[3] ?? '', parts[4] ?? '', parts[6] ?? ''];
    const qualifier = parts[7];
    const fnArn = functionArn(region, account, name);
    let resolved: Resolved;
    try {
      resolved = await this.o.functions.resolved({ accountId: account, region }, arn, undefined, 'InvokeFunction');
    } catch (err) {
      if (err instanceof ServiceError && err.status < 500) {
        return { ok: false, retriable: false, code: 'NO_RESOURCE', message: `Function not found: ${qualifier ? arn : fnArn}` };
      }
      throw err;
    }
    const record = resolved.latest;
    // A version or alias has its own resource policy (AddPermission --qualifier), as on Lambda.
    const policy = resolved.qualifier === '$LATEST' ? record.policy : (record.qualifierPolicies?.[resolved.qualifier] ?? []);
    if (options.principal !== undefined && !allowsService(policy, options.principal, options.sourceArn, options.sourceAccount)) {
      return {
        ok: false,
        retriable: false,
        code: 'NO_PERMISSIONS',
        message: `The resource policy of ${qualifier ? arn : record.arn} does not allow ${options.principal} to call lambda:InvokeFunction${options.sourceArn ? ` from ${options.sourceArn}` : ''} (add it with lambda add-permission).`,
      };
    }
    // Lambda takes the event into its asynchronous queue and answers at once: the function's
    // failures are retried by Lambda's rules (event invoke config), not the caller's.
    const requestId = await this.enqueue(record, resolved.qualifier, payload);
    return { ok: true, requestId, durationMs: 0 };
  }

  /** Queues an asynchronous invocation of the qualifier; resolves its request id once durable. */
  private async enqueue(record: FunctionRecord, qualifier: string, payload: string): Promise<string> {
    const requestId = this.o.random.uuid();
    await this.o.queue.enqueue({
      functionArn: record.arn,
      name: record.name,
      account: record.accountId,
      region: record.region,
      qualifier,
      requestId,
      payload,
    });
    recordLambda(this.o.metrics, 'AsyncEventsReceived', record);
    return requestId;
  }

  /**
   * One attempt of a queued event: the function as it is now (a deleted one drops the event),
   * within its reserved concurrency, with the queue's request id (the same on every retry, as
   * on Lambda).
   */
  async runQueued(job: AsyncInvokeJob, payload: string): Promise<AsyncAttempt> {
    return this.runAs({ accountId: job.account, region: job.region }, job.ruleArn, job.qualifier, payload, job.requestId);
  }

  /**
   * One synchronous run for an event source mapping (Lambda's poller invokes synchronously): the
   * function named by the mapping's ARN (qualified or not), within its reserved concurrency.
   */
  async runForMapping(functionArn: string, payload: string): Promise<AsyncAttempt> {
    const parts = functionArn.split(':');
    return this.runAs({ accountId: parts[4] ?? '', region: parts[3] ?? '' }, functionArn, undefined, payload, this.o.random.uuid());
  }

  private async runAs(
    where: { accountId: string; region: string },
    arn: string,
    qualifier: string | undefined,
    payload: string,
    requestId: string,
  ): Promise<AsyncAttempt> {
    let resolved: Resolved;
    try {
      // An alias is resolved at each attempt, as Lambda routes each invocation.
      resolved = await this.o.functions.resolved(where, arn, qualifier, 'InvokeFunction', this.o.random);
    } catch (err) {
      if (err instanceof ServiceError && err.status < 500) return { kind: 'gone', message: err.message };
      throw err;
    }
    const record = resolved.latest;
    const settings = asyncSettings(record, resolved.qualifier);
    if (!this.o.gate.tryAcquire(record.arn, record.reservedConcurrency)) {
      recordLambda(this.o.metrics, 'Throttles', record);
      return { kind: 'throttled', record, settings };
    }
    try {
      const result = await this.run(resolved.run, payload, { requestId });
      return { kind: 'ran', result, record, settings, executedVersion: resolved.executedVersion };
    } finally {
      this.o.gate.release(record.arn);
    }
  }

  private async run(
    record: FunctionRecord,
    payload: string,
    options: { clientContext?: string; requestId?: string } = {},
  ): Promise<RunResult & { requestId: string }> {
    const { clientContext } = options;
    const requestId = options.requestId ?? this.o.random.uuid();
    const at = this.o.clock.now();
    const fn: RunnableFunction = {
      // A version runs in processes of its own (its code and configuration are its own).
      arn: record.version ? `${record.arn}:${record.version}` : record.arn,
      ...(record.version && { version: record.version }),
      name: record.name,
      accountId: record.accountId,
      region: record.region,
      runtime: record.runtime,
      handler: record.handler,
      timeoutSeconds: record.timeoutSeconds,
      memoryMb: record.memoryMb,
      environment: record.environment,
      fingerprint: fingerprint(record),
      codeSha256: record.codeSha256,
      loadCode: () => (record.version ? this.o.functions.versionCode(record) : this.o.functions.code(record)),
    };
    const result = await this.o.runner.run({ fn, payload, requestId, ...(clientContext !== undefined && { clientContext }) });
    this.o.logs.append(record.arn, { requestId, at, text: result.log });
    if (this.o.logWriter && result.logStream) {
      await this.o.logWriter
        .write(record, functionLogGroup(record), result.logStream, invocationEvents(result, at, this.o.clock.now()))
        .catch((err: unknown) => this.o.onBackgroundError?.(err));
    }
    recordLambda(this.o.metrics, 'Invocations', record);
    if (result.status !== 'ok') recordLambda(this.o.metrics, 'Errors', record);
    recordLambda(this.o.metrics, 'Duration', record, result.durationMs);
    return { ...result, requestId };
  }
}

/** The last 4 KB of the log, base64 (X-Amz-Log-Result). */
function tail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - 4096)).toString('base64');
}

/** `errorType: errorMessage` from Lambda's error payload. */
export function errorText(payload: string): string {
  try {
    const e = JSON.parse(payload) as { errorType?: string; errorMessage?: string };
    return e.errorType ? `${e.errorType}: ${e.errorMessage ?? ''}` : (e.errorMessage ?? payload);
  } catch {
    return payload;
  }
}
