import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServerProcess } from '../support/server-process.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startMailCatcher } from '../support/mail-catcher.js';
import { startSubscriber, waitFor } from '../notify/helpers.js';

/**
 * kill -9 under PutEvents load, restart on the same data: every EventId the server acknowledged
 * is in the log, and its delivery (to another bus) completes after the restart.
 */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const startServer = () => startServerProcess(['--data-dir', dir]);

const client = (url: string) =>
  new EventBridgeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });

test('kill -9 during PutEvents load loses no acknowledged event and no delivery', { timeout: 60_000 }, async () => {
  const first = await startServer();
  const eb = client(first.url);
  await eb.send(new CreateEventBusCommand({ Name: 'sink' }));
  await eb.send(new PutRuleCommand({ Name: 'to-sink', EventPattern: '{"source":["load.test"]}' }));
  await eb.send(
    new PutTargetsCommand({ Rule: 'to-sink', Targets: [{ Id: 'sink', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/sink' }] }),
  );

  const acked: string[] = [];
  let failedRequests = 0;
  let stop = false;
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const Entries = Array.from({ length: 10 }, (_, k) => ({
        Source: 'load.test',
        DetailType: 'load',
        Detail: JSON.stringify({ w, i, k }),
      }));
      try {
        const res = await eb.send(new PutEventsCommand({ Entries }));
        for (const e of res.Entries ?? []) if (e.EventId) acked.push(e.EventId);
      } catch {
        failedRequests++; // in flight when the server died: never acknowledged
        return;
      }
    }
  };
  const load = Array.from({ length: 6 }, (_, w) => worker(w));
  // Kill once the load is well under way: at least 1.5 s and 500 acknowledged events (a loaded
  // machine gets there later, not never).
  const started = Date.now();
  while ((Date.now() - started < 1500 || acked.length < 500) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  stop = true;
  await Promise.all(load);
  eb.destroy();
  assert.ok(acked.length >= 500, `only ${acked.length} events acknowledged before the kill`);

  const second = await startServer();
  const db = new Database(join(dir, 'amiwatch.db'), { readonly: true });
  try {
    const pending = db.prepare(`SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'queued')`).pluck();
    const deadline = Date.now() + 30_000;
    while ((pending.get() as number) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(pending.get(), 0, 'every delivery settled after the restart');

    const onDefault = new Map(
      (
        db
          .prepare(
            `SELECT e.event_id AS id, d.status FROM events e JOIN deliveries d ON d.event_seq = e.seq WHERE e.bus_arn LIKE '%event-bus/default'`,
          )
          .all() as { id: string; status: string }[]
      ).map((r) => [r.id, r.status]),
    );
    const onSink = new Set(db.prepare(`SELECT event_id FROM events WHERE bus_arn LIKE '%event-bus/sink'`).pluck().all() as string[]);
    const sinkRows = db.prepare(`SELECT COUNT(*) FROM events WHERE bus_arn LIKE '%event-bus/sink'`).pluck().get() as number;
    assert.equal(sinkRows, onSink.size, 'no event landed twice on the sink bus (forwarding is idempotent per delivery)');
    const missing = acked.filter((id) => !onDefault.has(id));
    const undelivered = acked.filter((id) => onDefault.get(id) !== 'delivered' || !onSink.has(id));
    console.log(
      `# crash test: ${acked.length} acknowledged, ${onDefault.size} stored, ${onSink.size} delivered to the sink bus, ${failedRequests} requests cut off by the kill`,
    );
    assert.equal(missing.length, 0, `${missing.length} acknowledged events missing`);
    assert.equal(undelivered.length, 0, `${undelivered.length} acknowledged events not delivered`);
    assert.equal(new Set(acked).size, acked.length);
  } finally {
    db.close();
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }
});

/**
 * The same for SNS (issue 20): kill -9 under Publish load to a topic with an HTTP and an email
 * subscription, restart on the same data: every MessageId the server acknowledged reaches the
 * HTTP subscriber and the SMTP server after the restart (at least once: a delivery under way at
 * the kill may come twice).
 */
const snsDir = mkdtempSync(join(tmpdir(), 'amiwatch-crash-sns-'));
after(() => rmSync(snsDir, { recursive: true, force: true }));

test('kill -9 during Publish load loses no acknowledged notification to HTTP or email', { timeout: 120_000 }, async () => {
  const mail = await startMailCatcher();
  const subscriber = await startSubscriber({ confirm: true });
  const start = () => startServerProcess(['--data-dir', snsDir, '--smtp-url', mail.url]);
  const first = await start();
  const sns = new SNSClient({
    endpoint: first.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  try {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ami-events' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: subscriber.url }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    const link = await waitFor(
      () => mail.mails.map((m) => /(http:\/\/\S+confirmation\.html\S+)/.exec(m.text ?? '')?.[1]).find(Boolean),
      'the confirmation mail',
    );
    assert.equal((await fetch(link)).status, 200);
    await waitFor(async () => {
      const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      return Subscriptions.length === 2 && Subscriptions.every((s) => s.SubscriptionArn?.startsWith('arn:')) ? true : undefined;
    }, 'both subscriptions confirmed');

    const acked = new Map<string, string>();
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const Message = `ami-${w}-${i} is available`;
        try {
          const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message }));
          acked.set(MessageId!, Message);
        } catch {
          return; // in flight when the server died: never acknowledged
        }
      }
    };
    const load = Array.from({ length: 4 }, (_, w) => worker(w));
    const started = Date.now();
    while ((Date.now() - started < 1500 || acked.size < 200) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    stop = true;
    await Promise.all(load);
    assert.ok(acked.size >= 200, `only ${acked.size} messages acknowledged before the kill`);

    const second = await start();
    try {
      const posted = () => new Set(subscriber.posts.map((p) => p.doc.MessageId));
      const mailed = () => new Set(mail.mails.map((m) => (m.text ?? '').split('\n')[0]));
      const missing = () => {
        const p = posted();
        const m = mailed();
        return [...acked].filter(([id, text]) => !p.has(id) || !m.has(text));
      };
      const deadline = Date.now() + 60_000;
      while (missing().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      console.log(
        `# SNS crash test: ${acked.size} acknowledged, ${posted().size} distinct posted to HTTP, ${mailed().size - 1} distinct mailed`,
      );
      assert.deepEqual(missing(), [], 'every acknowledged notification delivered to both subscribers');
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  } finally {
    sns.destroy();
    await subscriber.close();
    await mail.close();
  }
});
