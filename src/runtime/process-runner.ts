import type { FunctionRunner, RunnableFunction, RunRequest, RunResult } from '../core/lambda/runner.js';
import { LambdaErrors } from '../core/generated/errors.js';
import type { CodeCache } from './code-cache.js';
import type { Sandbox } from './sandbox.js';
import { FunctionProcess, type RawResult } from './function-process.js';
import { lambdaEnvironment } from './lambda-environment.js';
import { launchFor, type Launch } from './launcher.js';
import { lambdaLog } from './lambda-log.js';
import type { PythonInterpreter } from './python-interpreter.js';

export interface ProcessRunnerOptions {
  readonly cache: CodeCache;
  /** Processes one function may run at once; more invocations wait their turn. */
  readonly maxProcessesPerFunction?: number;
  /** A warm process idle this long is stopped (Lambda recycles idle environments too). */
  readonly idleMs?: number;
  /**
   * amiwatch's own URL once it listens: given to functions as AWS_ENDPOINT_URL, so an AWS SDK
   * inside a function calls amiwatch rather than AWS.
   */
  readonly endpointUrl?: () => string | undefined;
  /** Whether functions get access keys naming their account (only without a credentials file, where any key is accepted). */
  readonly accountKeys?: boolean;
  /** Where function processes run (sandbox.ts). */
  readonly sandbox: Sandbox;
  /** Set when functions must not run at all (credentials mode without a sandbox): the reason. */
  readonly refusal?: string;
  /** Interpreters Python functions run on (python-interpreter.ts `findPythons`), best first. */
  readonly pythons?: readonly PythonInterpreter[];
}

interface Pool {
  readonly fingerprint: string;
  readonly idle: FunctionProcess[];
  readonly busy: Set<FunctionProcess>;
  readonly waiting: (() => void)[];
  retired: boolean;
}

/**
 * FunctionRunner on child processes: per function a pool of warm processes, reused one
 * invocation at a time, started on demand up to a limit, stopped when idle, and retired when the
 * function's code or configuration changes (its fingerprint) or it is deleted.
 */
export class ProcessRunner implements FunctionRunner {
  private readonly pools = new Map<string, Pool>();
  private readonly max: number;
  private readonly idleMs: number;
  private readonly reaper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly o: ProcessRunnerOptions) {
    this.max = o.maxProcessesPerFunction ?? 10;
    this.idleMs = o.idleMs ?? 300_000;
    this.reaper = setInterval(() => this.reap(), Math.max(1000, Math.min(this.idleMs / 2, 60_000)));
    this.reaper.unref();
  }

  async run(request: RunRequest): Promise<RunResult> {
    if (this.o.refusal) throw LambdaErrors.ServiceException(this.o.refusal);
    const fn = request.fn;
    const dir = await this.o.cache.directory(fn.codeSha256, fn.loadCode);
    // The bootstraps by the paths the process sees them at (/var/runtime in bubblewrap).
    const at = (bootstrapPath: string) => this.o.sandbox.inside({ codeDir: dir, bootstrapPath }).bootstrapPath;
    const launch = launchFor(
      fn,
      { node: at(this.o.cache.bootstrapPath), python: at(this.o.cache.pythonBootstrapPath) },
      this.o.pythons ?? [],
    );
    if ('error' in launch) {
      const raw: RawResult = {
        outcome: { kind: 'error', error: { errorType: 'Runtime.InvalidRuntime', errorMessage: launch.error } },
        output: '',
        durationMs: 0,
        maxMemoryMb: 0,
      };
      return lambdaLog(fn, request.requestId, raw, 0);
    }
    const { pool, proc } = await this.acquire(fn, dir, launch);
    const cold = proc.invocations === 0;
    let raw: RawResult;
    try {
      raw = await proc.invoke(
        {
          id: request.requestId,
          arn: fn.arn,
          payload: request.payload,
          ...(request.clientContext !== undefined && { clientContext: request.clientContext }),
        },
        fn.timeoutSeconds * 1000,
      );
    } finally {
      this.release(pool, proc);
    }
    return { ...lambdaLog(fn, request.requestId, raw, cold ? proc.initMs : 0), logStream: proc.logStream };
  }

  retire(arn: string): void {
    const pool = this.pools.get(arn);
    if (!pool) return;
    this.pools.delete(arn);
    pool.retired = true;
    for (const p of pool.idle.splice(0)) p.kill();
    for (const wake of pool.waiting.splice(0)) wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    for (const [arn, pool] of [...this.pools]) {
      this.retire(arn);
      for (const p of pool.busy) p.kill();
    }
    await this.o.cache.close();
  }

  /** A warm idle process, a new one, or a wait for one to come free. */
  private async acquire(fn: RunnableFunction, dir: string, launch: Launch): Promise<{ pool: Pool; proc: FunctionProcess }> {
    for (;;) {
      if (this.closed) throw new Error('amiwatch is shutting down');
      let pool = this.pools.get(fn.arn);
      if (pool && pool.fingerprint !== fn.fingerprint) {
        this.retire(fn.arn);
        pool = undefined;
      }
      if (!pool) {
        pool = { fingerprint: fn.fingerprint, idle: [], busy: new Set(), waiting: [], retired: false };
        this.pools.set(fn.arn, pool);
      }
      let proc = pool.idle.pop();
      while (proc?.dead) proc = pool.idle.pop();
      if (!proc && pool.busy.size < this.max) {
        const inside = this.o.sandbox.inside({ codeDir: dir, bootstrapPath: this.o.cache.bootstrapPath }).codeDir;
        proc = new FunctionProcess({
          ...launch,
          codeDir: dir,
          sandbox: this.o.sandbox,
          bootstraps: [this.o.cache.bootstrapPath, this.o.cache.pythonBootstrapPath],
          env: lambdaEnvironment(fn, inside, this.o.endpointUrl?.(), this.o.accountKeys ?? false),
        });
      }
      if (proc) {
        pool.busy.add(proc);
        return { pool, proc };
      }
      await new Promise<void>((resolve) => pool.waiting.push(resolve));
    }
  }

  private release(pool: Pool, proc: FunctionProcess): void {
    pool.busy.delete(proc);
    if (proc.dead || pool.retired || this.closed) proc.kill();
    else pool.idle.push(proc);
    pool.waiting.shift()?.();
  }

  private reap(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const pool of this.pools.values()) {
      for (let i = pool.idle.length - 1; i >= 0; i--) {
        const p = pool.idle[i]!;
        if (p.dead || p.lastUsed < cutoff) {
          p.kill();
          pool.idle.splice(i, 1);
        }
      }
    }
  }
}
