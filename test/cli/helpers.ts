import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The compiled command, as `npx amiwatch` runs it (`npm run test:only` builds first). */
export const cliPath = resolve('dist/cli/main.js');

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A new user's shell: a fresh temporary directory, an `amiwatch` on PATH, AWS settings that do
 * not depend on this machine's ~/.aws, and nothing else of the test process's environment.
 */
export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'amiwatch-cli-'));
  readonly bin = join(this.dir, '.bin');
  readonly env: Record<string, string>;

  constructor(extra: Record<string, string> = {}) {
    mkdirSync(this.bin);
    const shim = join(this.bin, 'amiwatch');
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
    chmodSync(shim, 0o755);
    // The machine's PATH and HOME stay (pyenv shims need them); AWS and amiwatch settings do not.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(AWS_|AMIWATCH_)/.test(k)),
    ) as Record<string, string>;
    this.env = {
      ...inherited,
      PATH: `${this.bin}:${process.env.PATH}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(this.dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(this.dir, 'no-aws-credentials'),
      ...extra,
    };
  }

  /** Runs `amiwatch ARGS` (no shell). */
  run(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return collect(spawn(process.execPath, [cliPath, ...args], { cwd: this.dir, env: this.env }), options);
  }

  /** Runs a shell command line as a user would type it. */
  sh(line: string, options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return collect(spawn('bash', ['-c', line], { cwd: this.dir, env: this.env }), options);
  }

  /** Starts a long-running command; resolves once `ready` appears on stdout or stderr. */
  async background(args: readonly string[], ready: RegExp, timeoutMs = 60_000): Promise<Running> {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: this.dir, env: this.env });
    return Running.waitFor(child, ready, timeoutMs);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class Running {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static async waitFor(child: ChildProcess, ready: RegExp, timeoutMs: number): Promise<Running> {
    const running = new Running(child);
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void running.exited.then(() => (exited = true));
    while (!ready.test(running.stdout + running.stderr)) {
      if (exited || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`not ready (${ready}): stdout=${running.stdout} stderr=${running.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return running;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

function collect(child: ChildProcess, options: { input?: string; timeoutMs?: number }): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin!.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A loopback port nothing listens on now (the OS hands one out, then it is closed for a server to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}
