import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Sandbox } from './sandbox.js';

export interface ProcessSpec {
  /** The program and its arguments (launcher.ts: Node.js or Python, by runtime). */
  readonly command: string;
  readonly args: readonly string[];
  readonly codeDir: string;
  readonly env: Readonly<Record<string, string>>;
  /** How the process is confined (sandbox.ts). */
  readonly sandbox: Sandbox;
  /** Written at the start of the first invocation's log (e.g. which Python runs the function). */
  readonly note?: string | null;
  /** Host paths of the runtime bootstraps and the directories the program reads (sandbox.ts). */
  readonly bootstraps: readonly string[];
  readonly readOnly?: readonly string[];
}

export type RawOutcome =
  | { kind: 'ok'; result: string }
  | { kind: 'error'; error: { errorType: string; errorMessage: string; trace?: string[]; requestId?: string; stackTrace?: string[] } }
  | { kind: 'timeout' }
  | { kind: 'crash'; reason: string; outOfMemory: boolean };

export interface RawResult {
  readonly outcome: RawOutcome;
  /** Everything the function wrote during the invocation. */
  readonly output: string;
  readonly durationMs: number;
  readonly maxMemoryMb: number;
}

/** Output kept per invocation: a function printing in a loop must not fill the server's memory. */
const MAX_OUTPUT = 1024 * 1024;

interface Pending {
  readonly id: string;
  readonly chunks: string[];
  bytes: number;
  started: number;
  timer: NodeJS.Timeout | undefined;
  readonly resolve: (r: RawResult) => void;
}

/**
 * One function process, in the sandbox (sandbox.ts): a Node.js child with its heap capped at the
 * function's memory size (`--max-old-space-size`) or a Python one with its memory guard
 * (launcher.ts), the code directory as its working directory and only Lambda's environment
 * (nothing of the server's own). One invocation at a time. A timeout kills it
 * (SIGKILL: a busy loop cannot refuse); so does anything it cannot answer.
 */
export class FunctionProcess {
  private readonly child: ChildProcess;
  private pending: Pending | null = null;
  private stray = '';
  private ready = false;
  private onReady: (() => void) | null = null;
  /** Time from spawn to the bootstrap answering, ms (Lambda's "Init Duration"); 0 once warm. */
  initMs = 0;
  private readonly spawnedAt = performance.now();
  dead = false;
  invocations = 0;
  /** The log stream this process writes (one per process, as one per Lambda execution environment). */
  readonly logStream: string;
  lastUsed = 0;

  constructor(spec: ProcessSpec) {
    this.stray = spec.note ?? '';
    this.logStream = spec.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '';
    const { file, args } = spec.sandbox.command({
      execPath: spec.command,
      args: spec.args,
      codeDir: spec.codeDir,
      bootstraps: spec.bootstraps,
      readOnly: spec.readOnly ?? [],
    });
    this.child = spawn(file, args, {
      cwd: spec.codeDir,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    // Output outside an invocation (native crash messages) is kept for the next report.
    const collect = (data: Buffer) => {
      if (this.pending) this.keep(this.pending, data.toString('utf8'));
      else this.stray = (this.stray + data.toString('utf8')).slice(-8192);
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.child.on('message', (m: { t: string; s?: string; id?: string; ok?: boolean; result?: string; error?: never; rss?: number }) => {
      const p = this.pending;
      if (m.t === 'ready') {
        this.ready = true;
        this.initMs = performance.now() - this.spawnedAt;
        this.onReady?.();
      } else if (m.t === 'log' && p) this.keep(p, m.s ?? '');
      else if (m.t === 'done' && p && m.id === p.id) {
        const outcome: RawOutcome = m.ok ? { kind: 'ok', result: m.result ?? 'null' } : { kind: 'error', error: m.error! };
        this.settle(outcome, Math.ceil((m.rss ?? 0) / 1048576));
      }
    });
    this.child.on('error', () => this.onExit('spawn failed'));
    // bwrap reports a child killed by a signal as its own exit status 128+N (a Python function's
    // memory guard kills itself): said as the signal, as Lambda does.
    const wrapped = spec.sandbox.kind === 'bubblewrap';
    this.child.on('exit', (code, signal) => {
      const sig = signal ?? (wrapped && code !== null && code > 128 ? signalName(code - 128) : null);
      this.onExit(sig ? `signal: ${sig === 'SIGKILL' ? 'killed' : sig === 'SIGABRT' ? 'aborted' : sig}` : `exit status ${code}`);
    });
  }

  invoke(message: { id: string; arn: string; payload: string; clientContext?: string }, timeoutMs: number): Promise<RawResult> {
    if (this.dead || this.pending) return Promise.reject(new Error('function process is not available'));
    this.invocations++;
    return new Promise<RawResult>((resolve) => {
      const pending: Pending = {
        id: message.id,
        chunks: this.stray ? [this.stray] : [],
        bytes: this.stray.length,
        started: performance.now(),
        timer: undefined,
        resolve,
      };
      this.pending = pending;
      this.stray = '';
      // Messages sent before the bootstrap listens would be lost: send once it said it is ready.
      const start = () => {
        if (this.pending !== pending) return;
        pending.started = performance.now();
        pending.timer = setTimeout(() => {
          this.settle({ kind: 'timeout' }, 0);
          this.kill();
        }, timeoutMs);
        this.child.send({ t: 'invoke', ...message, deadline: Date.now() + timeoutMs });
      };
      if (this.ready) start();
      else this.onReady = start;
    });
  }

  private keep(p: Pending, text: string): void {
    if (p.bytes > MAX_OUTPUT) return;
    p.bytes += text.length;
    p.chunks.push(
      p.bytes > MAX_OUTPUT
        ? `${text.slice(0, MAX_OUTPUT - (p.bytes - text.length))}\n[amiwatch: output beyond 1 MB for this invocation was dropped]\n`
        : text,
    );
  }

  kill(): void {
    this.dead = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private settle(outcome: RawOutcome, maxMemoryMb: number): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    this.lastUsed = Date.now();
    p.resolve({ outcome, output: p.chunks.join(''), durationMs: performance.now() - p.started, maxMemoryMb });
  }

  private onExit(reason: string): void {
    this.dead = true;
    const p = this.pending;
    if (!p) return;
    // Let output already in the pipes arrive before the crash is reported.
    setImmediate(() => {
      const output = p.chunks.join('');
      this.settle({ kind: 'crash', reason, outOfMemory: /heap out of memory|Reached heap limit|Reached memory limit/.test(output) }, 0);
    });
  }
}

/** `9` → `SIGKILL`. */
function signalName(n: number): string | null {
  return Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? null;
}
