import type { RunResult } from '../../core/lambda/runner.js';
import type { AsyncFailureCondition } from '../../core/lambda/async-retry-policy.js';

/**
 * The invocation record Lambda sends to a destination (invocation-async-retain-records,
 * "Invocation record"): the request (the event as the function received it) and the response
 * (the function's result or error), with why it was sent (`condition`: `Success`,
 * `RetriesExhausted`, `EventAgeExceeded`) and how many times the function ran.
 */
export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: 'Success' | AsyncFailureCondition; approximateInvokeCount: number };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion: string; functionError?: 'Unhandled' };
  responsePayload?: unknown;
}

export interface RecordFacts {
  readonly requestId: string;
  /** The invoked ARN with its qualifier. */
  readonly functionArn: string;
  readonly executedVersion: string;
  readonly condition: 'Success' | AsyncFailureCondition;
  readonly invokeCount: number;
  readonly payload: string;
  /** The last run's result; absent when the function never ran (the event aged out waiting). */
  readonly last?: RunResult;
  readonly at: number;
}

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export function invocationRecord(f: RecordFacts): InvocationRecord {
  const failed = f.last !== undefined && f.last.status !== 'ok';
  return {
    version: '1.0',
    timestamp: new Date(f.at).toISOString(),
    requestContext: { requestId: f.requestId, functionArn: f.functionArn, condition: f.condition, approximateInvokeCount: f.invokeCount },
    requestPayload: parsed(f.payload),
    responseContext: { statusCode: 200, executedVersion: f.executedVersion, ...(failed && { functionError: 'Unhandled' as const }) },
    ...(f.last !== undefined && { responsePayload: responseOf(f.last) }),
  };
}

/**
 * The function's response as its runtime produced it — the same payload a synchronous Invoke
 * answers: a success's result, or the runtime's error object in that runtime's shape (Node.js
 * `{errorType, errorMessage, trace}`, Python `{errorMessage, errorType, requestId, stackTrace}`),
 * as Lambda puts "the error the function returned" in the record.
 */
function responseOf(r: RunResult): unknown {
  return r.payload === '' ? null : parsed(r.payload);
}

/**
 * An invocation record as an EventBridge event (destination = an event bus): source `lambda`,
 * detail-type `Lambda Function Invocation Result - Success` / `- Failure`, the record as detail,
 * the function (and the bus) in resources.
 */
export function recordEvent(record: InvocationRecord, o: { id: string; account: string; region: string; busArn: string }): string {
  return JSON.stringify({
    version: '0',
    id: o.id,
    'detail-type': `Lambda Function Invocation Result - ${record.requestContext.condition === 'Success' ? 'Success' : 'Failure'}`,
    source: 'lambda',
    account: o.account,
    time: record.timestamp.replace(/\.\d{3}Z$/, 'Z'),
    region: o.region,
    resources: [o.busArn, record.requestContext.functionArn],
    detail: record,
  });
}
