import type { RunnableFunction, RunResult } from '../core/lambda/runner.js';
import type { RawResult } from './function-process.js';

const MAX_RESPONSE = 6_291_556;

/**
 * A raw process outcome as Lambda reports it: the payload (result, or Lambda's error object) and
 * the invocation's log from START to REPORT, with Lambda's timeout and runtime-exit lines.
 */
export function lambdaLog(fn: RunnableFunction, requestId: string, raw: RawResult, initMs: number): RunResult {
  const ms = raw.durationMs;
  let payload: string;
  let status: RunResult['status'];
  let extra = '';
  const o = raw.outcome;
  switch (o.kind) {
    case 'ok':
      if (Buffer.byteLength(o.result) > MAX_RESPONSE) {
        // Lambda's synchronous response limit (6 MB).
        status = 'error';
        payload = JSON.stringify({
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE} bytes).`,
        });
      } else {
        status = 'ok';
        payload = o.result;
      }
      break;
    case 'error':
      status = 'error';
      payload = JSON.stringify(o.error);
      break;
    case 'timeout':
      status = 'timeout';
      payload = JSON.stringify({
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
      });
      extra = `${new Date().toISOString()} ${requestId} Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds\n`;
      break;
    case 'crash': {
      status = 'crash';
      const errorType = o.outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
      payload = JSON.stringify({ errorType, errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${o.reason}` });
      extra = `RequestId: ${requestId} Error: Runtime exited with error: ${o.reason}\n${errorType}\n`;
      break;
    }
  }
  const output = raw.output && !raw.output.endsWith('\n') ? `${raw.output}\n` : raw.output;
  const report =
    `REPORT RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(ms))} ms\t` +
    `Memory Size: ${fn.memoryMb} MB\tMax Memory Used: ${raw.maxMemoryMb || '-'} MB\t${initMs > 0 ? `Init Duration: ${initMs.toFixed(2)} ms\t` : ''}\n`;
  const log = `START RequestId: ${requestId} Version: ${fn.version ?? '$LATEST'}\n${output}${extra}END RequestId: ${requestId}\n${report}`;
  return { status, payload, log, durationMs: ms, coldStart: initMs > 0 };
}
