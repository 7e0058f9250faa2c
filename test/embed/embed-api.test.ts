import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateImageCommand,
  CreateSnapshotCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startAmiwatch, type Amiwatch, type AmiwatchOptions } from '../../src/index.js';
import { configOptions } from '../../src/server/config.js';
import { camelCase, toFlagValues } from '../../src/embed/options.js';

/** CreateImage images a real instance: one launched from the public Amazon Linux image, made running by advance(). */
async function launchedInstance(ec2: EC2Client, aw: Amiwatch): Promise<string> {
  const { Images } = await ec2.send(
    new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }),
  );
  const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId!, MinCount: 1, MaxCount: 1 }));
  await aw.advance();
  return Instances![0]!.InstanceId!;
}

describe('startAmiwatch: options', () => {
  it('takes every option of `amiwatch start` under its camel-case name (one table feeds both)', () => {
    // A compile-time check too: each name below must be a key of AmiwatchOptions.
    const all: Required<Omit<AmiwatchOptions, 'init' | 'log'>> = {
      host: '127.0.0.1',
      port: 0,
      dataDir: '/tmp/x',
      inMemory: true,
      credentialsFile: 'c.json',
      defaultAccount: '111111111111',
      defaultRegion: 'eu-west-1',
      amiDuration: '0s',
      instanceDuration: 'pending=0s',
      snapshotDuration: '1s',
      smtpUrl: 'smtp://localhost:25',
      mailFrom: 'a@example.com',
      publicUrl: 'http://example.com',
      notifyWebhookUrl: 'http://example.com/hook',
      subscriberCaFile: 'ca.pem',
      organizations: 'o-aaaaaaaaaa=111111111111',
      logLevel: 'warn',
      logFormat: 'json',
      bodyLimit: 4096,
      bodyBudget: 1 << 20,
      connectionBodyBudget: 1 << 20,
      durability: 'power',
      retentionHours: 1,
      natsUrl: 'nats://127.0.0.1:4222',
      natsReplicas: 1,
      natsAckWait: '30s',
      historyMaxBytes: 1 << 30,
      allowedHosts: 'amiwatch.internal',
      functionSandbox: 'bubblewrap',
      allowOutbound: '10.0.0.0/8',
      ignoreTargetPolicies: true,
      python: '/usr/bin/python3.11',
    };
    assert.deepEqual(Object.keys(all).sort(), configOptions.map((o) => camelCase(o.flag)).sort());
    const values = toFlagValues(all);
    assert.equal(values['ami-duration'], '0s');
    assert.equal(values['body-limit'], '4096');
    assert.equal(values['in-memory'], true);
    assert.equal(values['history-max-bytes'], String(1 << 30));
  });

  it('defaults to any free port and memory; a data directory means disk', () => {
    assert.deepEqual(toFlagValues({}), { port: '0', 'in-memory': true, 'log-level': 'warn' });
    assert.deepEqual(toFlagValues({ dataDir: '/var/x', logLevel: 'info' }), { port: '0', 'data-dir': '/var/x', 'log-level': 'info' });
  });

  it('refuses an unknown name or a wrong type instead of ignoring it', async () => {
    await assert.rejects(
      startAmiwatch({ amiDurations: '1s' } as AmiwatchOptions),
      /unknown option amiDurations; the options are host, port, /,
    );
    await assert.rejects(startAmiwatch({ inMemory: 'yes' } as unknown as AmiwatchOptions), /inMemory must be true or false/);
    await assert.rejects(startAmiwatch({ port: 70000 }), /--port must be 0\.\.65535/);
  });
});

describe('startAmiwatch: a server and its handles', () => {
  let aw: Amiwatch;
  let ec2: EC2Client;
  before(async () => {
    aw = await startAmiwatch({ amiDuration: '10m', log: false });
    ec2 = new EC2Client({ ...aw.clientConfig, maxAttempts: 1 });
  });
  after(async () => {
    ec2.destroy();
    await aw.close();
  });

  it('listens on a free loopback port and gives the SDK and child processes what they need', () => {
    assert.match(aw.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(aw.url, `http://127.0.0.1:${aw.port}`);
    assert.deepEqual(aw.clientConfig, {
      endpoint: aw.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    assert.equal(aw.env.AWS_ENDPOINT_URL, aw.url);
    assert.equal(aw.account, '000000000000');
  });

  it('advance() completes a pending image now, and waitForEvent returns its event', async () => {
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await launchedInstance(ec2, aw), Name: 'web-1' }));
    const waiting = aw.waitForEvent<{ ImageId: string; State: string }>({ pattern: { detail: { ImageId: [ImageId] } }, timeoutMs: 5000 });
    assert.equal(await aw.advance(), 1);
    const event = await waiting;
    assert.equal(event['detail-type'], 'EC2 AMI State Change');
    assert.equal(event.detail.State, 'available');
    const { Images } = await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }));
    assert.equal(Images?.[0]?.State, 'available');
    assert.equal(await aw.advance(), 0, 'nothing left pending');
  });

  it('advance() completes a pending snapshot now, with its EBS Snapshot Notification', async () => {
    const instanceId = await launchedInstance(ec2, aw);
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }));
    const { SnapshotId } = await ec2.send(new CreateSnapshotCommand({ VolumeId: Volumes![0]!.VolumeId! }));
    const waiting = aw.waitForEvent<{ event: string; result: string }>({
      pattern: { 'detail-type': ['EBS Snapshot Notification'], resources: [{ suffix: `/${SnapshotId}` }] },
      timeoutMs: 5000,
    });
    await aw.advance();
    const event = await waiting;
    assert.deepEqual([event.detail.event, event.detail.result], ['createSnapshot', 'succeeded']);
    const { Snapshots } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId!] }));
    assert.equal(Snapshots?.[0]?.State, 'completed');
  });

  it('waitForEvent finds an event already in the history (oldest first)', async () => {
    const eb = new EventBridgeClient({ ...aw.clientConfig, maxAttempts: 1 });
    await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'my.app', DetailType: 'first', Detail: '{"n":1}' },
          { Source: 'my.app', DetailType: 'second', Detail: '{"n":2}' },
        ],
      }),
    );
    eb.destroy();
    const e = await aw.waitForEvent({ pattern: '{"source":["my.app"]}' });
    assert.equal(e['detail-type'], 'first');
    const listed = await aw.events({ pattern: { source: ['my.app'] } });
    assert.deepEqual(
      listed.map((x) => x['detail-type']),
      ['first', 'second'],
    );
    const later = await aw.events({ pattern: { source: ['my.app'] }, since: Date.now() + 60_000 });
    assert.equal(later.length, 0);
  });

  it('an invalid pattern fails at once with AWS’s reason; a wait that finds nothing says what it waited for', async () => {
    await assert.rejects(aw.waitForEvent({ pattern: { source: 'aws.ec2' } }), /invalid event pattern: .*must be an object or an array/);
    await assert.rejects(
      aw.waitForEvent({ bus: 'orders', timeoutMs: 50 }),
      /no event on arn:aws:events:us-east-1:000000000000:event-bus\/orders within 50 ms/,
    );
  });

  it('advance() moves instances in a passing state now, each with its state-change event', async () => {
    const id = await launchedInstance(ec2, aw);
    const state = async (): Promise<string | undefined> =>
      (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0]?.State?.Name;
    assert.equal(await state(), 'running');
    const running = await aw.waitForEvent<{ 'instance-id': string; state: string }>({
      pattern: { 'detail-type': ['EC2 Instance State-change Notification'], detail: { 'instance-id': [id], state: ['running'] } },
      timeoutMs: 5000,
    });
    assert.equal(running.detail.state, 'running');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.equal(await state(), 'stopping');
    await aw.advance();
    assert.equal(await state(), 'stopped');
    await aw.waitForEvent({ pattern: { detail: { 'instance-id': [id], state: ['stopped'] } }, timeoutMs: 5000 });
  });

  it('fault rules fail the images they match; advance() completes them as failed', async () => {
    const rule = await aw.faults.add({
      operation: 'CreateImage',
      name: 'nightly-*',
      code: 'Client.SnapshotLimit',
      message: 'Snapshot quota exceeded',
    });
    assert.match(rule.id, /^fault-/);
    assert.deepEqual(await aw.faults.list(), [rule]);
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await launchedInstance(ec2, aw), Name: 'nightly-7' }));
    await aw.advance();
    const failed = await aw.waitForEvent<{ State: string; ErrorMessage: string }>({ pattern: { detail: { ImageId: [ImageId] } } });
    assert.equal(failed.detail.State, 'failed');
    assert.equal(failed.detail.ErrorMessage, 'Snapshot quota exceeded');
    assert.equal(await aw.faults.clear(), 1);
    await assert.rejects(aw.faults.add({ operation: 'DescribeImages', message: 'x' }), /operation must be '\*' or one of CreateImage/);
  });

  it('waitForMail returns the confirmation mail of an email subscription from the built-in mailbox', async () => {
    const sns = new SNSClient({ ...aw.clientConfig, maxAttempts: 1 });
    const waiting = aw.waitForMail({ to: 'ops@example.com', subject: /Subscription Confirmation/, timeoutMs: 5000 });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ami-events' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    sns.destroy();
    const mail = await waiting;
    assert.equal(mail.to, 'ops@example.com');
    assert.match(mail.text, /confirmation\.html\?TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Aami-events&Token=/);
    // Already in the mailbox: found again without waiting.
    assert.equal((await aw.waitForMail({ to: 'OPS@example.com', timeoutMs: 50 })).id, mail.id);
  });
});

describe('the package entry', () => {
  it('loads nothing of the server when imported: no static imports, no SQLite, until startAmiwatch is called', () => {
    // The compiled entry (what `import 'amiwatch'` loads): its imports are type-only and erased.
    const entry = readFileSync('dist/index.js', 'utf8');
    assert.deepEqual(
      entry.split('\n').filter((l) => /^\s*(import|export)\b.*\bfrom\b/.test(l)),
      [],
    );
    const script = `import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
const loaded = () => Object.keys(req.cache).filter((k) => k.includes('better-sqlite3')).length;
const m = await import(${JSON.stringify(resolve('dist/index.js'))});
const before = loaded();
const aw = await m.startAmiwatch({ log: false });
console.log(JSON.stringify({ before, after: loaded() }));
await aw.close();`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const counts = JSON.parse(out.trim().split('\n').at(-1)!) as { before: number; after: number };
    assert.equal(counts.before, 0);
    assert.ok(counts.after > 0, 'the check itself sees SQLite once the server runs');
  });
});

describe('startAmiwatch: lifecycle', () => {
  it('close() rejects pending waits, is idempotent, and frees the port', async () => {
    const aw = await startAmiwatch({ log: false });
    const waiting = assert.rejects(aw.waitForEvent({ timeoutMs: 60_000 }), /the server closed while waiting/);
    await aw.close();
    await waiting;
    await aw.close();
    await assert.rejects(aw.waitForEvent(), /amiwatch: the server is closed/);
    await assert.rejects(fetch(`${aw.url}/_amiwatch/health`));
  });

  it('log: the lines `amiwatch start` would write, at its level and format, one call each', async () => {
    const lines: string[] = [];
    {
      await using aw = await startAmiwatch({ logLevel: 'debug', logFormat: 'json', log: (line) => lines.push(line) });
      const eb = new EventBridgeClient({ ...aw.clientConfig, maxAttempts: 1 });
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'my.app', DetailType: 'logged', Detail: '{}' }] }));
      eb.destroy();
      await aw.waitForEvent({ pattern: { 'detail-type': ['logged'] } });
    }
    const event = lines.map((l) => JSON.parse(l) as { level: string; msg: string; source?: string }).find((l) => l.msg === 'event');
    assert.deepEqual({ level: event?.level, source: event?.source }, { level: 'debug', source: 'my.app' });
    const quiet: string[] = [];
    await (await startAmiwatch({ log: (line) => quiet.push(line) })).close();
    assert.deepEqual(quiet, [], 'warnings only by default');
  });

  it('`await using` closes it (Symbol.asyncDispose)', async () => {
    let url = '';
    {
      await using aw = await startAmiwatch({ log: false });
      url = aw.url;
      assert.equal((await fetch(`${url}/_amiwatch/health`)).status, 200);
    }
    await assert.rejects(fetch(`${url}/_amiwatch/health`));
  });

  it('init: creates what the file describes before it returns (amiwatch start --init)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'amiwatch-embed-test-'));
    try {
      const file = join(dir, 'world.yaml');
      await writeFile(
        file,
        'rules:\n  - name: ami-available\n    pattern: {"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"]}\n',
      );
      await using aw = await startAmiwatch({ init: file, log: false });
      const eb = new EventBridgeClient({ ...aw.clientConfig, maxAttempts: 1 });
      const { Rules } = await eb.send(new ListRulesCommand({}));
      eb.destroy();
      assert.deepEqual(
        Rules?.map((r) => r.Name),
        ['ami-available'],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('credentialsFile: the clients sign with its first key and act in that key’s account; other keys are refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'amiwatch-embed-test-'));
    try {
      const file = join(dir, 'keys.json');
      await writeFile(
        file,
        JSON.stringify({ credentials: [{ accessKeyId: 'AKIDTEAM1', secretAccessKey: 'team1-secret', accountId: '111111111111' }] }),
      );
      await using aw = await startAmiwatch({ credentialsFile: file, amiDuration: '1m', log: false });
      assert.equal(aw.account, '111111111111');
      assert.deepEqual(aw.clientConfig.credentials, { accessKeyId: 'AKIDTEAM1', secretAccessKey: 'team1-secret' });
      assert.equal(aw.env.AWS_ACCESS_KEY_ID, 'AKIDTEAM1');
      const ec2 = new EC2Client({ ...aw.clientConfig, maxAttempts: 1 });
      const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await launchedInstance(ec2, aw), Name: 'team-image' }));
      ec2.destroy();
      await aw.advance();
      const event = await aw.waitForEvent({ pattern: { detail: { ImageId: [ImageId] } }, timeoutMs: 5000 });
      assert.equal(event.account, '111111111111');
      const stranger = new EC2Client({ ...aw.clientConfig, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      // EC2's own answer for an unknown key (AuthFailure: docs/sigv4.md).
      await assert.rejects(stranger.send(new DescribeImagesCommand({})), /AWS was not able to validate the provided access credentials/);
      stranger.destroy();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a data directory keeps state on disk across servers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'amiwatch-embed-test-'));
    try {
      let id: string | undefined;
      {
        await using aw = await startAmiwatch({ dataDir: dir, amiDuration: 0, log: false });
        const ec2 = new EC2Client(aw.clientConfig);
        id = (await ec2.send(new CreateImageCommand({ InstanceId: await launchedInstance(ec2, aw), Name: 'kept' }))).ImageId;
        ec2.destroy();
      }
      await using again = await startAmiwatch({ dataDir: dir, log: false });
      const ec2 = new EC2Client(again.clientConfig);
      const { Images } = await ec2.send(new DescribeImagesCommand({ ImageIds: [id!] }));
      ec2.destroy();
      assert.equal(Images?.[0]?.Name, 'kept');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
