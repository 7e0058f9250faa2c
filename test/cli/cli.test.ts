import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateImageCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { renderConfigReference } from '../../src/cli/config-reference.js';
import { Sandbox, type Running } from './helpers.js';
import { runningInstance } from '../support/ec2-instance.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const guidePattern = '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}';
const guideEvent = readFileSync('test/ec2/fixtures/guide-events.json', 'utf8');

describe('amiwatch (offline commands)', () => {
  const box = new Sandbox();
  after(() => box.remove());

  it('--help on every command, with examples; --version; unknown commands suggest the right one', async () => {
    for (const args of [
      [],
      ['start'],
      ['quickstart'],
      ['tail'],
      ['test-pattern'],
      ['images', 'wait'],
      ['faults', 'add'],
      ['faults', 'list'],
      ['faults', 'remove'],
      ['status'],
    ]) {
      const r = await box.run([...args, '--help']);
      assert.equal(r.code, 0, `${args.join(' ')} --help: ${r.stderr}`);
      assert.match(r.stdout, /^Usage: amiwatch/m, args.join(' '));
      if (!['faults list'].includes(args.join(' '))) assert.match(r.stdout, /Examples:/, `${args.join(' ')} --help has examples`);
    }
    const start = await box.run(['start', '--help']);
    assert.match(start.stdout, /--ami-duration <TIME>/);
    assert.match(start.stdout, /AMIWATCH_LOG_FORMAT/);
    assert.match((await box.run(['--help'])).stdout, /Exit codes:\n {2}0 {2}success/);
    assert.equal((await box.run(['--version'])).stdout.trim(), '0.1.0');
    const typo = await box.run(['strat']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command 'strat'[\s\S]*Did you mean start\?/);
    const badFlag = await box.run(['status', '--jsno']);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /unknown option '--jsno'[\s\S]*--json/);
  });

  it("test-pattern: 0 match, 1 no match, 2 invalid pattern with AWS's message; file:// and stdin", async () => {
    const event = JSON.stringify((JSON.parse(guideEvent) as unknown[])[0]);
    writeFileSync(join(box.dir, 'pattern.json'), guidePattern);
    const match = await box.run(['test-pattern', '--pattern', 'file://pattern.json', '--event', '-'], { input: event });
    assert.deepEqual([match.code, match.stdout], [0, 'match\n'], match.stderr);
    const no = await box.run(['test-pattern', '--pattern', '{"source":["aws.s3"]}', '--event', event]);
    assert.deepEqual([no.code, no.stdout], [1, 'no match\n']);
    const quiet = await box.run(['test-pattern', '-q', '--pattern', '{"source":["aws.s3"]}', '--event', event]);
    assert.deepEqual([quiet.code, quiet.stdout], [1, '']);
    const invalid = await box.run(['test-pattern', '--pattern', '{"source":[]}', '--event', event]);
    assert.equal(invalid.code, 2);
    assert.match(
      invalid.stderr,
      /InvalidEventPatternException: Event pattern is not valid\. Reason: Empty arrays are not allowed\n at \[Source: \(String\)"\{"source":\[\]\}"; line: 1, column: 13\]/,
    );
    const notObject = await box.run(['test-pattern', '--pattern', guidePattern, '--event', '[1]']);
    assert.equal(notObject.code, 2);
    const missing = await box.run(['test-pattern', '--pattern', 'file://nope.json', '--event', '{}']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.json \(ENOENT\)/);
  });

  it('client commands with no server: exit 3 and what to do', async () => {
    const r = await box.run(['--endpoint-url', 'http://127.0.0.1:9', 'status']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no amiwatch server answers at http:\/\/127\.0\.0\.1:9[\s\S]*amiwatch start/);
  });

  it('start refuses bad settings with exit 2 and names the setting', async () => {
    const port = await box.run(['start', '--port', '99999']);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--port must be 0\.\.65535, got 99999/);
    const duration = await box.run(['start', '--in-memory', '--ami-duration', 'CreateImage=soon']);
    assert.equal(duration.code, 2);
    assert.match(duration.stderr, /not a duration: soon/);
  });

  it('docs/configuration.md is what the option table renders (npm run docs:config)', () => {
    assert.equal(readFileSync('docs/configuration.md', 'utf8'), renderConfigReference());
  });
});

describe('amiwatch start and the client commands against it', () => {
  const box = new Sandbox();
  let server: Running;
  let url: string;
  let ec2: EC2Client;
  let events: EventBridgeClient;

  before(async () => {
    server = await box.background(
      ['start', '--port', '0', '--ami-duration', '400ms', '--instance-duration', '100ms', '--log-level', 'debug'],
      /Stop with Ctrl-C/,
    );
    url = /AWS APIs {2}(http:\/\/\S+)/.exec(server.stdout)![1]!;
    box.env.AMIWATCH_ENDPOINT_URL = url;
    ec2 = new EC2Client({ endpoint: url, region: 'us-east-1', credentials });
    events = new EventBridgeClient({ endpoint: url, region: 'us-east-1', credentials });
  });
  after(async () => {
    ec2?.destroy();
    events?.destroy();
    if (server) {
      assert.equal(await server.stop(), 0);
      assert.match(server.stdout, /SIGTERM, shutting down\n[\s\S]*amiwatch: stopped/);
    }
    box.remove();
  });

  it('prints where it listens and the environment to export; keeps its data in ./.amiwatch', () => {
    assert.match(server.stdout, /amiwatch 0\.1\.0 listening on http:\/\/127\.0\.0\.1:\d+ \(data in .*\.amiwatch\)/);
    assert.match(
      server.stdout,
      new RegExp(`export AWS_ENDPOINT_URL=${url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1`),
    );
    assert.ok(existsSync(join(box.dir, '.amiwatch', 'amiwatch.db')));
  });

  it('status: healthy, counts', async () => {
    const r = await box.run(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.status, 'ok');
    assert.ok(report.services.includes('events') && report.services.includes('ec2'));
    assert.equal(report.buses, 1);
    assert.deepEqual(report.deliveries, { pending: 0, delivered: 0, failed: 0 });
    assert.deepEqual(report.resources, { topics: 0, subscriptions: 0, queues: 0, functions: 0 });
    const text = await box.run(['status']);
    assert.match(text.stdout, /amiwatch 0\.1\.0 at http:\/\/127\.0\.0\.1:\d+: ok \(events, ec2/);
    assert.match(text.stdout, /deliveries {2}0 pending, 0 delivered, 0 failed/);
  });

  it('faults add / list / remove, and images wait: 0 on available, 1 with the reason on failed', async () => {
    const add = await box.run([
      'faults',
      'add',
      '--operation',
      'CreateImage',
      '--name',
      'broken-*',
      '--code',
      'Client.SnapshotLimit',
      '--message',
      'Snapshot quota exceeded',
    ]);
    assert.equal(add.code, 0, add.stderr);
    const id = add.stdout.trim();
    assert.match(id, /^fault-[0-9a-f]+$/);
    const list = await box.run(['faults', 'list']);
    assert.match(list.stdout, new RegExp(`${id} +CreateImage +broken-\\* +- +Client\\.SnapshotLimit +- +Snapshot quota exceeded`));
    const bad = await box.run(['faults', 'add', '--operation', 'MakeCoffee', '--message', 'x']);
    assert.equal(bad.code, 4);
    assert.match(bad.stderr, /ValidationError: operation must be/);

    const InstanceId = await runningInstance(ec2);
    const failing = await ec2.send(new CreateImageCommand({ InstanceId, Name: 'broken-1' }));
    const failed = await box.run(['images', 'wait', failing.ImageId!]);
    assert.equal(failed.code, 1);
    assert.match(
      failed.stdout,
      new RegExp(`✘ ${failing.ImageId} \\(broken-1\\) is failed: Snapshot quota exceeded \\(Client\\.SnapshotLimit\\)`),
    );
    const good = await ec2.send(new CreateImageCommand({ InstanceId, Name: 'fine-1' }));
    const ok = await box.run(['images', 'wait', good.ImageId!]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^(.*is pending\n)?✔ ami-[0-9a-f]+ \(fine-1\) is available after \d+\.\ds\n$/);
    const unknown = await box.run(['images', 'wait', 'ami-0000000000000000f']);
    assert.equal(unknown.code, 4);
    assert.match(unknown.stderr, /InvalidAMIID\.NotFound/);

    assert.equal((await box.run(['faults', 'remove', id])).code, 0);
    const again = await box.run(['faults', 'remove', id]);
    assert.equal(again.code, 4);
    assert.match((await box.run(['faults', 'list'])).stdout, /no fault rules/);
  });

  it('tail: live events filtered by the pattern; --json is one event per line for pipes', async () => {
    const tail = await box.background(['tail', '--json', '--count', '1', '--pattern', '{"source":["app.orders"]}'], /tailing/);
    await events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'app.other', DetailType: 'Noise', Detail: '{}' },
          { Source: 'app.orders', DetailType: 'Order Placed', Detail: '{"id":7}' },
        ],
      }),
    );
    const timer = setTimeout(() => tail.child.kill('SIGKILL'), 30_000);
    assert.equal(await tail.exited, 0, tail.stderr);
    clearTimeout(timer);
    const lines = tail.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]!).detail, { id: 7 });
    assert.match(
      tail.stderr,
      /^tailing http:\/\/127\.0\.0\.1:\d+ \(pattern\); Ctrl-C to stop\n$/,
      'stdout has events only; the notice is on stderr',
    );
    const invalid = await box.run(['tail', '--pattern', '{"source":"x"}']);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /Reason: "source" must be an object or an array/);
    assert.match(server.stdout, /debug: event id=\S+ bus=arn:aws:events:us-east-1:000000000000:event-bus\/default source=app\.orders/);
  });

  it('tail --count: stays until each delivery of its events has an outcome, so a script sees how they went', async () => {
    await events.send(new CreateEventBusCommand({ Name: 'tail-audit' }));
    await events.send(new PutRuleCommand({ Name: 'to-audit', EventPattern: '{"source":["app.audit"]}' }));
    const audit = 'arn:aws:events:us-east-1:000000000000:event-bus/tail-audit';
    await events.send(new PutTargetsCommand({ Rule: 'to-audit', Targets: [{ Id: 'audit-bus', Arn: audit }] }));
    const tail = await box.background(['tail', '--count', '1', '--bus', 'default', '--pattern', '{"source":["app.audit"]}'], /tailing/);
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'app.audit', DetailType: 'Audited', Detail: '{}' }] }));
    const timer = setTimeout(() => tail.child.kill('SIGKILL'), 30_000);
    assert.equal(await tail.exited, 0, tail.stderr);
    clearTimeout(timer);
    const lines = tail.stdout.trim().split('\n');
    assert.equal(lines.length, 2, tail.stdout);
    assert.match(lines[0]!, /default app\.audit Audited .* → to-audit$/);
    assert.equal(lines[1], '  └ to-audit/audit-bus delivered after 1 attempt');
  });

  it("quickstart: the guide's rule, an image watched until available, the matched event; twice creates nothing twice", async () => {
    const first = await box.run(['quickstart']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /✔ rule ami-available on bus default/);
    assert.match(first.stdout, /✔ RunInstances from ami-[0-9a-f]{17} \(al2023-ami-2023\.[^)]*-x86_64\): i-[0-9a-f]{17} is pending/);
    assert.match(first.stdout, /✔ CreateImage from i-[0-9a-f]{17}: (ami-[0-9a-f]+) is pending/);
    assert.match(first.stdout, /✔ EventBridge matched the AMI event to ami-available:\n\{\n {2}"version": "0"/);
    const imageId = /CreateImage from \S+: (ami-[0-9a-f]+)/.exec(first.stdout)![1]!;
    assert.match(first.stdout, new RegExp(`"ImageId": "${imageId}",\n {4}"State": "available"`));
    const second = await box.run(['quickstart']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`image ${imageId} \\(amiwatch-quickstart\\) exists already: not creating another`));
    const rules = await events.send(new ListRulesCommand({ NamePrefix: 'ami-available' }));
    assert.equal(rules.Rules?.length, 1);
  });

  it("quickstart in the user's Region (AWS_DEFAULT_REGION), not the server's default one, finds its event there", async () => {
    // The server's default Region is us-east-1; the user's AWS settings say eu-west-1.
    const run = await box.sh('AWS_DEFAULT_REGION=eu-west-1 amiwatch quickstart --timeout 15');
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /✔ SNS topic arn:aws:sns:eu-west-1:000000000000:amiwatch-quickstart/);
    assert.match(run.stdout, /✔ EventBridge matched the AMI event to ami-available:/);
    assert.match(run.stdout, /"region": "eu-west-1",\n {2}"resources": \[\n {4}"arn:aws:ec2:eu-west-1::image\/ami-[0-9a-f]+"/);
    assert.match(run.stdout, /✔ the notification arrived/);
  });
});

describe('amiwatch start --init and --log-format json', () => {
  const box = new Sandbox();
  after(() => box.remove());

  it('creates the buses and rules of a YAML file, logs as JSON lines, and the same file twice changes nothing', async () => {
    writeFileSync(
      join(box.dir, 'world.yaml'),
      `buses:
  - audit
topics:
  - { name: ami-events, displayName: AMI events }
queues:
  - ami-copy
  - ami-dlq
subscriptions:
  - { topic: ami-events, protocol: sqs, endpoint: ami-copy }
rules:
  - name: to-topic
    pattern: { source: [aws.ec2] }
    targets:
      - { id: topic, topic: ami-events, deadLetterQueue: ami-dlq, retryPolicy: { maximumRetryAttempts: 3 } }
  - name: ami-available
    pattern: { source: [aws.ec2], detail-type: [EC2 AMI State Change], detail: { State: [available] } }
    targets:
      - { id: to-audit, bus: audit }
  - name: everything
    bus: audit
    pattern: '{"source":[{"prefix":""}]}'
`,
    );
    for (let run = 0; run < 2; run++) {
      const server = await box.background(
        ['start', '--port', '0', '--log-format', 'json', '--init', 'world.yaml'],
        /"msg":"amiwatch started"/,
      );
      const lines = server.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { level: string; msg: string; url?: string });
      assert.deepEqual(
        lines.filter((l) => l.msg.startsWith('init:')).map((l) => l.msg),
        [
          'init: bus audit',
          'init: topic ami-events',
          'init: queue ami-copy',
          'init: queue ami-dlq',
          'init: subscription sqs:ami-copy to ami-events',
          // The topic target's policy gets AWS's console statement once; the second run finds it.
          ...(run === 0 ? ['init: policy of arn:aws:sns:us-east-1:000000000000:ami-events lets rule to-topic deliver'] : []),
          'init: rule to-topic on bus default → topic',
          'init: rule ami-available on bus default → to-audit',
          'init: rule everything on bus audit',
        ],
      );
      const url = lines.find((l) => l.url)!.url!;
      const client = new EventBridgeClient({ endpoint: url, region: 'us-east-1', credentials });
      const targets = await client.send(new ListTargetsByRuleCommand({ Rule: 'ami-available' }));
      assert.deepEqual(
        targets.Targets?.map((t) => t.Arn),
        ['arn:aws:events:us-east-1:000000000000:event-bus/audit'],
      );
      assert.equal((await client.send(new ListRulesCommand({ EventBusName: 'audit' }))).Rules?.length, 1);
      const topicTargets = await client.send(new ListTargetsByRuleCommand({ Rule: 'to-topic' }));
      assert.deepEqual(
        topicTargets.Targets?.map((t) => [t.Arn, t.DeadLetterConfig?.Arn, t.RetryPolicy?.MaximumRetryAttempts]),
        [['arn:aws:sns:us-east-1:000000000000:ami-events', 'arn:aws:sqs:us-east-1:000000000000:ami-dlq', 3]],
      );
      client.destroy();
      const status = await box.run(['--endpoint-url', url, 'status', '--json']);
      assert.deepEqual(JSON.parse(status.stdout).deadLetterQueues, [{ arn: 'arn:aws:sqs:us-east-1:000000000000:ami-dlq', depth: 0 }]);
      assert.deepEqual(JSON.parse(status.stdout).resources, { topics: 1, subscriptions: 1, queues: 2, functions: 0 });
      assert.equal(await server.stop('SIGINT'), 0);
    }
  });

  it('a broken init file stops the start with exit 2 and where the mistake is', async () => {
    writeFileSync(join(box.dir, 'bad.json'), '{"rules":[{"name":"r","pattern":{"source":[]}}],"topicz":[]}');
    const unknown = await box.run(['start', '--in-memory', '--port', '0', '--init', 'bad.json']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--init bad\.json: topicz: unknown section; known: buses, topics/);
    writeFileSync(join(box.dir, 'bad.json'), '{"functions":[{"name":"f","zip":"missing.zip"}]}');
    const zip = await box.run(['start', '--in-memory', '--port', '0', '--init', 'bad.json']);
    assert.equal(zip.code, 2);
    assert.match(zip.stderr, /--init: function f: cannot read .*missing\.zip \(ENOENT\)/);
    writeFileSync(join(box.dir, 'bad.json'), '{"rules":[{"name":"r","pattern":{"source":[]}}]}');
    const invalid = await box.run(['start', '--in-memory', '--port', '0', '--init', 'bad.json']);
    assert.equal(invalid.code, 4);
    assert.match(invalid.stderr, /--init: InvalidEventPatternException: Event pattern is not valid\. Reason: Empty arrays are not allowed/);
  });
});
