import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { App } from '../../src/server/app.js';
import { awsCliEnv, awsCliSkip, awsCliV2 } from '../support/aws-cli.js';
import { startTestServer } from './helpers.js';

/**
 * Every archive, replay, connection and API-destination operation through the real AWS CLI v2
 * (`--endpoint-url`), including the guide's rule with a webhook target made from the CLI.
 */
const run = promisify(execFile);
let app: App;
let hook: Server;
let hookUrl = '';
const bodies: string[] = [];

before(async () => {
  app = await startTestServer();
  hook = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => (bodies.push(b), res.writeHead(200).end()));
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});
after(async () => {
  await app.close();
  hook.closeAllConnections();
  await new Promise((r) => hook.close(r));
});

async function aws(...args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run(awsCliV2, ['--endpoint-url', app.url, '--output', 'json', 'events', ...args], { env: awsCliEnv() });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

const until = async (ok: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 15_000;
  while (!(await ok())) {
    if (Date.now() > deadline) assert.fail('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('AWS CLI v2: archives and replays', { skip: awsCliSkip, timeout: 120_000 }, async () => {
  const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
  const created = await aws('create-archive', '--archive-name', 'cli-arch', '--event-source-arn', bus, '--retention-days', '3');
  assert.equal(created.State, 'ENABLED');
  await app.events.ingestion.putEvents(
    { accountId: '000000000000', region: 'us-east-1', requestId: 'r' },
    { Entries: [{ Source: 'cli', DetailType: 't', Detail: '{}' }] },
  );
  await until(
    async () =>
      (
        await app.events.archives.describeArchive(
          { accountId: '000000000000', region: 'us-east-1', requestId: 'r' },
          { ArchiveName: 'cli-arch' },
        )
      ).EventCount === 1,
  );
  assert.equal((await aws('describe-archive', '--archive-name', 'cli-arch')).EventCount, 1);
  await aws('update-archive', '--archive-name', 'cli-arch', '--description', 'from the cli');
  assert.deepEqual(
    (await aws('list-archives')).Archives.map((a: { ArchiveName: string }) => a.ArchiveName),
    ['cli-arch'],
  );
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() + 60_000).toISOString();
  const replay = await aws(
    'start-replay',
    '--replay-name',
    'cli-replay',
    '--event-source-arn',
    created.ArchiveArn,
    '--event-start-time',
    start,
    '--event-end-time',
    end,
    '--destination',
    `Arn=${bus}`,
  );
  assert.equal(replay.State, 'STARTING');
  const described = await aws('describe-replay', '--replay-name', 'cli-replay');
  assert.ok(['STARTING', 'RUNNING', 'COMPLETED'].includes(described.State));
  assert.deepEqual(
    (await aws('list-replays')).Replays.map((r: { ReplayName: string }) => r.ReplayName),
    ['cli-replay'],
  );
  await app.events.replays
    .startReplay(
      { accountId: '000000000000', region: 'us-east-1', requestId: 'r' },
      {
        ReplayName: 'to-cancel',
        EventSourceArn: created.ArchiveArn,
        EventStartTime: new Date(start),
        EventEndTime: new Date(end),
        Destination: { Arn: bus },
      },
    )
    .catch(() => undefined);
  const cancel = await run(
    awsCliV2,
    ['--endpoint-url', app.url, '--output', 'json', 'events', 'cancel-replay', '--replay-name', 'to-cancel'],
    { env: awsCliEnv() },
  ).then(
    (r) => JSON.parse(r.stdout) as { State: string },
    (e: { stderr: string }) => ({ State: e.stderr.includes('IllegalStatusException') ? 'already finished' : e.stderr }),
  );
  assert.ok(['CANCELLING', 'already finished'].includes(cancel.State), cancel.State);
  await aws('delete-archive', '--archive-name', 'cli-arch');
});

test("AWS CLI v2: connections and API destinations, and the guide's rule with a webhook target", {
  skip: awsCliSkip,
  timeout: 120_000,
}, async () => {
  const conn = await aws(
    'create-connection',
    '--name',
    'cli-conn',
    '--authorization-type',
    'API_KEY',
    '--auth-parameters',
    JSON.stringify({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'cli-secret' } }),
  );
  assert.equal(conn.ConnectionState, 'AUTHORIZED');
  const described = await aws('describe-connection', '--name', 'cli-conn');
  assert.deepEqual(described.AuthParameters, { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } });
  await aws('update-connection', '--name', 'cli-conn', '--description', 'hook key');
  assert.equal((await aws('list-connections')).Connections.length, 1);
  const dest = await aws(
    'create-api-destination',
    '--name',
    'cli-hook',
    '--connection-arn',
    conn.ConnectionArn,
    '--invocation-endpoint',
    hookUrl,
    '--http-method',
    'POST',
    '--invocation-rate-limit-per-second',
    '10',
  );
  await aws('update-api-destination', '--name', 'cli-hook', '--description', 'webhook');
  assert.equal((await aws('describe-api-destination', '--name', 'cli-hook')).Description, 'webhook');
  assert.equal((await aws('list-api-destinations')).ApiDestinations.length, 1);
  await aws('put-rule', '--name', 'ami-to-webhook', '--event-pattern', '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"]}');
  await aws('put-targets', '--rule', 'ami-to-webhook', '--targets', JSON.stringify([{ Id: 'hook', Arn: dest.ApiDestinationArn }]));
  await app.events.ingestion.putServiceEvents([
    {
      source: 'aws.ec2',
      detailType: 'EC2 AMI State Change',
      detail: { ImageId: 'ami-1', State: 'available' },
      resources: [],
      account: '000000000000',
      region: 'us-east-1',
      time: Date.now(),
    },
  ]);
  await until(() => bodies.length === 1);
  assert.equal(JSON.parse(bodies[0]!).detail.State, 'available');
  await aws('deauthorize-connection', '--name', 'cli-conn');
  await aws('delete-api-destination', '--name', 'cli-hook');
  const deleted = await aws('delete-connection', '--name', 'cli-conn');
  assert.equal(deleted.ConnectionState, 'DELETING');
});
