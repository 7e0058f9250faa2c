import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * bench/startup: how long `amiwatch start` takes until `GET /_amiwatch/health` answers, and
 * how long SIGTERM takes to stop it (issue 3 promises startup under 2 s on this machine).
 *
 * Each round starts, in turn:
 *  1. baseline — `node` running a bare `node:http` server: the cost of starting any Node.js
 *     server on this machine at this moment;
 *  2. fresh — `amiwatch start` on an empty data dir (schema, signing key: a first start);
 *  3. restart — the same data dir again, now holding RULES rules with a target each;
 *  4. in-memory — `amiwatch start --in-memory`;
 *  5. embedded — a Node.js script calling the package entry's `startAmiwatch({ port })` (in
 *     memory), as a user's test file does: the entry loads the server only when it is called.
 * Rounds are interleaved so that a slow minute of this shared machine hits every kind alike;
 * the figures are medians over ROUNDS, and each kind's ratio to the baseline of its own round.
 * `npm run bench:startup` (`ROUNDS`, default 9; `RULES`, default 200).
 */
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const RULES = Number(process.env.RULES ?? 200);
const LIMIT_MS = 2000;
// Compiled to bench/.build/bench/startup/run.js: the repo root is four folders up.
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const cli = join(root, 'dist/cli/main.js');
const AUTH =
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/events/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0000';

/** A port nothing listens on now (the OS hands it out, then it is closed for the child to take). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Polls `url` every 5 ms until it answers 200; the time since `t0` in ms. */
async function readyAfter(url: string, t0: number, child: ChildProcess): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it was ready`);
    const ok = await new Promise<boolean>((res) => {
      const req = get(url, (r) => {
        r.resume();
        r.on('end', () => res(r.statusCode === 200));
      });
      req.on('error', () => res(false));
    });
    if (ok) return performance.now() - t0;
    if (performance.now() - t0 > 30_000) throw new Error(`${url} did not answer within 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** SIGTERM, then the time until the process has exited, and its exit code. */
async function stop(child: ChildProcess): Promise<{ ms: number; code: number | null }> {
  const t0 = performance.now();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const code = await exited;
  return { ms: performance.now() - t0, code };
}

interface Run {
  ready: number;
  stop: number;
  code: number | null;
}

async function start(args: string[], healthPath: string, port: number, after?: (url: string) => Promise<void>): Promise<Run> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const ready = await readyAfter(url + healthPath, t0, child);
  if (after) await after(url);
  const s = await stop(child);
  return { ready, stop: s.ms, code: s.code };
}

/** A bare node:http server on `port`, as a `node -e` script. */
const bare = (port: number) =>
  `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));`;

async function baseline(): Promise<Run> {
  const port = await freePort();
  return start(['-e', bare(port)], '/', port);
}

async function events(url: string, op: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSEvents.${op}`,
      authorization: AUTH,
      'x-amz-date': '20260101T000000Z',
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${op}: ${res.status} ${await res.text()}`);
}

/** RULES rules with a target each, so that a restart has state to load. */
async function populate(url: string): Promise<void> {
  for (let i = 0; i < RULES; i++) {
    const name = `rule-${i}`;
    await events(url, 'PutRule', {
      Name: name,
      EventPattern: JSON.stringify({
        source: ['aws.ec2'],
        'detail-type': ['EC2 AMI State Change'],
        detail: { ImageId: [`ami-${String(i).padStart(17, '0')}`] },
      }),
    });
    await events(url, 'PutTargets', { Rule: name, Targets: [{ Id: 't', Arn: `arn:aws:events:us-east-1:000000000000:event-bus/default` }] });
  }
}

async function amiwatch(dataDir: string | null, populateFirst: boolean): Promise<Run> {
  const port = await freePort();
  const args = [cli, 'start', '--port', String(port), ...(dataDir ? ['--data-dir', dataDir] : ['--in-memory'])];
  return start(args, '/_amiwatch/health', port, populateFirst ? populate : undefined);
}

/** `startAmiwatch` from the package entry (dist/index.js) in a script; SIGTERM closes it. */
async function embedded(): Promise<Run> {
  const port = await freePort();
  const entry = JSON.stringify(join(root, 'dist/index.js'));
  const script = `const { startAmiwatch } = await import(${entry}); const aw = await startAmiwatch({ port: ${port}, log: false }); process.once('SIGTERM', () => aw.close().then(() => process.exit(0)));`;
  return start(['--input-type=module', '-e', script], '/_amiwatch/health', port);
}

const kinds = ['baseline', 'fresh', 'restart', 'in-memory', 'embedded'] as const;
const runs: Record<(typeof kinds)[number], Run[]> = { baseline: [], fresh: [], restart: [], 'in-memory': [], embedded: [] };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`bench/startup (${ROUNDS} interleaved rounds; restart with ${RULES} rules stored)`);
for (let round = 0; round < ROUNDS; round++) {
  const dir = mkdtempSync(join(tmpdir(), 'amiwatch-startup-'));
  try {
    runs.baseline.push(await baseline());
    runs.fresh.push(await amiwatch(dir, true));
    runs.restart.push(await amiwatch(dir, false));
    runs['in-memory'].push(await amiwatch(null, false));
    runs.embedded.push(await embedded());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const base = runs.baseline.map((r) => r.ready);
let failures = 0;
for (const k of kinds) {
  const ready = runs[k].map((r) => r.ready);
  const ratio = median(ready.map((t, i) => t / base[i]!));
  const codes = [...new Set(runs[k].map((r) => r.code))].join(',');
  const over = k !== 'baseline' && median(ready) >= LIMIT_MS;
  if (over) failures++;
  console.log(
    `  ${k.padEnd(10)} ready p50 ${median(ready).toFixed(0).padStart(5)} ms (min ${Math.min(...ready).toFixed(0)}, max ${Math.max(...ready).toFixed(0)})` +
      `${k === 'baseline' ? '' : `, ${ratio.toFixed(2)}× baseline`}, SIGTERM → exit p50 ${median(runs[k].map((r) => r.stop)).toFixed(0)} ms, exit code ${codes}` +
      (k === 'baseline' ? '' : over ? `  ← over ${LIMIT_MS} ms` : `  (under ${LIMIT_MS} ms)`),
  );
}
if (failures > 0) process.exitCode = 1;
