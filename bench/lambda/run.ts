import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import AdmZip from 'adm-zip';
import { startApp } from '../../src/server/app.js';
import { defaults } from '../../src/server/config.js';

/**
 * bench/lambda: a trivial warm function (`async (e) => e`), invoked over and over.
 *  1. baseline — a bare child-process round trip: a Node.js child echoing IPC messages, the
 *     floor of any process-per-function design on this machine, this run;
 *  2. runner — amiwatch's Invocations → ProcessRunner → function process (no HTTP), for the
 *     Node.js function and for the same function in Python (`def handler(event, context): return event`);
 *  3. Invoke API — the same through HTTP (REST-JSON Invoke, RequestResponse), as the SDK calls it.
 * Each at 1 call in flight (latency) and 4 (throughput: 4 warm processes on 2 cores).
 * `BENCH_SECONDS=3 npm run bench:lambda`.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const AUTH =
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0000';
const PAYLOAD = Buffer.from(
  JSON.stringify({
    source: 'aws.ec2',
    'detail-type': 'EC2 AMI State Change',
    detail: { ImageId: 'ami-0123456789abcdef0', State: 'available' },
  }),
);

interface Stats {
  rate: number;
  p50: number;
  p99: number;
}

/** Runs `call` with `inFlight` concurrent loops for SECONDS; per-call latency in ms. */
async function measure(inFlight: number, call: (lane: number) => Promise<void>): Promise<Stats> {
  for (let i = 0; i < 50; i++) await Promise.all(Array.from({ length: inFlight }, (_, lane) => call(lane)));
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      while (performance.now() < end) {
        const t = performance.now();
        await call(lane);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rate: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

function echoChild(): ChildProcess {
  return spawn(process.execPath, ['-e', "process.on('message', (m) => process.send({ t: 'done', id: m.id, result: m.payload }))"], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });
}

function roundTrip(child: ChildProcess, id: number): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: { id: number }) => {
      if (m.id !== id) return;
      child.off('message', on);
      resolve();
    };
    child.on('message', on);
    child.send({ t: 'invoke', id, payload: PAYLOAD.toString() });
  });
}

function invokeHttp(agent: Agent, url: URL): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/2015-03-31/functions/echo/invocations',
        headers: {
          'content-type': 'application/json',
          'x-amz-date': '20260101T000000Z',
          authorization: AUTH,
          'content-length': PAYLOAD.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 && !res.headers['x-amz-function-error'] ? resolve() : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(PAYLOAD);
  });
}

const fmt = (s: Stats) =>
  `${Math.round(s.rate).toLocaleString('en-US')} invocations/s, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms`;

async function main(): Promise<void> {
  const results: Record<string, Stats> = {};
  const children = Array.from({ length: 4 }, echoChild);
  let seq = 0;
  results['baseline x1'] = await measure(1, () => roundTrip(children[0]!, seq++));
  results['baseline x4'] = await measure(4, (lane) => roundTrip(children[lane]!, seq++));
  for (const c of children) c.kill();

  const app = await startApp({ config: Object.freeze({ ...defaults, port: 0, inMemory: true }), log: () => {} });
  try {
    const zip = new AdmZip();
    zip.addFile('index.mjs', Buffer.from('export const handler = async (event) => event;'));
    await app.lambda.functions.createFunction(
      { accountId: '000000000000', region: 'us-east-1', requestId: 'bench' },
      {
        FunctionName: 'echo',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/bench',
        Handler: 'index.handler',
        Code: { ZipFile: zip.toBuffer() },
      },
    );
    const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'bench' };
    const direct = async () => {
      const out = await app.lambda.invocations.invoke(ctx, { functionName: 'echo', payload: PAYLOAD });
      if (out.functionError) throw new Error(out.payload);
    };
    results['runner x1'] = await measure(1, direct);
    results['runner x4'] = await measure(4, direct);
    const py = new AdmZip();
    py.addFile('lambda_function.py', Buffer.from('def handler(event, context):\n    return event\n'));
    await app.lambda.functions.createFunction(ctx, {
      FunctionName: 'echo-py',
      Runtime: 'python3.11',
      Role: 'arn:aws:iam::000000000000:role/bench',
      Handler: 'lambda_function.handler',
      Code: { ZipFile: py.toBuffer() },
    });
    const python = async () => {
      const out = await app.lambda.invocations.invoke(ctx, { functionName: 'echo-py', payload: PAYLOAD });
      if (out.functionError) throw new Error(out.payload);
    };
    results['python x1'] = await measure(1, python);
    results['python x4'] = await measure(4, python);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const url = new URL(app.url);
    results['Invoke API x1'] = await measure(1, () => invokeHttp(agent, url));
    results['Invoke API x4'] = await measure(4, () => invokeHttp(agent, url));
    agent.destroy();
  } finally {
    await app.close();
  }
  for (const [name, s] of Object.entries(results)) console.log(`${name.padEnd(14)} ${fmt(s)}`);
  const ratio = (a: string, b: string) => `${((results[a]!.rate / results[b]!.rate) * 100).toFixed(0)}%`;
  console.log(`runner / baseline: ${ratio('runner x1', 'baseline x1')} (x1), ${ratio('runner x4', 'baseline x4')} (x4)`);
  console.log(
    `python runner / baseline: ${ratio('python x1', 'baseline x1')} (x1), ${ratio('python x4', 'baseline x4')} (x4); python / node runner: ${ratio('python x1', 'runner x1')} (x1)`,
  );
  console.log(`Invoke API / baseline: ${ratio('Invoke API x1', 'baseline x1')} (x1), ${ratio('Invoke API x4', 'baseline x4')} (x4)`);
}

await main();
