import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateImageCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateTopicCommand, DeleteTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { App } from '../../src/server/app.js';
import { readEventStream } from '../../console/src/api/sse.js';
import { changeOfWrite } from '../../src/storage/change-publishing.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { runningInstance } from '../support/ec2-instance.js';

/**
 * /_amiwatch/changes: every committed resource write, whoever made it (here the AWS SDK), as
 * server-sent events scoped to one account and region, a burst batched into one message.
 */
interface Change {
  service: string;
  kind: string;
  id: string;
  action: string;
}

let app: App;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
before(async () => {
  app = await startTestServer();
});
after(() => app.close());

/** Reads the stream into `seen` until aborted (with the console's own reader). */
async function follow(query: string, seen: Change[][], signal: AbortSignal): Promise<void> {
  const res = await fetch(`${app.url}/_amiwatch/changes?${query}`, { signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  try {
    await readEventStream(res, (type, data) => type === 'change' && seen.push((JSON.parse(data) as { changes: Change[] }).changes));
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}

async function until(what: string, ok: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`never saw ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('changes made through the AWS SDK reach the stream of their account and region only', { timeout: 20_000 }, async () => {
  const here: Change[][] = [];
  const there: Change[][] = [];
  const stop = new AbortController();
  const reading = [
    follow('account=000000000000&region=us-east-1', here, stop.signal),
    follow('account=000000000000&region=eu-west-1', there, stop.signal),
  ];
  await new Promise((r) => setTimeout(r, 100));
  const config = { endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 };
  const ec2 = new EC2Client(config);
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const events = sdkClient(app);
  try {
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'from-the-sdk' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'live-topic' }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'live-queue' }));
    for (let i = 0; i < 20; i++) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    await events.send(new PutRuleCommand({ Name: 'live-rule', EventPattern: '{"source":["x"]}' }));
    const all = () => here.flat();
    await until('the rule', () => all().some((c) => c.service === 'events' && c.kind === 'rule' && c.id.endsWith(':rule/live-rule')));
    assert.ok(
      all().some((c) => c.service === 'ec2' && c.kind === 'image' && c.id === ImageId && c.action === 'put'),
      'the image',
    );
    assert.ok(
      all().some((c) => c.service === 'ec2' && c.kind === 'instance' && c.id.startsWith('i-') && c.action === 'put'),
      'the instance the image was made of',
    );
    assert.ok(all().some((c) => c.kind === 'topic' && c.id === TopicArn && c.action === 'put'));
    assert.ok(all().some((c) => c.kind === 'topic' && c.id === TopicArn && c.action === 'delete'));
    const messages = all().filter((c) => c.service === 'sqs' && c.kind === 'message');
    // Twenty sends in a burst: the queue is named once per 200 ms batch, not twenty times.
    assert.ok(messages.length >= 1 && messages.length < 20, `${messages.length} message changes`);
    assert.ok(messages.every((c) => c.id === 'arn:aws:sqs:us-east-1:000000000000:live-queue'));
    assert.deepEqual(there.flat(), [], 'nothing of us-east-1 in eu-west-1');
  } finally {
    stop.abort();
    await Promise.allSettled(reading);
    ec2.destroy();
    sns.destroy();
    sqs.destroy();
    events.destroy();
  }
});

test('a write names its resource, account and region from its ARN key; other keys are unscoped', () => {
  assert.deepEqual(changeOfWrite({ kind: 'sqs.message', key: 'arn:aws:sqs:eu-west-1:111122223333:q#0000000000000007', doc: null }), {
    service: 'sqs',
    kind: 'message',
    account: '111122223333',
    region: 'eu-west-1',
    id: 'arn:aws:sqs:eu-west-1:111122223333:q',
    action: 'delete',
  });
  assert.deepEqual(changeOfWrite({ kind: 'sqs.move-task', key: '5e1c0b7a', doc: '{}' }), {
    service: 'sqs',
    kind: 'move-task',
    account: '*',
    region: '*',
    id: '5e1c0b7a',
    action: 'put',
  });
});

test('CloudWatch Logs writes through the SDK: groups and streams, and events appended, reach the stream', { timeout: 20_000 }, async () => {
  const seen: Change[][] = [];
  const stop = new AbortController();
  const reading = follow('account=000000000000&region=us-east-1', seen, stop.signal);
  await new Promise((r) => setTimeout(r, 100));
  const logs = new CloudWatchLogsClient({ endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const group = 'arn:aws:logs:us-east-1:000000000000:log-group:/live/group';
  const stream = `${group}:log-stream:web`;
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/live/group' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/live/group', logStreamName: 'web' }));
    const all = () => seen.flat();
    await until('the stream', () => all().some((c) => c.kind === 'log-stream' && c.id === stream && c.action === 'put'));
    const before = all().length;
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/live/group',
        logStreamName: 'web',
        logEvents: [{ timestamp: Date.now(), message: 'one' }],
      }),
    );
    await until('the events appended', () =>
      all()
        .slice(before)
        .some((c) => c.kind === 'log-stream' && c.id === stream),
    );
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/live/group' }));
    await until('the group deleted', () =>
      all().some((c) => c.service === 'logs' && c.kind === 'log-group' && c.id === group && c.action === 'delete'),
    );
    assert.ok(
      all().some((c) => c.kind === 'log-group' && c.id === group && c.action === 'put'),
      'the group created',
    );
  } finally {
    stop.abort();
    await reading.catch(() => undefined);
    logs.destroy();
  }
});

test("a multi-region trail's writes reach every region's stream; a single-region trail's only its own", { timeout: 20_000 }, async () => {
  const west: Change[][] = [];
  const stop = new AbortController();
  const reading = follow('account=000000000000&region=eu-west-1', west, stop.signal);
  await new Promise((r) => setTimeout(r, 100));
  const trail = new CloudTrailClient({ endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const local = await trail.send(new CreateTrailCommand({ Name: 'local', S3BucketName: 'audit-logs' }));
    const everywhere = await trail.send(
      new CreateTrailCommand({ Name: 'everywhere', S3BucketName: 'audit-logs', IsMultiRegionTrail: true }),
    );
    await trail.send(new StartLoggingCommand({ Name: 'everywhere' }));
    const all = () => west.flat();
    await until('the multi-region trail', () => all().some((c) => c.service === 'cloudtrail' && c.id === everywhere.TrailARN));
    assert.ok(!all().some((c) => c.id === local.TrailARN), 'the us-east-1 trail stays in us-east-1');
  } finally {
    stop.abort();
    await reading.catch(() => undefined);
    trail.destroy();
  }
});
