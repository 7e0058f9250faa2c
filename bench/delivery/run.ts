import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startApp, type App } from '../../src/server/app.js';
import { defaults } from '../../src/server/config.js';
import { delivered, type Transport } from '../../src/delivery/transport.js';

/**
 * bench/delivery: events through PutEvents to a rule whose target is
 *  1. baseline — a no-op transport (what the delivery path costs without a real target);
 *  2. an SQS queue, drained by 4 SDK consumers (ReceiveMessage 10 + DeleteMessageBatch);
 *  3. an SNS topic with an HTTP subscriber (node:http, signed JSON notifications).
 * One process (server, load, consumers), durable SQLite file, 10 entries per PutEvents. Each event
 * carries its send time; latency is PutEvents sent → the consumer/subscriber has it.
 * Each target is run twice: closed loop (throughput; latency then includes the backlog) and paced
 * at PACED events/s (latency of the path itself).
 * `BENCH_SECONDS=5 CONNECTIONS=8 PACED=200 npm run bench:delivery`.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const AUTH =
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/events/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000';
/** The paced phases' rate: well under every path's capacity, so latency is the path's, not a queue's. */
const PACED = Number(process.env.PACED ?? 200);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function putEvents(agent: Agent, url: URL, source: string, seq: number): Promise<void> {
  const now = Date.now();
  const body = Buffer.from(
    JSON.stringify({
      Entries: Array.from({ length: 10 }, (_, i) => ({
        Source: source,
        DetailType: 'Bench',
        Detail: JSON.stringify({ n: seq * 10 + i, sentAt: now, pad: 'x'.repeat(200) }),
      })),
    }),
  );
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSEvents.PutEvents',
          'x-amz-date': '20260101T000000Z',
          authorization: AUTH,
          'content-length': body.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

class Sink {
  latencies: number[] = [];
  last = 0;
  got(sentAt: number): void {
    this.last = Date.now();
    this.latencies.push(this.last - sentAt);
  }
}

/**
 * PutEvents for SECONDS — closed loop (rate 0: throughput), or paced at `rate` events/s (latency
 * without a backlog) — then waits for every event to arrive; returns the figures.
 */
async function phase(app: App, source: string, sink: Sink, rate = 0) {
  sink.latencies = [];
  const url = new URL(app.url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const start = Date.now();
  let sent = 0;
  let seq = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() - start < SECONDS * 1000) {
        const mine = seq++;
        if (rate > 0) {
          const wait = start + (mine * 10 * 1000) / rate - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        await putEvents(agent, url, source, mine);
        sent += 10;
      }
    }),
  );
  const deadline = Date.now() + 120_000;
  while (sink.latencies.length < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  agent.destroy();
  const s = [...sink.latencies].sort((a, b) => a - b);
  const pct = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { sent, delivered: s.length, perSecond: s.length / ((sink.last - start) / 1000), p50: pct(50), p99: pct(99) };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'amiwatch-bench-delivery-'));
  const baseline = new Sink();
  const noop: Transport = {
    async deliver(r) {
      baseline.got((JSON.parse(r.payload) as { detail: { sentAt: number } }).detail.sentAt);
      return delivered;
    },
  };
  const app = await startApp({
    config: { ...defaults, port: 0, dataDir: dir, inMemory: false },
    transports: { lambda: noop },
    log: () => {},
  });
  const sqs = new SQSClient({ endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const sns = new SNSClient({ endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const eb = async (op: string, body: unknown) => {
    const res = await fetch(`${app.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSEvents.${op}`,
        'x-amz-date': '20260101T000000Z',
        authorization: AUTH,
      },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`${op}: ${await res.text()}`);
  };

  // HTTP subscriber: confirms, then records each notification's latency.
  const http = new Sink();
  const subscriber = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const doc = JSON.parse(body) as { Type: string; SubscribeURL?: string; Message: string };
      if (doc.Type === 'SubscriptionConfirmation') void fetch(doc.SubscribeURL!);
      else http.got((JSON.parse(doc.Message) as { detail: { sentAt: number } }).detail.sentAt);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => subscriber.listen(0, '127.0.0.1', r));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench' }));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench' }));
  await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/` }),
  );
  await new Promise((r) => setTimeout(r, 300));
  for (const [name, arn] of [
    ['noop', 'arn:aws:lambda:us-east-1:000000000000:function:noop'],
    ['sqs', 'arn:aws:sqs:us-east-1:000000000000:bench'],
    ['sns', TopicArn!],
  ] as const) {
    await eb('PutRule', { Name: name, EventPattern: JSON.stringify({ source: [`bench.${name}`] }) });
    await eb('PutTargets', { Rule: name, Targets: [{ Id: 't', Arn: arn }] });
  }

  // SQS consumers run throughout; they only see events of the sqs phase.
  const queue = new Sink();
  let consuming = true;
  const consumers = Array.from({ length: 4 }, async () => {
    while (consuming) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (!r.Messages) continue;
      for (const m of r.Messages) queue.got((JSON.parse(m.Body!) as { detail: { sentAt: number } }).detail.sentAt);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  });

  const phases = [
    ['baseline (no-op target)', 'bench.noop', baseline],
    ['SQS queue + consumers', 'bench.sqs', queue],
    ['SNS → HTTP subscriber', 'bench.sns', http],
  ] as const;
  // ONLY=sns (or noop, sqs) runs one target (for profiling); the baseline figure is then that target's.
  const chosen = phases.filter(([, source]) => !process.env.ONLY || source === `bench.${process.env.ONLY}`);
  const results: Record<string, Awaited<ReturnType<typeof phase>>> = {};
  for (const [name, source, sink] of chosen) results[name] = await phase(app, source, sink);
  const paced: typeof results = {};
  for (const [name, source, sink] of chosen) paced[name] = await phase(app, source, sink, PACED);
  consuming = false;
  await Promise.all(consumers);
  sqs.destroy();
  sns.destroy();
  await app.close();
  subscriber.close();
  rmSync(dir, { recursive: true, force: true });
  const base = Object.values(results)[0]!.perSecond;
  console.log(
    `bench/delivery (${SECONDS} s of load per phase, ${CONNECTIONS} connections, 10 events per PutEvents, durable SQLite, one process)`,
  );
  for (const [k, r] of Object.entries(results)) {
    console.log(
      `  ${k.padEnd(26)} ${Math.round(r.perSecond).toLocaleString('en-US')} events/s delivered (${((r.perSecond / base) * 100).toFixed(0)}% of baseline), ${r.delivered}/${r.sent} delivered, PutEvents → received p50 ${r.p50} ms, p99 ${r.p99} ms (at saturation)`,
    );
  }
  console.log(`  paced at ${PACED} events/s:`);
  for (const [k, r] of Object.entries(paced))
    console.log(`  ${k.padEnd(26)} ${r.delivered}/${r.sent} delivered, PutEvents → received p50 ${r.p50} ms, p99 ${r.p99} ms`);
}

await main();
