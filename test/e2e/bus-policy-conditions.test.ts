import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateEventBusCommand,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { parseOrganizations } from '../../src/core/events/organizations.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from './helpers.js';

/**
 * Bus policies with Conditions, through the SDK: PutPermission's organization condition
 * (`--organizations` says who is in which), a whole Policy with the AWS guide's events:source /
 * events:detail-type condition, a conditioned Deny, and a rule's event-bus target judged by
 * aws:SourceArn.
 */
const OWNER = '000000000000';
const MEMBER = '111122223333'; // in o-exampleorg1
const OUTSIDER = '444455556666'; // in no organization
let app: App;
let owner: EventBridgeClient;
let member: EventBridgeClient;
let outsider: EventBridgeClient;

before(async () => {
  app = await startTestServer({ organizations: parseOrganizations(`o-exampleorg1=${MEMBER}`) });
  owner = sdkClient(app);
  member = sdkClient(app, { accessKeyId: MEMBER, secretAccessKey: 'x' });
  outsider = sdkClient(app, { accessKeyId: OUTSIDER, secretAccessKey: 'x' });
});
after(async () => {
  for (const c of [owner, member, outsider]) c.destroy();
  await app.close();
});

const busArn = (name: string) => `arn:aws:events:us-east-1:${OWNER}:event-bus/${name}`;
const put = async (client: EventBridgeClient, bus: string, Source = 'com.exampleCorp.webStore', DetailType = 'newOrderCreated') =>
  (await client.send(new PutEventsCommand({ Entries: [{ Source, DetailType, Detail: '{}', EventBusName: busArn(bus) }] }))).Entries![0]!;

test('PutPermission with the organization condition lets members in, and no one else', async () => {
  await owner.send(new CreateEventBusCommand({ Name: 'org-bus' }));
  assert.equal((await put(member, 'org-bus')).ErrorCode, 'AccessDeniedException', 'nothing granted yet');
  await owner.send(
    new PutPermissionCommand({
      EventBusName: 'org-bus',
      StatementId: 'org',
      Action: 'events:PutEvents',
      Principal: '*',
      Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-exampleorg1' },
    }),
  );
  assert.match((await put(member, 'org-bus')).EventId ?? '', /^[0-9a-f-]{36}$/);
  const refused = await put(outsider, 'org-bus');
  assert.equal(refused.ErrorCode, 'AccessDeniedException');
  assert.match(refused.ErrorMessage!, new RegExp(`arn:aws:iam::${OUTSIDER}:root is not authorized to perform: events:PutEvents`));
});

test('PutPermission refuses a Condition AWS does not support, and stores nothing', async () => {
  const bad = [
    { Type: 'StringLike', Key: 'aws:PrincipalOrgID', Value: 'o-exampleorg1' },
    { Type: 'StringEquals', Key: 'aws:SourceAccount', Value: MEMBER },
    { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'not-an-org' },
  ];
  for (const Condition of bad) {
    await assert.rejects(
      owner.send(
        new PutPermissionCommand({ EventBusName: 'org-bus', StatementId: 'bad', Action: 'events:PutEvents', Principal: '*', Condition }),
      ),
      (e: Error) => e.name === 'ValidationException' && /^Parameter Condition\.(Type|Key|Value) is not valid/.test(e.message),
    );
  }
  assert.match((await put(member, 'org-bus')).EventId ?? '', /^[0-9a-f-]{36}$/, 'the earlier statement is untouched');
});

test("a whole Policy: the guide's source/detail-type condition, and a conditioned Deny", async () => {
  await owner.send(new CreateEventBusCommand({ Name: 'central-event-bus' }));
  const Policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WebStoreCrossAccountPublish',
        Effect: 'Allow',
        Action: ['events:PutEvents'],
        Principal: { AWS: `arn:aws:iam::${OUTSIDER}:root` },
        Resource: busArn('central-event-bus'),
        Condition: {
          'ForAllValues:StringEquals': { 'events:source': 'com.exampleCorp.webStore' },
          StringEquals: { 'events:detail-type': 'newOrderCreated' },
        },
      },
      {
        Sid: 'NoTests',
        Effect: 'Deny',
        Action: 'events:PutEvents',
        Principal: '*',
        Resource: busArn('central-event-bus'),
        Condition: { StringLike: { 'events:detail-type': 'test*' } },
      },
      {
        Sid: 'Org',
        Effect: 'Allow',
        Action: 'events:*',
        Principal: '*',
        Resource: busArn('central-event-bus'),
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
      },
    ],
  });
  await owner.send(new PutPermissionCommand({ EventBusName: 'central-event-bus', Policy }));
  assert.equal((await put(outsider, 'central-event-bus')).ErrorCode, undefined);
  assert.equal((await put(outsider, 'central-event-bus', 'com.exampleCorp.other')).ErrorCode, 'AccessDeniedException');
  assert.equal((await put(outsider, 'central-event-bus', 'com.exampleCorp.webStore', 'orderShipped')).ErrorCode, 'AccessDeniedException');
  assert.equal((await put(member, 'central-event-bus', 'any.source', 'any')).ErrorCode, undefined);
  assert.equal(
    (await put(member, 'central-event-bus', 'any.source', 'test-run')).ErrorCode,
    'AccessDeniedException',
    'Deny wins over Allow',
  );
  assert.equal(
    (await put(owner, 'central-event-bus', 'any.source', 'test-run')).ErrorCode,
    undefined,
    'the owner is not judged by its own bus policy',
  );
});

test("an event-bus target: the target bus's policy sees the forwarding rule as aws:SourceArn", async () => {
  await owner.send(new CreateEventBusCommand({ Name: 'from-rules' }));
  const allowedRule = `arn:aws:events:us-east-1:${MEMBER}:rule/ship-*`;
  await owner.send(
    new PutPermissionCommand({
      EventBusName: 'from-rules',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'rules',
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Principal: { AWS: MEMBER },
            Resource: busArn('from-rules'),
            Condition: { ArnLike: { 'aws:SourceArn': allowedRule } },
          },
        ],
      }),
    }),
  );
  for (const name of ['ship-orders', 'other-orders']) {
    await member.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ['member.app'], 'detail-type': [name] }) }));
    await member.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'central', Arn: busArn('from-rules') }] }));
  }
  // A direct PutEvents by the member has no aws:SourceArn: the ArnLike condition does not hold.
  assert.equal((await put(member, 'from-rules', 'member.app', 'direct')).ErrorCode, 'AccessDeniedException');
  const sent = await member.send(
    new PutEventsCommand({
      Entries: ['ship-orders', 'other-orders'].map((name) => ({ Source: 'member.app', DetailType: name, Detail: '{}' })),
    }),
  );
  const [shipped, other] = sent.Entries!.map((e) => e.EventId!);
  const deliveries = async (id: string) => {
    const res = await fetch(
      `${app.url}/_amiwatch/events?bus=${encodeURIComponent(`arn:aws:events:us-east-1:${MEMBER}:event-bus/default`)}&limit=20`,
    );
    const { events } = (await res.json()) as { events: { id: string; deliveries: { status: string; lastError?: string }[] }[] };
    return events.find((e) => e.id === id)?.deliveries ?? [];
  };
  const settled = async (id: string) => {
    for (let i = 0; i < 300; i++) {
      const d = await deliveries(id);
      if (d.length > 0 && d.every((x) => x.status !== 'pending')) return d;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`deliveries of ${id} never settled`);
  };
  assert.equal((await settled(shipped!))[0]!.status, 'delivered');
  const refused = (await settled(other!))[0]!;
  assert.equal(refused.status, 'failed');
  assert.match(refused.lastError!, /^NO_PERMISSIONS/);
});
