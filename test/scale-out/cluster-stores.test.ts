import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudTrailClient, CreateTrailCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateArchiveCommand, DescribeArchiveCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { sdkClient } from '../e2e/helpers.js';
import { sqsClient, waitFor } from '../notify/helpers.js';
import { inProcess } from '../support/in-process.js';
import { startTwoNodes, type TwoNodes } from '../support/two-node-cluster.js';

/**
 * The stores that were node-local before: CloudWatch Logs, CloudTrail and EventBridge archives
 * live on the JetStream cluster, so two nodes show the same log groups, trails, recorded calls
 * and archived events, whichever node took the write.
 */
let nodes: TwoNodes;
let a: App;
let b: App;
const ctx = { accountId: '000000000000', region: 'us-east-1' } as const;

before(async () => {
  nodes = await startTwoNodes('cluster-stores');
  ({ a, b } = nodes);
});
after(() => nodes?.close());

const logs = (app: App) => new CloudWatchLogsClient(inProcess(app));
const trail = (app: App) => new CloudTrailClient(inProcess(app));

test('a log group created on one node is listed on the other; events put through it are read through the first', {
  timeout: 20_000,
}, async () => {
  await logs(a).send(new CreateLogGroupCommand({ logGroupName: '/cluster/app' }));
  const listed = await logs(b).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cluster/' }));
  assert.deepEqual(
    listed.logGroups?.map((g) => g.logGroupName),
    ['/cluster/app'],
  );
  await logs(b).send(new CreateLogStreamCommand({ logGroupName: '/cluster/app', logStreamName: 's1' }));
  const now = Date.now();
  await logs(b).send(
    new PutLogEventsCommand({
      logGroupName: '/cluster/app',
      logStreamName: 's1',
      logEvents: [
        { timestamp: now, message: 'first' },
        { timestamp: now + 1, message: 'second' },
      ],
    }),
  );
  const got = await logs(a).send(new GetLogEventsCommand({ logGroupName: '/cluster/app', logStreamName: 's1', startFromHead: true }));
  assert.deepEqual(
    got.events?.map((e) => e.message),
    ['first', 'second'],
  );
});

test('a trail started on one node records the calls the other node serves', { timeout: 20_000 }, async () => {
  await trail(a).send(new CreateTrailCommand({ Name: 'cluster-trail', S3BucketName: 'cluster-trail-logs' }));
  await trail(a).send(new StartLoggingCommand({ Name: 'cluster-trail' }));
  await waitFor(() => (b.cloudtrail.recorder.watching({ ...ctx, requestId: 'r' } as never) ? true : undefined), 'node b follows the trail');
  await sqsClient(b).send(new CreateQueueCommand({ QueueName: 'recorded-on-b' }));
  const found = await waitFor(async () => {
    const r = await trail(a).send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateQueue' }] }),
    );
    return r.Events?.length ? r.Events : undefined;
  }, 'the CreateQueue call in the event history read through node a');
  assert.equal(found.length, 1);
  assert.match(found[0]!.CloudTrailEvent!, /recorded-on-b/);
});

test('an archive created on one node keeps the events put through the other', { timeout: 20_000 }, async () => {
  const busArn = `arn:aws:events:us-east-1:${ctx.accountId}:event-bus/default`;
  const { ArchiveArn } = await sdkClient(a).send(
    new CreateArchiveCommand({
      ArchiveName: 'cluster-archive',
      EventSourceArn: busArn,
      EventPattern: JSON.stringify({ source: ['cluster.archive'] }),
    }),
  );
  await waitFor(() => b.events.archives.docs.get(ArchiveArn!), 'node b knows the archive');
  await waitFor(
    () => (b.events.state.bus(ctx.accountId, ctx.region, 'default')?.rules.get('Events-Archive-cluster-archive') ? true : undefined),
    "node b has the archive's managed rule",
  );
  const put = await sdkClient(b).send(
    new PutEventsCommand({
      Entries: [1, 2, 3].map((n) => ({ Source: 'cluster.archive', DetailType: 't', Detail: JSON.stringify({ n }) })),
    }),
  );
  assert.equal(put.FailedEntryCount, 0);
  const count = await waitFor(async () => {
    const d = await sdkClient(a).send(new DescribeArchiveCommand({ ArchiveName: 'cluster-archive' }));
    return d.EventCount === 3 ? d.EventCount : undefined;
  }, 'three events in the archive, read through node a');
  assert.equal(count, 3);
});
