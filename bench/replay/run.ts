import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../../src/server/app.js';
import { defaults, type Config } from '../../src/server/config.js';
import { delivered } from '../../src/delivery/transport.js';
import { SqliteArchiveStore } from '../../src/storage/sqlite/sqlite-archive-store.js';

/**
 * bench/replay: live PutEvents latency while a replay of ARCHIVED (default 100,000) events runs,
 * against the same load without a replay, in one run. amiwatch durable (SQLite file), one rule
 * matching live and replayed events with one (no-op) target, so the replay also fills the
 * delivery queue. The load: CONNECTIONS clients sending 10-entry PutEvents back to back. The
 * two phases are interleaved — ROUNDS pairs of ROUND_SECONDS without, then with the replay
 * running (the runner is paused in between, and the delivery backlog drained before a round
 * without) — so a slow minute of this shared machine hits both alike; percentiles are over
 * each phase's pooled samples, and the ratio is also given as the median of the per-pair ratios.
 * The load generator shares the process: ratios, not absolutes.
 * `ARCHIVED=100000 ROUNDS=6 ROUND_SECONDS=1.5 CONNECTIONS=8 npm run bench:replay` (REPLAY_BATCH, REPLAY_PAUSE,
 * REPLAY_IDLE override the runner's pacing).
 */
const ARCHIVED = Number(process.env.ARCHIVED ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const SECONDS = Number(process.env.ROUND_SECONDS ?? 1.5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const ACCOUNT = '000000000000';
const BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
const ARCHIVE = `arn:aws:events:us-east-1:${ACCOUNT}:archive/bench`;
const AUTH =
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/events/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000';

const body = Buffer.from(
  JSON.stringify({
    Entries: Array.from({ length: 10 }, (_, i) => ({
      Source: 'bench.live',
      DetailType: 'Order',
      Detail: JSON.stringify({ i, total: 42.5 }),
    })),
  }),
);

function call(url: URL, agent: Agent, target: string, payload: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSEvents.${target}`,
          authorization: AUTH,
          'x-amz-date': '20260101T000000Z',
          'content-length': payload.length,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function load(url: URL, agent: Agent): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await call(url, agent, 'PutEvents', body);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]!;

function seedArchive(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const store = new SqliteArchiveStore(db);
  const t0 = Date.UTC(2026, 0, 1);
  const rows = Array.from({ length: ARCHIVED }, (_, i) => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const time = new Date(t0 + i * 10).toISOString().replace(/\.\d+Z$/, 'Z');
    return {
      archiveArn: ARCHIVE,
      eventId: id,
      time: t0 + i * 10,
      archivedAt: t0,
      body: `{"version":"0","id":"${id}","detail-type":"Order","source":"bench.archived","account":"${ACCOUNT}","time":"${time}","region":"us-east-1","resources":[],"detail":{"i":${i}}}`,
    };
  });
  void store.append(rows);
  db.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'amiwatch-bench-replay-'));
  try {
    seedArchive(join(dir, 'amiwatch.db'));
    const config: Config = Object.freeze({ ...defaults, port: 0, dataDir: dir });
    const pacing = {
      ...(process.env.REPLAY_BATCH && { batchSize: Number(process.env.REPLAY_BATCH) }),
      ...(process.env.REPLAY_PAUSE && { pauseMs: Number(process.env.REPLAY_PAUSE) }),
      ...(process.env.REPLAY_IDLE && { idleRatio: Number(process.env.REPLAY_IDLE) }),
    };
    const app = await startApp({ config, log: () => {}, transports: { sqs: { deliver: async () => delivered } }, replayPacing: pacing });
    const url = new URL(app.url);
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const json = (o: object) => Buffer.from(JSON.stringify(o));
    await call(url, agent, 'CreateArchive', json({ ArchiveName: 'bench', EventSourceArn: BUS }));
    await call(url, agent, 'PutRule', json({ Name: 'all', EventPattern: '{"source":["bench.live","bench.archived"]}' }));
    await call(url, agent, 'PutTargets', json({ Rule: 'all', Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` }] }));
    await load(url, agent); // warm-up
    const without: number[][] = [];
    const during: number[][] = [];
    const runner = app.events.replayRunner;
    const drained = async () => {
      for (let i = 0; i < 100 && (await app.store.countDeliveries()).pending > 0; i++) await new Promise((r) => setTimeout(r, 50));
    };
    const started = performance.now();
    await call(
      url,
      agent,
      'StartReplay',
      json({
        ReplayName: 'bench',
        EventSourceArn: ARCHIVE,
        EventStartTime: 0,
        EventEndTime: Date.UTC(2027, 0, 1) / 1000,
        Destination: { Arn: BUS },
      }),
    );
    for (let r = 0; r < ROUNDS; r++) {
      await runner.stop();
      await drained();
      without.push(await load(url, agent));
      runner.start();
      during.push(await load(url, agent));
    }
    const replayedInRounds = app.events.replays.docs.values()[0]!.replayedCount;
    const describe = async () => JSON.parse(await call(url, agent, 'DescribeReplay', json({ ReplayName: 'bench' }))) as { State: string };
    while ((await describe()).State !== 'COMPLETED') await new Promise((r) => setTimeout(r, 100));
    const replaySeconds = (performance.now() - started) / 1000;
    const pooled = (rounds: number[][]) => rounds.flat().sort((a, b) => a - b);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const seconds = ROUNDS * SECONDS;
    const row = (name: string, s: number[]) =>
      console.log(
        `${name.padEnd(22)} ${String(Math.round((s.length * 10) / seconds)).padStart(7)} events/s  p50 ${pct(s, 50).toFixed(1).padStart(6)} ms  p99 ${pct(s, 99).toFixed(1).padStart(6)} ms`,
      );
    console.log(`bench/replay: ${ARCHIVED} archived events, ${CONNECTIONS} clients, ${ROUNDS} interleaved pairs of ${SECONDS} s`);
    row('live, no replay', pooled(without));
    row('live, during replay', pooled(during));
    const pairs = without.map((w, i) => pct(during[i]!, 99) / pct(w, 99));
    console.log(
      `p99 ratio (during / without): pooled ${(pct(pooled(during), 99) / pct(pooled(without), 99)).toFixed(2)}, median of pairs ${median(pairs).toFixed(2)} (${pairs.map((x) => x.toFixed(2)).join(' ')})`,
    );
    console.log(
      `p50 ratio: ${(pct(pooled(during), 50) / pct(pooled(without), 50)).toFixed(2)}   throughput ratio: ${(pooled(during).length / pooled(without).length).toFixed(2)}`,
    );
    console.log(
      `replay: ${replayedInRounds} events replayed during the ${seconds} s with it; all ${ARCHIVED} in ${replaySeconds.toFixed(1)} s (${Math.round(ARCHIVED / replaySeconds)} events/s overall, live load only half of that time)`,
    );
    agent.destroy();
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
