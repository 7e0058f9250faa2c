import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { JetStreamConnection } from '../../src/storage/jetstream/connection.js';
import { JetStreamStore } from '../../src/storage/jetstream/jetstream-store.js';
import { startAmiwatchNode, type AmiwatchNode } from '../support/amiwatch-node.js';
import { startNatsCluster, type NatsCluster } from '../support/nats-server.js';

/**
 * Real processes: a 3-server JetStream cluster (replicas 3) and two amiwatch nodes. Clients spread
 * PutEvents over the nodes and retry on the other node when one fails. Each event matches a rule
 * whose target is another bus (`sink`), so "delivered" is visible as the event on the sink bus.
 * Sizes are small (a few seconds of load) so the file stays in `npm test`; the figures are printed.
 */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-failures-'));
let cluster: NatsCluster | undefined;
const nodes: AmiwatchNode[] = [];
const everyNode: AmiwatchNode[] = [];
let failed = false;
after(async () => {
  // What the nodes said, when the test failed: a node that died or stalled explains itself here.
  if (failed) for (const n of everyNode) console.log(`# node ${n.url} said:\n${n.output().replace(/^/gm, '#   ')}`);
  for (const n of nodes) await n.kill();
  await cluster?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ACK_WAIT = '3s';
const client = (url: string) =>
  new EventBridgeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function node(name: string): Promise<AmiwatchNode> {
  const n = await startAmiwatchNode([
    '--port',
    '0',
    '--data-dir',
    join(dir, name),
    '--nats-url',
    cluster!.url,
    '--nats-ack-wait',
    ACK_WAIT,
  ]);
  nodes.push(n);
  everyNode.push(n);
  return n;
}

interface Load {
  acked: Set<string>;
  failures: number;
  stop(): Promise<void>;
}

/** Workers put 5 events per call on the nodes in turn; a failed call is retried on the next node (new events, as a client would). */
function load(urls: () => string[], workers = 3): Load {
  const acked = new Set<string>();
  const result = { acked, failures: 0, stop: async () => {} };
  let running = true;
  const run = async (w: number) => {
    for (let i = 0; running; i++) {
      const list = urls();
      const Entries = Array.from({ length: 5 }, (_, k) => ({
        Source: 'failure.test',
        DetailType: 'load',
        Detail: JSON.stringify({ w, i, k }),
      }));
      for (let attempt = 0; attempt < list.length * 3 && running; attempt++) {
        const eb = client(list[(i + attempt) % list.length]!);
        try {
          const res = await eb.send(new PutEventsCommand({ Entries }), { abortSignal: AbortSignal.timeout(15_000) });
          for (const e of res.Entries ?? []) if (e.EventId) acked.add(e.EventId);
          break;
        } catch {
          result.failures++;
          await sleep(100);
        } finally {
          eb.destroy();
        }
      }
    }
  };
  const all = Promise.all(Array.from({ length: workers }, (_, w) => run(w)));
  result.stop = async () => {
    running = false;
    await all;
  };
  return result;
}

/** The events on the sink bus by original id (EventBridge keeps the id when it forwards to a bus). */
async function sinkIds(store: JetStreamStore): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const events = await store.readEvents({ busArn: 'arn:aws:events:us-east-1:000000000000:event-bus/sink', limit: 1_000_000 });
  for (const e of events) {
    const id = (JSON.parse(e.body) as { id: string }).id;
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return seen;
}

async function allDelivered(store: JetStreamStore, acked: Set<string>, ms: number): Promise<{ missing: number; duplicates: number }> {
  const until = Date.now() + ms;
  for (;;) {
    // While a server is down, a read may fail after its retries: that is not a lost event, look again.
    const seen = await sinkIds(store).catch((err: Error) => {
      if (Date.now() > until) throw err;
      return null;
    });
    if (!seen) {
      await sleep(500);
      continue;
    }
    const missing = [...acked].filter((id) => !seen.has(id)).length;
    const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
    if (missing === 0 || Date.now() > until) {
      if (missing > 0) {
        const lost = new Set([...acked].filter((id) => !seen.has(id)));
        const all = await store.readEvents({ busArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default', limit: 1_000_000 });
        const found = all.filter((e) => lost.has(e.eventId));
        console.log(
          `# lost: ${lost.size}; in the log: ${found.length}; deliveries: ${JSON.stringify(found.slice(0, 3).map((e) => [e.seq, e.deliveries]))}`,
        );
        console.log('# counts', JSON.stringify(await store.countDeliveries()), JSON.stringify(await store.clusterHealth()));
      }
      return { missing, duplicates };
    }
    await sleep(500);
  }
}

test('a cluster of 3 nats-servers and 2 nodes: kill -9 a node, kill -9 a server, restart everything', { timeout: 170_000 }, () =>
  scenario().catch((err: unknown) => {
    failed = true;
    throw err;
  }),
);

async function scenario(): Promise<void> {
  cluster = await startNatsCluster();
  const a = await node('a');
  let b = await node('b');
  const eb = client(a.url);
  await eb.send(new CreateEventBusCommand({ Name: 'sink' }));
  await eb.send(new PutRuleCommand({ Name: 'to-sink', EventPattern: '{"source":["failure.test"]}' }));
  await eb.send(
    new PutTargetsCommand({ Rule: 'to-sink', Targets: [{ Id: 'sink', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/sink' }] }),
  );
  const onB = client(b.url);
  for (let i = 0; i < 100 && ((await onB.send(new ListTargetsByRuleCommand({ Rule: 'to-sink' }))).Targets ?? []).length === 0; i++)
    await sleep(50);
  onB.destroy();

  const observer = await reopenObserver();
  try {
    // 1. kill -9 a node under load.
    let live = [a.url, b.url];
    const first = load(() => live);
    await sleep(1_500);
    await b.kill();
    live = [a.url, b.url]; // clients still try b, fail, and go to a
    await sleep(1_500);
    await first.stop();
    const r1 = await allDelivered(observer, first.acked, 30_000);
    console.log(
      `# kill -9 node: ${first.acked.size} acknowledged, lost ${r1.missing}, duplicates ${r1.duplicates}, failed calls retried ${first.failures}`,
    );
    assert.equal(r1.missing, 0, 'every acknowledged event delivered');

    // 2. kill -9 one nats-server under load (a new node b beside a).
    b = await node('b2');
    live = [a.url, b.url];
    const second = load(() => live);
    await sleep(1_000);
    await cluster.nodes[0]!.kill();
    await sleep(2_500);
    await second.stop();
    const r2 = await allDelivered(observer, second.acked, 30_000);
    console.log(
      `# kill -9 nats-server: ${second.acked.size} acknowledged, lost ${r2.missing}, duplicates ${r2.duplicates}, failed calls retried ${second.failures}`,
    );
    assert.ok(second.acked.size > 0, 'the service went on');
    assert.equal(r2.missing, 0);
    await cluster.nodes[0]!.start();
  } finally {
    await observer.close();
  }

  // 3. Stop everything, start it again: the rule, the history and the queue are back.
  // Events a client sent but never saw acknowledged (in flight at a kill) may still be delivered:
  // the count to compare with is taken once nothing is pending any more.
  for (let i = 0; i < 60; i++) {
    // (While the restarted server's streams elect their leaders, status may answer without counts.)
    const pending = ((await (await fetch(`${a.url}/_amiwatch/status`)).json()) as { deliveries?: { pending: number } }).deliveries?.pending;
    if (pending === 0) break;
    await sleep(500);
  }
  const counting = await reopenObserver();
  const before = { events: (await sinkIds(counting)).size };
  await counting.close();
  for (const n of nodes.splice(0)) await n.stop();
  for (const s of cluster.nodes) await s.stop();
  await Promise.all(cluster.nodes.map((s) => s.start()));
  const c = await node('c');
  const ebc = client(c.url);
  const rules = await ebc.send(new ListRulesCommand({}));
  assert.deepEqual(
    rules.Rules?.map((r) => r.Name),
    ['to-sink'],
  );
  ebc.destroy();
  type Status = { deliveries: { pending: number }; cluster: { jetstream: string; error?: string; nodes: string[] } };
  let status = (await (await fetch(`${c.url}/_amiwatch/status`)).json()) as Status;
  // Streams elect their leaders and catch up a moment after the servers answer: status says so meanwhile.
  for (let i = 0; i < 60 && status.cluster.jetstream !== 'ok'; i++) {
    await sleep(500);
    status = (await (await fetch(`${c.url}/_amiwatch/status`)).json()) as Status;
  }
  assert.equal(status.cluster.jetstream, 'ok', status.cluster.error);
  assert.equal(status.cluster.nodes.length, 1);
  assert.equal(status.deliveries.pending, 0);
  const observer2 = await reopenObserver();
  try {
    assert.equal((await sinkIds(observer2)).size, before.events, 'the history is back');
  } finally {
    await observer2.close();
  }
}

async function reopenObserver(): Promise<JetStreamStore> {
  // The same lease as the nodes': the ack wait is one setting of the cluster's consumer.
  return JetStreamStore.open(await JetStreamConnection.open({ url: cluster!.url, replicas: 3 }), { ownsConnection: true, leaseMs: 3_000 });
}
