import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `amiwatch start` as a real process (the built CLI, dist/), for tests that kill it: resolves once
 * it prints its URL. Every node started here is killed when the test process exits.
 */
export interface AmiwatchNode {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop), and wait for the exit. */
  stop(): Promise<void>;
  /** What the process printed (last 8 KB). */
  output(): string;
}

const root = new URL('../../', import.meta.url).pathname;
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export function startAmiwatchNode(args: readonly string[]): Promise<AmiwatchNode> {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'start', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1' },
  });
  live.add(child);
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString()).slice(-8192);
  };
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (live.delete(child), resolve())));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`amiwatch did not start within 60 s:\n${out}`))), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      keep(c);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, kill: () => end('SIGKILL'), stop: () => end('SIGTERM'), output: () => out });
      }
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`amiwatch exited ${code}:\n${out}`))));
  });
}
