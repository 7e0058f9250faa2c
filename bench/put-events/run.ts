import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startNatsCluster, startNatsServer, type NatsCluster } from '../../test/support/nats-server.js';

/**
 * bench/put-events: PutEvents through HTTP with 10-entry batches.
 *  1. bare node:http reading the same bodies: the ceiling on this machine, this run;
 *  2. amiwatch, durable (SQLite file, WAL), one rule matching every event with one target, so
 *     each event also writes a delivery row and is delivered while the load runs;
 *  3. amiwatch at half of (2)'s rate: ingestion → delivery latency;
 *  4. the same two phases on NATS JetStream (docs/scale-out.md): one node on one nats-server, then
 *     two nodes on a 3-server cluster with replicas 3 (the load spread over both nodes), each
 *     printed beside the SQLite node of this run, with the nats-servers' CPU per event.
 * Prints events/s, request latency p50/p99, the ratio to the ceiling, delivery latency.
 * `BENCH_MODES=sqlite,js1,js2x3` picks the amiwatch modes (default all three).
 * `BENCH_SECONDS=5 CONNECTIONS=32 npm run bench:put-events` (`NODE_FLAGS="..."` adds node flags to the servers).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const AUTH =
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/events/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000';

const bodies = Array.from({ length: 16 }, (_, b) =>
  Buffer.from(
    JSON.stringify({
      Entries: Array.from({ length: 10 }, (_, i) => ({
        Source: 'bench.app',
        DetailType: 'Order Created',
        Detail: JSON.stringify({
          orderId: `o-${b}-${i}`,
          customer: { id: `c-${i}`, tier: 'gold' },
          items: [
            { sku: 'sku-1', qty: 2 },
            { sku: 'sku-2', qty: 1 },
          ],
          total: 42.5,
        }),
        Resources: [`arn:aws:ec2:us-east-1::image/ami-${String(b * 10 + i).padStart(17, '0')}`],
      })),
    }),
  ),
);

function startServer(mode: 'bare' | 'amiwatch', dataDir?: string, natsUrl?: string): Promise<{ child: ChildProcess; url: string }> {
  // Compiled (`.js`) runs fork the compiled server; source runs go through tsx.
  const compiled = import.meta.url.endsWith('.js');
  const server = new URL(compiled ? './server.js' : './server.ts', import.meta.url).pathname;
  const child = fork(server, [mode, dataDir ?? '', ...(natsUrl ? [natsUrl] : [])], {
    execArgv: [...(process.env.NODE_FLAGS ? process.env.NODE_FLAGS.split(' ') : []), ...(compiled ? [] : ['--import', 'tsx'])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve) => child.once('message', (m: { ready: string }) => resolve({ child, url: m.ready })));
}

const ask = <T>(child: ChildProcess, cmd: string): Promise<T> =>
  new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send({ cmd });
  });

function post(agent: Agent, url: URL, path: string, body: Buffer, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': target,
          'x-amz-date': '20260101T000000Z',
          authorization: AUTH,
          'content-length': body.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(res.statusCode) : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Closed loop (rate 0) or paced at `rate` requests/s, connections spread over `bases`; returns requests/s and latencies. */
async function load(bases: string | string[], seconds: number, rate = 0) {
  const urls = (Array.isArray(bases) ? bases : [bases]).map((b) => new URL(b));
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  let sent = 0;
  const loop = async (c: number) => {
    for (let i = c; performance.now() < end; i += CONNECTIONS) {
      if (rate > 0) {
        const due = start + (sent++ * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const t0 = performance.now();
      await post(agent, urls[c % urls.length]!, '/', bodies[i % bodies.length]!, 'AWSEvents.PutEvents');
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => loop(c)));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  return { rps: latencies.length / elapsed, latencies };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

async function main() {
  const results: Record<string, string> = {};
  const bare = await startServer('bare');
  await load(bare.url, 1);
  const bareCpu0 = await ask<{ cpuMs: number }>(bare.child, 'cpu');
  const gen0 = process.cpuUsage();
  const b = await load(bare.url, SECONDS);
  const gen1 = process.cpuUsage(gen0);
  const bareCpu1 = await ask<{ cpuMs: number }>(bare.child, 'cpu');
  bare.child.kill();
  const perRequest = (cpuMs: number, rps: number) => `${fmt((cpuMs * 1000) / (rps * SECONDS))} µs`;
  results.bare = `${fmt(b.rps * 10)} events/s (${fmt(b.rps)} req/s), p50 ${fmt(pct(b.latencies, 50))} ms, p99 ${fmt(pct(b.latencies, 99))} ms`;
  // Where the ceiling comes from: the two processes' CPU per request (the load generator is usually the limit).
  results['bare CPU'] =
    `server ${perRequest(bareCpu1.cpuMs - bareCpu0.cpuMs, b.rps)} per request, load generator ${perRequest((gen1.user + gen1.system) / 1000, b.rps)} per request`;

  const modes = (process.env.BENCH_MODES ?? 'sqlite,js1,js2x3').split(',');
  if (modes.includes('sqlite')) Object.assign(results, await measure('sqlite', 1, null, b.rps));
  if (modes.includes('js1')) Object.assign(results, await measure('jetstream 1 node', 1, await startNatsServer(), b.rps));
  if (modes.includes('js2x3')) Object.assign(results, await measure('jetstream 2 nodes R3', 2, await startNatsCluster(), b.rps));
  console.log(`bench/put-events (${SECONDS} s per phase, ${CONNECTIONS} connections, 10 entries per request)`);
  for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(42)} ${v}`);
}

/** CPU time (ms) of a process so far, from /proc (nats-server is not ours to ask). */
function procCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 100 Hz ticks
}

/**
 * One amiwatch configuration: `nodes` servers (SQLite when `nats` is null, else nodes on that
 * cluster), one rule and target, full load then half load. Returns the printed lines.
 */
async function measure(label: string, count: number, nats: NatsCluster | null, bareRps: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const dir = mkdtempSync(join(tmpdir(), 'amiwatch-bench-'));
  const nodes: { child: ChildProcess; url: string }[] = [];
  for (let i = 0; i < count; i++) nodes.push(await startServer('amiwatch', join(dir, `n${i}`), nats?.url));
  const urls = nodes.map((n) => n.url);
  const natsPids = nats ? nats.nodes.map((n) => n.process!.pid!) : [];
  const all = <T>(cmd: string) => Promise.all(nodes.map((n) => ask<T>(n.child, cmd)));
  const cpu = async () => (await all<{ cpuMs: number }>('cpu')).reduce((s, c) => s + c.cpuMs, 0);
  const natsCpu = () => natsPids.reduce((s, pid) => s + procCpuMs(pid), 0);
  const admin = (op: string, body: unknown) =>
    post(new Agent(), new URL(urls[0]!), '/', Buffer.from(JSON.stringify(body)), `AWSEvents.${op}`);
  await admin('PutRule', { Name: 'orders', EventPattern: '{"source":["bench.app"],"detail":{"customer":{"tier":["gold"]}}}' });
  await admin('PutTargets', { Rule: 'orders', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:orders' }] });
  await new Promise((r) => setTimeout(r, 300)); // the rule reaches the other node
  await load(urls, 1);
  await all('latencies');
  const [cpu0, nats0] = [await cpu(), natsCpu()];
  const a = await load(urls, SECONDS);
  const [cpu1, nats1] = [await cpu(), natsCpu()];
  const full = (await all<{ latencies: number[] }>('latencies')).flatMap((l) => l.latencies);
  const events = a.rps * 10 * SECONDS;
  const perEvent = (ms: number) => (ms * 1000) / events;
  out[label] =
    `${fmt(a.rps * 10)} events/s (${fmt(a.rps)} req/s), p50 ${fmt(pct(a.latencies, 50))} ms, p99 ${fmt(pct(a.latencies, 99))} ms, ${((a.rps / bareRps) * 100).toFixed(1)}% of bare`;
  out[`${label}: amiwatch CPU`] =
    `${perEvent(cpu1 - cpu0).toFixed(1)} µs per event (ingest + delivery, all nodes), ${fmt(1e6 / perEvent(cpu1 - cpu0))} events per CPU-second`;
  if (nats) out[`${label}: nats-server CPU`] = `${perEvent(nats1 - nats0).toFixed(1)} µs per event (all servers)`;
  out[`${label}: delivery, full load`] =
    `${full.length} delivered during the run, ingestion→delivery p50 ${fmt(pct(full, 50))} ms, p99 ${fmt(pct(full, 99))} ms`;
  // Let the backlog drain (up to 60 s), then half load.
  for (let i = 0; i < 600; i++) {
    const [first] = await all<{ counts: { pending: number } }>('counts');
    if (first!.counts.pending === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await all('latencies');
  const h = await load(urls, SECONDS, a.rps / 2);
  await new Promise((r) => setTimeout(r, 500));
  const half = (await all<{ latencies: number[] }>('latencies')).flatMap((l) => l.latencies);
  out[`${label}: half load`] =
    `${fmt(h.rps * 10)} events/s offered, request p50 ${fmt(pct(h.latencies, 50))} ms, p99 ${fmt(pct(h.latencies, 99))} ms; ingestion→delivery p50 ${fmt(pct(half, 50))} ms, p99 ${fmt(pct(half, 99))} ms (${half.length} deliveries)`;
  for (const n of nodes) n.child.kill();
  await Promise.all(nodes.map((n) => new Promise((r) => (n.child.exitCode !== null ? r(null) : n.child.once('exit', r)))));
  await nats?.close();
  rmSync(dir, { recursive: true, force: true });
  return out;
}

await main();
