/**
 * The port through which core runs function code. The adapter (`src/runtime/`) runs each
 * function in warm, reused Node.js child processes; core only says what to run and reads what
 * came back. One invocation per process at a time, as in a Lambda execution environment.
 */
export interface RunnableFunction {
  /** The function ARN: the pool's key. */
  readonly arn: string;
  readonly name: string;
  /** A published version's number; absent for `$LATEST`. */
  readonly version?: string;
  readonly accountId: string;
  readonly region: string;
  readonly runtime: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Changes whenever code or configuration change: processes started for another are not reused. */
  readonly fingerprint: string;
  /** Base64 SHA-256 of the zip: extracted code is cached by it. */
  readonly codeSha256: string;
  loadCode(): Promise<Buffer>;
}

export interface RunRequest {
  readonly fn: RunnableFunction;
  /** The event, JSON text. */
  readonly payload: string;
  readonly requestId: string;
  /** Client context (base64 JSON) from X-Amz-Client-Context, when given. */
  readonly clientContext?: string;
}

export type RunStatus =
  /** The handler returned (or called back) a result. */
  | 'ok'
  /** The handler threw, rejected or called back with an error; or its module could not load. */
  | 'error'
  /** Still running at its timeout: the process was killed. */
  | 'timeout'
  /** The process died mid-invocation (out of memory, process.exit). */
  | 'crash';

export interface RunResult {
  readonly status: RunStatus;
  /** JSON text: the result, or Lambda's error object `{errorType, errorMessage, trace}`. */
  readonly payload: string;
  /** What the invocation wrote (console, stdout, stderr), in Lambda's log format, START to REPORT. */
  readonly log: string;
  readonly durationMs: number;
  /** Whether the process had to be started (and the module loaded) for this invocation. */
  readonly coldStart: boolean;
  /** The process's log stream (`YYYY/MM/DD/[$LATEST]hex`, AWS_LAMBDA_LOG_STREAM_NAME); absent when no process ran. */
  readonly logStream?: string;
}

export interface FunctionRunner {
  run(request: RunRequest): Promise<RunResult>;
  /** Stops the function's processes (deleted, or code/configuration changed). */
  retire(arn: string): void;
  close(): Promise<void>;
}
