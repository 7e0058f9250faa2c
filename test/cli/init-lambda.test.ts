import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { applyInit } from '../../src/cli/apply-init.js';
import type { InitSpec } from '../../src/cli/init-file.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { lambdaClient, until, zipOf } from '../lambda/helpers.js';

/**
 * `start --init` with a rule whose target is a function of the same file: the rule is let into the
 * function's policy (as the console does), so the world it makes delivers; a second start adds
 * nothing, and a statement the user already has is enough. applyInit in process, no CLI spawned.
 */
let app: App;
let dir: string;

before(async () => {
  app = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'amiwatch-init-'));
  writeFileSync(join(dir, 'fn.zip'), zipOf({ 'index.js': 'exports.handler = async () => "ok";\n' }));
});
after(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const ruleArn = (name: string) => `arn:aws:events:us-east-1:000000000000:rule/${name}`;
const spec: InitSpec = {
  buses: [],
  topics: [],
  subscriptions: [],
  queues: [],
  functions: [
    { name: 'log-ami', zip: 'fn.zip' },
    { name: 'audit-ami', zip: 'fn.zip' },
  ],
  rules: [
    { name: 'to-log', pattern: { source: ['init.test'] }, targets: [{ id: 'log', function: 'log-ami' }] },
    {
      name: 'to-audit',
      pattern: { source: ['init.test'] },
      targets: [{ id: 'audit', arn: 'arn:aws:lambda:us-east-1:000000000000:function:audit-ami' }],
    },
  ],
};

test('init: Lambda targets are given the permission once; the rules deliver', { timeout: 30_000 }, async () => {
  const world = {
    endpoint: { url: app.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    account: '000000000000',
    services: app.registry.names,
    baseDir: dir,
  };
  const lambda = lambdaClient(app);
  const eb = sdkClient(app);
  try {
    // The user let to-audit into audit-ami already (the functions exist from an earlier start).
    assert.ok((await applyInit({ ...spec, rules: [] }, world)).includes('function audit-ami'));
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'audit-ami',
        StatementId: 'mine',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: ruleArn('to-audit'),
      }),
    );

    const first = await applyInit(spec, world);
    assert.ok(first.includes('permission for rule to-log to invoke log-ami'), first.join('\n'));
    assert.ok(first.includes('permission for rule to-audit to invoke audit-ami (exists)'), first.join('\n'));
    const again = await applyInit(spec, world);
    assert.ok(again.includes('permission for rule to-log to invoke log-ami (exists)'), again.join('\n'));

    const sids = async (fn: string) =>
      (
        JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: fn }))).Policy!) as { Statement: { Sid: string }[] }
      ).Statement.map((s) => s.Sid);
    assert.deepEqual((await sids('log-ami')).length, 1);
    assert.match((await sids('log-ami'))[0]!, /^AWSEvents_to-log_log_[0-9a-f]{8}$/);
    assert.deepEqual(await sids('audit-ami'), ['mine']);

    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'init.test', DetailType: 'probe', Detail: '{}' }] }));
    const statuses = await until(async () => {
      const body = (await (await fetch(`${app.url}/_amiwatch/events?bus=default`)).json()) as {
        events: { deliveries: { status: string }[] }[];
      };
      const s = body.events.flatMap((e) => e.deliveries.map((d) => d.status));
      return s.length === 2 && !s.includes('pending') ? s : undefined;
    });
    assert.deepEqual(statuses, ['delivered', 'delivered']);

    // A function the user deploys later: still a target (PutTargets takes it, as on AWS); the start says it has no permission.
    const later = await applyInit(
      {
        ...spec,
        functions: [],
        rules: [{ name: 'to-later', pattern: { source: ['init.later'] }, targets: [{ id: 'later', function: 'deployed-later' }] }],
      },
      world,
    );
    assert.ok(
      later.some((l) => l.startsWith('no permission for rule to-later to invoke deployed-later: no such function yet')),
      later.join('\n'),
    );
    assert.ok(later.includes('rule to-later on bus default → later'), later.join('\n'));
  } finally {
    lambda.destroy();
    eb.destroy();
  }
});
