import type { FunctionRecord } from '../../storage/ports/lambda-store.js';
import type { MetricsRecorder } from '../metrics/metrics.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import { ServiceError } from '../shared/service-error.js';
import type { FunctionLogs } from './function-logs.js';
import { allowsService } from '@amiwatch/shared';
import type { InvokeAsyncOptions, LambdaInvoker, LambdaInvokeResult } from './invoker.js';
import { fingerprint, type LambdaFunctions } from './lambda-service.js';
import { functionArn } from './names.js';
import type { FunctionRunner, RunnableFunction, RunResult } from './runner.js';
import type { Clock } from '../shared/clock.js';
import { LambdaErrors } from '../generated/errors.js';

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
}

/**
 * Running functions: Invoke (RequestResponse waits for the result; Event answers 202 and runs
 * it in the background; DryRun only checks the call) and the LambdaInvoker other services use.
 * Every run is logged (the function's log) and counted (AWS/Lambda Invocations, Errors,
 * Duration).
 */
export class Invocations implements LambdaInvoker {
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly o: InvocationsOptions) {}

  async invoke(ctx: RequestContext, input: InvokeInput): Promise<InvokeOutcome> {
    const type = input.invocationType ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      throw LambdaErrors.InvalidParameterValueException(`Unsupported invocation type ${type}: use RequestResponse, Event or DryRun.`);
    }
    if (input.logType !== undefined && input.logType !== 'None' && input.logType !== 'Tail') {
      throw LambdaErrors.InvalidParameterValueException(`Unsupported log type ${input.logType}: use None or Tail.`);
    }
    const record = await this.o.functions.record(ctx, input.functionName, input.qualifier);
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
      this.track(this.run(record, payload));
      return { status: 202 };
    }
    const result = await this.run(record, payload, input.clientContext);
    return {
      status: 200,
      payload: result.payload,
      ...(result.status !== 'ok' && { functionError: 'Unhandled' as const }),
      ...(input.logType === 'Tail' && { logResult: tail(result.log) }),
      executedVersion: '$LATEST',
    };
  }

  async invokeAsync(arn: string, payload: string, options: InvokeAsyncOptions = {}): Promise<LambdaInvokeResult> {
    const parts = arn.split(':');
    const [region, account, name] = [parts[3] ?? '', parts[4] ?? '', parts[6] ?? ''];
    const qualifier = parts[7];
    const fnArn = functionArn(region, account, name);
    let record: FunctionRecord;
    try {
      record = await this.o.functions.record({ accountId: account, region }, arn);
    } catch (err) {
      if (err instanceof ServiceError && err.status < 500) {
        return { ok: false, retriable: false, code: 'NO_RESOURCE', message: `Function not found: ${qualifier ? arn : fnArn}` };
      }
      throw err;
    }
    if (options.principal !== undefined && !allowsService(record.policy, options.principal, options.sourceArn, options.sourceAccount)) {
      return {
        ok: false,
        retriable: false,
        code: 'NO_PERMISSIONS',
        message: `The resource policy of ${record.arn} does not allow ${options.principal} to call lambda:InvokeFunction${options.sourceArn ? ` from ${options.sourceArn}` : ''} (add it with lambda add-permission).`,
      };
    }
    const result = await this.run(record, payload);
    if (result.status === 'ok') return { ok: true, requestId: result.requestId, durationMs: result.durationMs };
    const code = result.status === 'timeout' ? 'TIMEOUT' : result.status === 'crash' ? 'RUNTIME_ERROR' : 'FUNCTION_ERROR';
    return { ok: false, retriable: true, code, message: errorText(result.payload), requestId: result.requestId };
  }

  /** Waits for Event invocations still running (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private async run(record: FunctionRecord, payload: string, clientContext?: string): Promise<RunResult & { requestId: string }> {
    const requestId = this.o.random.uuid();
    const at = this.o.clock.now();
    const fn: RunnableFunction = {
      arn: record.arn,
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
      loadCode: () => this.o.functions.code(record),
    };
    const result = await this.o.runner.run({ fn, payload, requestId, ...(clientContext !== undefined && { clientContext }) });
    this.o.logs.append(record.arn, { requestId, at, text: result.log });
    const dims = { FunctionName: record.name };
    this.o.metrics.record('AWS/Lambda', 'Invocations', dims);
    if (result.status !== 'ok') this.o.metrics.record('AWS/Lambda', 'Errors', dims);
    this.o.metrics.record('AWS/Lambda', 'Duration', dims, result.durationMs);
    return { ...result, requestId };
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => this.o.onBackgroundError?.(err)).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }
}

/** The last 4 KB of the log, base64 (X-Amz-Log-Result). */
function tail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - 4096)).toString('base64');
}

/** `errorType: errorMessage` from Lambda's error payload. */
function errorText(payload: string): string {
  try {
    const e = JSON.parse(payload) as { errorType?: string; errorMessage?: string };
    return e.errorType ? `${e.errorType}: ${e.errorMessage ?? ''}` : (e.errorMessage ?? payload);
  } catch {
    return payload;
  }
}
