import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  ListEventBusesCommand,
  ListTagsForResourceCommand,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventBusCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from './helpers.js';

let app: App;
let eb: EventBridgeClient;
let other: EventBridgeClient;

before(async () => {
  app = await startTestServer();
  eb = sdkClient(app);
  other = sdkClient(app, { accessKeyId: '111122223333', secretAccessKey: 'x' });
});
after(async () => {
  eb.destroy();
  other.destroy();
  await app.close();
});

const history = async (query: string) => {
  const res = await fetch(`${app.url}/_amiwatch/events?${query}`);
  assert.equal(res.status, 200);
  return (await res.json()) as {
    events: {
      id: string;
      event: Record<string, unknown>;
      rules: string[];
      deliveries: { status: string; attempts: number; targetId: string; lastError?: string }[];
    }[];
  };
};

const until = async (check: () => Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('PutEvents: per-entry results in request order, envelope filled as AWS does', async () => {
  const res = await eb.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: 'my.app',
          DetailType: 'Order Created',
          Detail: '{"orderId":"o-1"}',
          Resources: ['arn:aws:ec2:us-east-1::image/ami-1'],
          Time: new Date('2026-03-04T05:06:07.890Z'),
        },
        { DetailType: 'x', Detail: '{}' },
        { Source: 'my.app', Detail: '{}' },
        { Source: 'my.app', DetailType: 'x' },
        { Source: 'my.app', DetailType: 'x', Detail: '[1]' },
        { Source: 'my.app', DetailType: 'x', Detail: '{nope' },
        { Source: 'aws.ec2', DetailType: 'x', Detail: '{}' },
        { Source: 'my.app', DetailType: 'x', Detail: '{}', EventBusName: 'missing' },
        { Source: 'my.app', DetailType: 'x', Detail: '{}' },
      ],
    }),
  );
  assert.equal(res.FailedEntryCount, 7);
  const codes = res.Entries!.map((e) => e.ErrorCode ?? 'ok');
  assert.deepEqual(codes, [
    'ok',
    'InvalidArgument',
    'InvalidArgument',
    'InvalidArgument',
    'MalformedDetail',
    'MalformedDetail',
    'NotAuthorizedForSourceException',
    'ResourceNotFoundException',
    'ok',
  ]);
  assert.equal(res.Entries![1]!.ErrorMessage, 'Parameter Source is not valid. Reason: Source is a required argument.');
  assert.equal(res.Entries![4]!.ErrorMessage, 'Detail is malformed.');
  const id = res.Entries![0]!.EventId!;
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const { events } = await history('bus=default&limit=10');
  const stored = events.find((e) => e.id === id)!.event;
  assert.deepEqual(stored, {
    version: '0',
    id,
    'detail-type': 'Order Created',
    source: 'my.app',
    account: '000000000000',
    time: '2026-03-04T05:06:07Z',
    region: 'us-east-1',
    resources: ['arn:aws:ec2:us-east-1::image/ami-1'],
    detail: { orderId: 'o-1' },
  });
  assert.equal(events.length, 2, 'failed entries are not stored');
});

test('PutEvents: more than 10 entries, or 256 KB, is refused whole', async () => {
  const eleven = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));
  await assert.rejects(
    eb.send(new PutEventsCommand({ Entries: eleven })),
    (e: Error) => e.name === 'ValidationException' && /less than or equal to 10/.test(e.message),
  );
  // 14 (Time) + 1 + 1 + detail: exactly at the limit is refused, one byte under is accepted.
  const detail = (n: number) => `{"a":"${'x'.repeat(n - 8)}"}`;
  const at = 256 * 1024 - 14 - 2;
  await assert.rejects(
    eb.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: detail(at), Time: new Date() }] })),
    (e: Error) => e.name === 'ValidationException' && e.message === 'Total size of the entries in the request is over the limit.',
  );
  const ok = await eb.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: detail(at - 1), Time: new Date() }] }));
  assert.equal(ok.FailedEntryCount, 0);
});

test('a matching rule delivers to an event bus target (cross account, allowed by the bus policy)', async () => {
  // Account 1111-2222-3333 owns "inbox" and lets 000000000000 put events on it.
  await other.send(new CreateEventBusCommand({ Name: 'inbox' }));
  const inboxArn = 'arn:aws:events:us-east-1:111122223333:event-bus/inbox';
  await eb.send(new PutRuleCommand({ Name: 'fwd', EventPattern: '{"source":["fwd.app"]}' }));
  await eb.send(new PutTargetsCommand({ Rule: 'fwd', Targets: [{ Id: 'inbox', Arn: inboxArn }] }));
  const denied = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'fwd.app', DetailType: 'x', Detail: '{"n":1}' }] }));
  await until(async () => (await history('bus=default&limit=1')).events[0]!.deliveries[0]!.status === 'failed');
  const failed = (await history('bus=default&limit=1')).events[0]!;
  assert.equal(failed.id, denied.Entries![0]!.EventId);
  assert.match(failed.deliveries[0]!.lastError!, /^NO_PERMISSIONS/);
  assert.equal(failed.deliveries[0]!.attempts, 1, 'non-retriable: no retries');

  await other.send(
    new PutPermissionCommand({ EventBusName: 'inbox', Action: 'events:PutEvents', Principal: '000000000000', StatementId: 'let-0' }),
  );
  const policy = JSON.parse((await other.send(new DescribeEventBusCommand({ Name: 'inbox' }))).Policy!);
  assert.equal(policy.Statement[0].Principal.AWS, 'arn:aws:iam::000000000000:root');
  const sent = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'fwd.app', DetailType: 'x', Detail: '{"n":2}' }] }));
  const id = sent.Entries![0]!.EventId!;
  await until(async () => (await history(`bus=${encodeURIComponent(inboxArn)}&limit=1`)).events[0]?.id === id);
  const src = (await history('bus=default&limit=1')).events[0]!;
  assert.deepEqual(src.rules, ['fwd']);
  await until(async () => (await history('bus=default&limit=1')).events[0]!.deliveries[0]!.status === 'delivered');
  const arrived = (await history(`bus=${encodeURIComponent(inboxArn)}&limit=1`)).events[0]!;
  assert.equal(arrived.event.account, '000000000000', 'the event keeps its source account');
  // The owner can PutEvents directly on another account's bus by ARN only with permission.
  await other.send(new RemovePermissionCommand({ EventBusName: 'inbox', StatementId: 'let-0' }));
  const direct = await eb.send(
    new PutEventsCommand({ Entries: [{ Source: 'a.b', DetailType: 'x', Detail: '{}', EventBusName: inboxArn }] }),
  );
  assert.equal(direct.Entries![0]!.ErrorCode, 'AccessDeniedException');
  // The last statement went with the policy: AWS then says the bus has none (issue 21).
  await assert.rejects(
    other.send(new RemovePermissionCommand({ EventBusName: 'inbox', StatementId: 'let-0' })),
    (e: Error) => e.name === 'ResourceNotFoundException' && e.message === 'EventBus does not have a policy.',
  );
  await assert.rejects(
    other.send(
      new PutPermissionCommand({ EventBusName: 'inbox', Action: 'events:DeleteRule', Principal: '000000000000', StatementId: 'x' }),
    ),
    (e: Error) => e.name === 'ValidationException' && e.message === "Provided value in parameter 'action' is not supported.",
  );
  await other.send(
    new PutPermissionCommand({ EventBusName: 'inbox', Action: 'events:PutEvents', Principal: '000000000000', StatementId: 'let-1' }),
  );
  await assert.rejects(
    other.send(new RemovePermissionCommand({ EventBusName: 'inbox', StatementId: 'let-0' })),
    (e: Error) => e.name === 'ResourceNotFoundException' && e.message === 'Statement with the provided id does not exist.',
  );
  await other.send(new RemovePermissionCommand({ EventBusName: 'inbox', RemoveAllPermissions: true }));
});

test('bus to bus is one hop: a forwarded event is not forwarded again (no loops)', async () => {
  const a = 'arn:aws:events:us-east-1:000000000000:event-bus/a';
  const b = 'arn:aws:events:us-east-1:000000000000:event-bus/b';
  await eb.send(new CreateEventBusCommand({ Name: 'a' }));
  await eb.send(new CreateEventBusCommand({ Name: 'b' }));
  await eb.send(new PutRuleCommand({ Name: 'a-to-b', EventBusName: 'a', EventPattern: '{"source":["loop.app"]}' }));
  await eb.send(new PutTargetsCommand({ Rule: 'a-to-b', EventBusName: 'a', Targets: [{ Id: 'b', Arn: b }] }));
  await eb.send(new PutRuleCommand({ Name: 'b-to-a', EventBusName: 'b', EventPattern: '{"source":["loop.app"]}' }));
  await eb.send(new PutTargetsCommand({ Rule: 'b-to-a', EventBusName: 'b', Targets: [{ Id: 'a', Arn: a }] }));
  const sent = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'loop.app', DetailType: 'x', Detail: '{}', EventBusName: 'a' }] }));
  const id = sent.Entries![0]!.EventId!;
  await until(async () => (await history(`bus=b&limit=1`)).events[0]?.id === id);
  await new Promise((r) => setTimeout(r, 200));
  const onB = (await history('bus=b&limit=10')).events;
  assert.equal(onB.length, 1);
  assert.deepEqual(onB[0]!.rules, ['b-to-a'], 'it matches on b');
  assert.deepEqual(onB[0]!.deliveries, [], 'but is not sent on');
  assert.equal((await history('bus=a&limit=10')).events.length, 1);
});

test('a disabled rule matches nothing', async () => {
  await eb.send(new PutRuleCommand({ Name: 'off', EventPattern: '{"source":["off.app"]}', State: 'DISABLED' }));
  await eb.send(
    new PutTargetsCommand({ Rule: 'off', Targets: [{ Id: 'b', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' }] }),
  );
  await eb.send(new PutEventsCommand({ Entries: [{ Source: 'off.app', DetailType: 'x', Detail: '{}' }] }));
  const [e] = (await history('bus=default&limit=1')).events;
  assert.deepEqual(e!.rules, []);
  assert.deepEqual(e!.deliveries, []);
});

test('event buses: create, describe, list, update, tag, delete; accounts are isolated', async () => {
  const created = await eb.send(new CreateEventBusCommand({ Name: 'orders', Description: 'd1', Tags: [{ Key: 'team', Value: 'a' }] }));
  assert.equal(created.EventBusArn, 'arn:aws:events:us-east-1:000000000000:event-bus/orders');
  await assert.rejects(
    eb.send(new CreateEventBusCommand({ Name: 'orders' })),
    (e: Error) => e.name === 'ResourceAlreadyExistsException' && e.message === 'Event bus orders already exists.',
  );
  await eb.send(new UpdateEventBusCommand({ Name: 'orders', Description: 'd2' }));
  const d = await eb.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
  assert.equal(d.Description, 'd2');
  assert.ok(d.CreationTime instanceof Date);
  const names = (await eb.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Name);
  assert.deepEqual(names, ['a', 'b', 'default', 'orders']);
  assert.deepEqual(
    (await other.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Name),
    ['default', 'inbox'],
  );
  const page = await eb.send(new ListEventBusesCommand({ Limit: 1 }));
  assert.equal(page.EventBuses!.length, 1);
  assert.ok(page.NextToken);
  await eb.send(
    new TagResourceCommand({
      ResourceARN: created.EventBusArn,
      Tags: [
        { Key: 'env', Value: 'dev' },
        { Key: 'team', Value: 'b' },
      ],
    }),
  );
  await eb.send(new UntagResourceCommand({ ResourceARN: created.EventBusArn, TagKeys: ['env'] }));
  assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: created.EventBusArn }))).Tags, [
    { Key: 'team', Value: 'b' },
  ]);
  await assert.rejects(
    eb.send(new DeleteEventBusCommand({ Name: 'default' })),
    (e: Error) => e.name === 'ValidationException' && e.message === 'Cannot delete event bus default.',
  );
  await eb.send(new DeleteEventBusCommand({ Name: 'orders' }));
  await assert.rejects(
    eb.send(new DescribeEventBusCommand({ Name: 'orders' })),
    (e: Error) => e.name === 'ResourceNotFoundException' && e.message === 'Event bus orders does not exist.',
  );
});
