import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { AddPermissionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startApp, type App } from '../../src/server/app.js';
import { defaults } from '../../src/server/config.js';
import { delivered, type Transport } from '../../src/delivery/transport.js';

/**
 * bench/delivery: events through PutEvents to a rule whose target is
 *  1. baseline — a no-op transport (what the delivery path costs without a real target);
 *  2. an SQS queue, drained by 4 SDK consumers (ReceiveMessage 10 + DeleteMessageBatch);
 *  3. an SNS topic with an SQS subscription (raw), drained the same way;
 *  4. an SNS topic with an HTTP subscriber (node:http, signed JSON notifications);
 *  5. a Lambda function (Node.js, warm: `async () => {}`), asynchronous as EventBridge invokes it.
 * One process (server, load, consumers), durable SQLite file, 10 entries per PutEvents. Each target
 * runs closed loop for throughput: events delivered per second — to the no-op transport, into the
 * queue (deliveries settled, from the delivery feed), to the HTTP subscriber, or finished
 * invocations. Then the SQS and SNS → SQS targets run paced at half their measured rate with 4 SDK
 * consumers per queue: latency is PutEvents sent (each event carries its send time) → a consumer
 * has received the message.
 * `BENCH_SECONDS=5 CONNECTIONS=8 ONLY=sqs npm run bench:delivery`.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const AUTH =
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/events/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ACCOUNT = '000000000000';
const FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:bench`;

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

/** The send time an event carries, from the event JSON (or an SNS document or raw message holding it). */
const sentAt = (json: string): number => (JSON.parse(json) as { detail: { sentAt: number } }).detail.sentAt;

/**
 * PutEvents for SECONDS — closed loop (rate 0: throughput), or paced at `rate` events/s (latency
 * without a backlog) — then waits for every event to arrive; returns the figures.
 */
async function phase(app: App, source: string, sink: Sink, rate = 0, seconds = SECONDS) {
  sink.latencies = [];
  const url = new URL(app.url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const start = Date.now();
  let sent = 0;
  let seq = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() - start < seconds * 1000) {
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
  const pct = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
  return { sent, delivered: s.length, perSecond: s.length / ((sink.last - start) / 1000), p50: pct(50), p99: pct(99) };
}

/** 4 SDK consumers draining a queue into a sink, until stopped. */
function consume(sqs: SQSClient, QueueUrl: string, sink: Sink, body: (text: string) => string): { stop(): Promise<void> } {
  let consuming = true;
  const loops = Array.from({ length: 4 }, async () => {
    while (consuming) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (!r.Messages) continue;
      for (const m of r.Messages) sink.got(sentAt(body(m.Body!)));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  });
  return {
    stop: async () => {
      consuming = false;
      await Promise.all(loops);
    },
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'amiwatch-bench-delivery-'));
  const baseline = new Sink();
  const noop: Transport = {
    async deliver(r) {
      baseline.got(sentAt(r.payload));
      return delivered;
    },
  };
  const app = await startApp({
    config: { ...defaults, port: 0, dataDir: dir, inMemory: false },
    // The no-op target is a kinesis stream: a service amiwatch has no transport of its own for.
    transports: { kinesis: noop },
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
  const allowEvents = (action: string, Resource: string) =>
    JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: action, Resource }] });

  // HTTP subscriber: confirms, then records each notification's latency.
  const http = new Sink();
  const subscriber = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const doc = JSON.parse(body) as { Type: string; SubscribeURL?: string; Message: string };
      if (doc.Type === 'SubscriptionConfirmation') void fetch(doc.SubscribeURL!);
      else http.got(sentAt(doc.Message));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => subscriber.listen(0, '127.0.0.1', r));
  const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:bench`;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: 'bench', Attributes: { Policy: allowEvents('sqs:SendMessage', queueArn) } }),
  );
  const { QueueUrl: fanQueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-sns' }));
  const topics: Record<string, string> = {};
  for (const name of ['bench-http', 'bench-sqs']) {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: allowEvents('sns:Publish', TopicArn!) }),
    );
    topics[name] = TopicArn!;
  }
  await sns.send(
    new SubscribeCommand({
      TopicArn: topics['bench-http'],
      Protocol: 'http',
      Endpoint: `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/`,
    }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topics['bench-sqs'],
      Protocol: 'sqs',
      Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:bench-sns`,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: fanQueueUrl, Attributes: { VisibilityTimeout: '30' } }));

  // The warm Node.js function, and the count of its finished invocations from the delivery feed.
  const zip = new AdmZip();
  zip.addFile('index.mjs', Buffer.from('export const handler = async () => {};'));
  await app.lambda.functions.createFunction(
    { accountId: ACCOUNT, region: 'us-east-1', requestId: 'bench' },
    {
      FunctionName: 'bench',
      Runtime: 'nodejs20.x',
      Role: `arn:aws:iam::${ACCOUNT}:role/bench`,
      Handler: 'index.handler',
      Code: { ZipFile: zip.toBuffer() },
    },
  );
  // Throughput phases count deliveries settled as delivered, from the delivery feed: into the queue
  // (the SQS target, and SNS → SQS, whose publish writes into the queue before it settles), or a
  // finished invocation (Lambda). The consumers' own cost stays out of those figures.
  const settled = new Map<string, Sink>();
  const counted = (arn: string) => {
    const sink = new Sink();
    settled.set(arn, sink);
    return sink;
  };
  const rule = (name: string) => `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`;
  const intoQueue = counted(rule('sqs'));
  const intoFan = counted(rule('sns-sqs'));
  const lambda = counted(FUNCTION);
  // Each event's send time by event id, from the feed of committed events: a delivery settled into
  // the queue at `at` was receivable from then on.
  const sentById = new Map<string, number>();
  app.events.feed.onEvents((events) => {
    for (const e of events) if (e.deliveries.some((d) => settled.has(d.ruleArn))) sentById.set(e.eventId, sentAt(e.body));
  });
  app.events.feed.onDelivery((d) => {
    const sink = d.status === 'delivered' ? settled.get(d.ruleArn) : undefined;
    if (!sink) return;
    const sent = sentById.get(d.eventId);
    sentById.delete(d.eventId);
    sink.last = Date.now();
    sink.latencies.push(sent === undefined ? Number.NaN : d.at - sent);
  });
  await new Promise((r) => setTimeout(r, 300));
  for (const [name, arn] of [
    ['noop', `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/noop`],
    ['sqs', queueArn],
    ['sns-sqs', topics['bench-sqs']!],
    ['sns-http', topics['bench-http']!],
    ['lambda', FUNCTION],
  ] as const) {
    await eb('PutRule', { Name: name, EventPattern: JSON.stringify({ source: [`bench.${name}`] }) });
    await eb('PutTargets', { Rule: name, Targets: [{ Id: 't', Arn: arn }] });
  }
  const lam = new LambdaClient({ endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  await lam.send(
    new AddPermissionCommand({
      FunctionName: 'bench',
      StatementId: 'events',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    }),
  );
  lam.destroy();

  const phases = [
    ['baseline (no-op target)', 'bench.noop', baseline],
    ['SQS target', 'bench.sqs', intoQueue],
    ['SNS → SQS (raw)', 'bench.sns-sqs', intoFan],
    ['SNS → signed HTTP', 'bench.sns-http', http],
    ['Lambda target (Node.js)', 'bench.lambda', lambda],
  ] as const;
  // ONLY=sqs (or noop, sns-sqs, sns-http, lambda) runs one target (for profiling).
  const chosen = phases.filter(([, source]) => !process.env.ONLY || source === `bench.${process.env.ONLY}`);
  const results: Record<string, Awaited<ReturnType<typeof phase>>> = {};
  // Warm-up (JIT, SQLite caches, the function's processes): every chosen target for a second, not counted.
  for (const [, source, sink] of chosen) await phase(app, source, sink, 0, 1);
  for (const [name, source, sink] of chosen) results[name] = await phase(app, source, sink);
  // Then at half the measured rate: PutEvents sent → the message is in the queue (receivable).
  const paced: Record<string, Awaited<ReturnType<typeof phase>> & { rate: number }> = {};
  for (const [name, source, sink] of chosen) {
    if (sink !== intoQueue && sink !== intoFan) continue;
    const rate = Math.max(10, Math.round(results[name]!.perSecond / 2 / 10) * 10);
    paced[name] = { ...(await phase(app, source, sink, rate)), rate };
  }
  // And what a reader sees: 4 SDK consumers (in this process) draining the SQS target's queue, at 200 events/s.
  const received = new Sink();
  if (results['SQS target']) {
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const consumers = consume(sqs, QueueUrl!, received, (b) => b);
    paced['SQS target, consumed'] = { ...(await phase(app, 'bench.sqs', received, 200)), rate: 200 };
    await consumers.stop();
  }
  sqs.destroy();
  sns.destroy();
  await app.close();
  subscriber.close();
  rmSync(dir, { recursive: true, force: true });
  const base = results['baseline (no-op target)']?.perSecond ?? Object.values(results)[0]!.perSecond;
  const ms = (v: number) => (Number.isNaN(v) ? '—' : `${v} ms`);
  console.log(
    `bench/delivery (${SECONDS} s of load per phase, ${CONNECTIONS} connections, 10 events per PutEvents, durable SQLite, one process)`,
  );
  for (const [k, r] of Object.entries(results)) {
    console.log(
      `  ${k.padEnd(28)} ${Math.round(r.perSecond).toLocaleString('en-US')} events/s delivered (${((r.perSecond / base) * 100).toFixed(0)}% of baseline), ${r.delivered}/${r.sent} delivered, PutEvents → received p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`,
    );
  }
  for (const [k, r] of Object.entries(paced))
    console.log(
      `  ${k.padEnd(28)} paced at ${r.rate} events/s${k.endsWith('consumed') ? '' : ' (half)'}: ${r.delivered}/${r.sent} delivered, PutEvents → receivable p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`,
    );
}

await main();
