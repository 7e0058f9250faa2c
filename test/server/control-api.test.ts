import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';

/**
 * The event history (`GET /_amiwatch/events`) and its live stream, fed by the ingestion path
 * amiwatch's own services use (EC2's "EC2 AMI State Change" onto the default bus).
 */
const received: DeliveryRequest[] = [];
let app: App;
let eb: EventBridgeClient;

before(async () => {
  app = await startTestServer({}, { transports: { sqs: { deliver: async (r) => (received.push(r), delivered) } } });
  eb = sdkClient(app);
  await eb.send(
    new PutRuleCommand({
      Name: 'ami-available',
      EventPattern: '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}',
    }),
  );
  await eb.send(
    new PutTargetsCommand({
      Rule: 'ami-available',
      Targets: [
        {
          Id: 'q',
          Arn: 'arn:aws:sqs:us-east-1:000000000000:ami',
          InputTransformer: {
            InputPathsMap: { image: '$.detail.ImageId' },
            InputTemplate: '"<image> is available (<aws.events.rule-name>)"',
          },
        },
      ],
    }),
  );
});
after(async () => {
  eb.destroy();
  await app.close();
});

interface Sse {
  event: string;
  data: Record<string, unknown>;
}

async function openStream(): Promise<{ next: (type: string) => Promise<Sse>; close: () => void }> {
  const ac = new AbortController();
  const res = await fetch(`${app.url}/_amiwatch/events/stream`, { signal: ac.signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.getReader();
  let buffer = '';
  const queue: Sse[] = [];
  const next = async (type: string): Promise<Sse> => {
    for (;;) {
      const i = queue.findIndex((m) => m.event === type);
      if (i >= 0) return queue.splice(i, 1)[0]!;
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += Buffer.from(value).toString();
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) queue.push({ event, data: JSON.parse(data) });
      }
    }
  };
  return { next, close: () => ac.abort() };
}

test("an AMI event from amiwatch's own EC2 path: streamed live, delivered transformed, kept in the history", async () => {
  const stream = await openStream();
  const [id] = await app.events.ingestion.putServiceEvents([
    {
      source: 'aws.ec2',
      detailType: 'EC2 AMI State Change',
      detail: { RequestId: 'r-1', ImageId: 'ami-0123456789abcdef0', State: 'available', ErrorMessage: '' },
      resources: ['arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0'],
      account: '000000000000',
      region: 'us-east-1',
      time: Date.UTC(2026, 0, 1),
    },
  ]);
  const live = await stream.next('event');
  assert.equal(live.data.id, id);
  assert.deepEqual(live.data.rules, ['ami-available']);
  const d = await stream.next('delivery');
  assert.equal(d.data.eventId, id);
  assert.equal(d.data.status, 'delivered');
  assert.equal(d.data.targetId, 'q');
  stream.close();
  assert.equal(received.length, 1);
  assert.equal(received[0]!.payload, '"ami-0123456789abcdef0 is available (ami-available)"');

  const res = await fetch(`${app.url}/_amiwatch/events?bus=default`);
  const body = (await res.json()) as {
    events: { id: string; event: Record<string, unknown>; rules: string[]; deliveries: Record<string, unknown>[] }[];
  };
  const [e] = body.events;
  assert.equal(e!.id, id);
  assert.equal(e!.event.source, 'aws.ec2');
  assert.equal(e!.event.time, '2026-01-01T00:00:00Z');
  assert.deepEqual(e!.rules, ['ami-available']);
  assert.equal(e!.deliveries[0]!.status, 'delivered');
  assert.equal(e!.deliveries[0]!.attempts, 1);
  assert.equal(e!.deliveries[0]!.targetArn, 'arn:aws:sqs:us-east-1:000000000000:ami');
});

test('history: newest first, limit + next cursor, time range, bus filter', async () => {
  const t0 = Date.now();
  for (let i = 0; i < 3; i++)
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'page.app', DetailType: 'n', Detail: JSON.stringify({ i }) }] }));
  const page1 = (await (await fetch(`${app.url}/_amiwatch/events?bus=default&limit=2`)).json()) as {
    events: { event: { detail: { i: number } } }[];
    next?: string;
  };
  assert.deepEqual(
    page1.events.map((e) => e.event.detail.i),
    [2, 1],
  );
  assert.ok(page1.next);
  const page2 = (await (await fetch(`${app.url}/_amiwatch/events?bus=default&limit=2&before=${page1.next}`)).json()) as {
    events: { event: { detail: { i?: number } } }[];
  };
  assert.equal(page2.events[0]!.event.detail.i, 0);
  const ranged = (await (await fetch(`${app.url}/_amiwatch/events?from=${new Date(t0).toISOString()}`)).json()) as { events: unknown[] };
  assert.equal(ranged.events.length, 3);
  const other = (await (await fetch(`${app.url}/_amiwatch/events?bus=nope`)).json()) as { events: unknown[] };
  assert.deepEqual(other.events, []);
  // Events a rule matched: the AMI event of the first test, not the page.app ones.
  const matched = (await (await fetch(`${app.url}/_amiwatch/events?bus=default&rule=ami-available`)).json()) as {
    events: { rules: string[] }[];
  };
  assert.ok(matched.events.length >= 1 && matched.events.every((e) => e.rules.includes('ami-available')));
});

test('history search: source, detail-type and pattern filters reach past the newest page; region scoped; a bad pattern is a 400', async () => {
  const put = (source: string, detail: object, region = 'us-east-1') =>
    (region === 'us-east-1' ? eb : sdkClient(app, undefined, region)).send(
      new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'search test', Detail: JSON.stringify(detail) }] }),
    );
  await put('rare.app', { n: 1, level: 'error' });
  await put('rare.app', { n: 2, level: 'info' });
  await put('rare.app', { n: 3, level: 'error' }, 'eu-west-1');
  // 60 newer events: the rare ones are beyond a 50-event page.
  await eb.send(
    new PutEventsCommand({
      Entries: Array.from({ length: 10 }, (_, i) => ({ Source: 'noise.app', DetailType: 'noise', Detail: JSON.stringify({ i }) })),
    }),
  );
  for (let k = 0; k < 5; k++)
    await eb.send(
      new PutEventsCommand({
        Entries: Array.from({ length: 10 }, (_, i) => ({ Source: 'noise.app', DetailType: 'noise', Detail: JSON.stringify({ i }) })),
      }),
    );
  type Page = { events: { event: { region: string; detail: { n: number } } }[]; next?: string };
  const search = async (q: string) =>
    (await (await fetch(`${app.url}/_amiwatch/events?limit=50&account=000000000000&${q}`)).json()) as Page;
  const bySource = await search('region=us-east-1&source=RARE');
  assert.deepEqual(
    bySource.events.map((e) => e.event.detail.n),
    [2, 1],
    'both us-east-1 events, newest first, case-insensitive',
  );
  assert.equal(bySource.next, undefined);
  const byPattern = await search(`region=us-east-1&pattern=${encodeURIComponent('{"detail":{"level":["error"]}}')}`);
  assert.deepEqual(
    byPattern.events.map((e) => e.event.detail.n),
    [1],
  );
  const byType = await search('region=eu-west-1&detailType=search');
  assert.deepEqual(
    byType.events.map((e) => [e.event.region, e.event.detail.n]),
    [['eu-west-1', 3]],
  );
  const bad = await fetch(`${app.url}/_amiwatch/events?pattern=${encodeURIComponent('{"detail":"x"}')}`);
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /^pattern: Event pattern is not valid\. Reason: /);
});
