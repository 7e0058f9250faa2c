import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real nats-server processes for tests and benchmarks (Debian's `nats-server` 2.9, installed by
 * scripts/install-system-deps.sh): a single JetStream server, or a 3-server cluster, each on
 * 127.0.0.1 with free ports and its own temporary store directory. Every process started here is
 * killed when the test process exits, whatever happens to the test.
 */

export const NATS_SERVER_BIN = '/usr/sbin/nats-server';

export interface NatsNode {
  readonly name: string;
  readonly port: number;
  readonly clusterPort: number | null;
  readonly url: string;
  readonly storeDir: string;
  process: ChildProcess | null;
  /** Starts the process again on the same ports and store (after stop or kill). */
  start(): Promise<void>;
  /** SIGTERM and wait (a clean shutdown). */
  stop(): Promise<void>;
  /** SIGKILL and wait: what a crash looks like. */
  kill(): Promise<void>;
}

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every server's client URL, comma-separated: what `--nats-url` takes. */
  readonly url: string;
  /** Stops every server and removes the store directories. */
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** A TCP port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode} before listening on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = tcpConnect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nats-server did not listen on ${port} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function node(name: string, port: number, storeDir: string, cluster: { port: number; routes: number[] } | null): NatsNode {
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, '--server_name', name];
  if (cluster) {
    args.push('--cluster', `nats://127.0.0.1:${cluster.port}`, '--cluster_name', 'amiwatch-test');
    args.push('--routes', cluster.routes.map((p) => `nats://127.0.0.1:${p}`).join(','));
  }
  const n: NatsNode = {
    name,
    port,
    clusterPort: cluster?.port ?? null,
    url: `nats://127.0.0.1:${port}`,
    storeDir,
    process: null,
    async start() {
      const child = spawn(NATS_SERVER_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let log = '';
      child.stderr!.on('data', (b: Buffer) => {
        log = (log + b.toString()).slice(-4000);
      });
      live.add(child);
      child.once('exit', () => live.delete(child));
      n.process = child;
      try {
        await waitForPort(port, child, 10_000);
      } catch (err) {
        child.kill('SIGKILL');
        throw new Error(`${(err as Error).message}\n${log}`);
      }
    },
    stop: () => end(n, 'SIGTERM'),
    kill: () => end(n, 'SIGKILL'),
  };
  return n;
}

async function end(n: NatsNode, signal: NodeJS.Signals): Promise<void> {
  const p = n.process;
  n.process = null;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill(signal);
  const force = setTimeout(() => p.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(force);
}

async function assemble(count: number): Promise<NatsCluster> {
  const root = mkdtempSync(join(tmpdir(), 'amiwatch-nats-'));
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const clusterPorts = count > 1 ? await Promise.all(Array.from({ length: count }, () => freePort())) : [];
  const nodes = ports.map((port, i) =>
    node(
      `n${i + 1}`,
      port,
      join(root, `n${i + 1}`),
      count > 1 ? { port: clusterPorts[i]!, routes: clusterPorts.filter((_, j) => j !== i) } : null,
    ),
  );
  const cluster: NatsCluster = {
    nodes,
    url: nodes.map((n) => n.url).join(','),
    async close() {
      await Promise.all(nodes.map((n) => n.stop()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((n) => n.start()));
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

/** One JetStream server on a free port. */
export const startNatsServer = (): Promise<NatsCluster> => assemble(1);

/**
 * Three JetStream servers routed to each other (one cluster, JetStream meta group of 3). Clients
 * should wait for JetStream to answer (`waitForJetStream`) before creating R3 streams: the meta
 * leader is elected a moment after the servers listen.
 */
export const startNatsCluster = (): Promise<NatsCluster> => assemble(3);

/**
 * For contract test files: one nats-server for the file (started in `before`, stopped in
 * `after`), and connections under fresh or shared prefixes, all closed at the end.
 */
export function natsForTests(hooks: { before: (fn: () => Promise<void>) => void; after: (fn: () => Promise<void>) => void }) {
  let server: NatsCluster | undefined;
  const connections: { close(): Promise<void> }[] = [];
  let prefixes = 0;
  hooks.before(async () => {
    server = await startNatsServer();
  });
  hooks.after(async () => {
    for (const c of connections) await c.close();
    await server?.close();
  });
  return {
    url: () => server!.url,
    /** A new prefix: a separate set of streams and buckets on the same server. */
    prefix: (tag: string) => `${tag}${process.pid}x${++prefixes}`,
    /** Keeps `c` to close after the file. */
    track: <T extends { close(): Promise<void> }>(c: T): T => (connections.push(c), c),
  };
}
