import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateImageCommand, CreateSnapshotCommand, DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { snsClient, sqsClient, waitFor } from '../notify/helpers.js';
import { startNatsServer, type NatsCluster } from '../support/nats-server.js';
import { allowEventsToQueue } from '../support/target-policies.js';
import { runningInstance, snapshotOf } from '../support/ec2-instance.js';

/**
 * Two amiwatch nodes on one JetStream server form one amiwatch: what is written through one is
 * read through the other, an event put on one is delivered once, a long poll on one wakes for a
 * message that arrives through the other.
 */
let nats: NatsCluster;
let a: App;
let b: App;
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-two-nodes-'));

before(async () => {
  nats = await startNatsServer();
  const fast = { CreateImage: 300, CopyImage: 300, RegisterImage: 300, CreateRestoreImageTask: 300 };
  const node = (n: string) =>
    startTestServer({ inMemory: false, dataDir: join(dir, n), natsUrl: nats.url, natsReplicas: 1, amiDurations: fast });
  a = await node('a');
  b = await node('b');
});
after(async () => {
  await a?.close();
  await b?.close();
  await nats?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a rule written on one node routes an event put on the other into a queue created on the first, once', async () => {
  const { QueueUrl } = await sqsClient(a).send(new CreateQueueCommand({ QueueName: 'two-nodes' }));
  const { Attributes } = await sqsClient(a).send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const events = sdkClient(a);
  const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'to-queue', EventPattern: JSON.stringify({ source: ['two.nodes'] }) }));
  // EventBridge may send to the queue only as its policy allows (as on AWS).
  await allowEventsToQueue(sqsClient(a), QueueUrl!, RuleArn);
  await events.send(new PutTargetsCommand({ Rule: 'to-queue', Targets: [{ Id: 'q', Arn: Attributes!.QueueArn! }] }));
  await waitFor(
    () => (b.events.state.bus('000000000000', 'us-east-1', 'default')?.rules.get('to-queue')?.targetJson.length ? true : undefined),
    'the rule on node b',
  );

  // A long poll on node a, then the event through node b.
  const received = sqsClient(a).send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MaxNumberOfMessages: 10 }));
  const put = await sdkClient(b).send(new PutEventsCommand({ Entries: [{ Source: 'two.nodes', DetailType: 't', Detail: '{"n":1}' }] }));
  assert.equal(put.FailedEntryCount, 0);
  const { Messages } = await received;
  assert.equal(Messages?.length, 1);
  assert.equal(JSON.parse(Messages![0]!.Body!).detail.n, 1);
  const counts = await waitFor(async () => {
    const c = await a.store.countDeliveries();
    return c.delivered === 1 && c.pending === 0 ? c : undefined; // the outcome is recorded just before the ack
  }, 'the delivery settled');
  assert.deepEqual(counts, { pending: 0, delivered: 1, failed: 0 });
});

test('writes propagate to the other node (p99 measured)', async () => {
  const sns = snsClient(a);
  const delays: number[] = [];
  let before = 0;
  for (let i = 0; i < 40; i++) {
    // From the request's start (the commit's time is not visible from outside) to node b having it.
    const written = performance.now();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `propagation-${i}` }));
    if (b.notifications.sns.state.topics.has(TopicArn!)) before++;
    while (!b.notifications.sns.state.topics.has(TopicArn!)) {
      if (performance.now() - written > 5_000) throw new Error('the topic never reached node b');
      await new Promise((r) => setTimeout(r, 1));
    }
    delays.push(performance.now() - written);
  }
  delays.sort((x, y) => x - y);
  const p = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
  console.log(
    `propagation a → b (CreateTopic sent on a → topic in b's memory): p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms over ${delays.length} writes; ` +
      `${before} already on b when a's response arrived`,
  );
  assert.ok(p(0.99) < 1_000, `p99 ${p(0.99)} ms`);
});

test('health on either node shows the cluster: JetStream ok, both nodes with their URLs', async () => {
  for (const app of [a, b]) {
    const health = (await (await fetch(`${app.url}/_amiwatch/health`)).json()) as {
      cluster: { jetstream: string; nodes: string[]; lag: { waiting: number } };
    };
    assert.equal(health.cluster.jetstream, 'ok');
    assert.equal(health.cluster.nodes.length, 2);
    assert.ok(
      health.cluster.nodes.some((n) => n.endsWith(a.url)) && health.cluster.nodes.some((n) => n.endsWith(b.url)),
      JSON.stringify(health.cluster.nodes),
    );
    assert.equal(typeof health.cluster.lag.waiting, 'number');
  }
});

const ec2 = (app: App) =>
  new EC2Client({ endpoint: app.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

test('an image created through one node becomes available once: one AMI event in the cluster, seen on both nodes', async () => {
  const { ImageId } = await ec2(a).send(new CreateImageCommand({ InstanceId: await runningInstance(ec2(a)), Name: 'two-nodes-image' }));
  const state = () =>
    ec2(b)
      .send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))
      .then((r) => r.Images?.[0]?.State);
  await waitFor(async () => ((await state()) === 'available' ? true : undefined), 'the image available on node b');
  await new Promise((r) => setTimeout(r, 1_000)); // both lifecycles have had several ticks since
  const events = (await a.store.readEvents({ limit: 100 })).filter((e) => e.body.includes(ImageId!));
  const states = events.map((e) => (JSON.parse(e.body) as { detail: { State: string } }).detail.State).sort();
  assert.deepEqual(states, ['available'], 'one event for the one transition (CreateImage itself emits none)');
});

test('a snapshot created through one node completes once: one EBS Snapshot Notification in the cluster', async () => {
  const { volumeId } = await snapshotOf(ec2(a));
  const { SnapshotId } = await ec2(a).send(new CreateSnapshotCommand({ VolumeId: volumeId, Description: 'two nodes' }));
  const state = () =>
    ec2(b)
      .send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId!] }))
      .then((r) => r.Snapshots?.[0]?.State);
  await waitFor(async () => ((await state()) === 'completed' ? true : undefined), 'the snapshot completed on node b');
  await new Promise((r) => setTimeout(r, 1_000)); // both lifecycles have had several ticks since
  const events = (await a.store.readEvents({ limit: 200 })).filter((e) => e.body.includes(`snapshot/${SnapshotId}`));
  const results = events.map((e) => (JSON.parse(e.body) as { detail: { event: string; result: string } }).detail);
  assert.deepEqual(results, [{ ...results[0]!, event: 'createSnapshot', result: 'succeeded' }], 'one event for the one transition');
});
