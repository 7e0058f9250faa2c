import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../src/core/shared/clock.js';
import { ROLE, zipOf } from '../lambda/helpers.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';

/** CloudWatch Logs through `@aws-sdk/client-cloudwatch-logs`, in-process; time is a manual clock. */
const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
let app: App;
let logs: CloudWatchLogsClient;
const clock = new ManualClock(T0);

before(async () => {
  app = await startTestServer({}, { clock });
  logs = new CloudWatchLogsClient(inProcess(app));
});
after(async () => {
  logs.destroy();
  await app.close();
});

const put = (group: string, stream: string, events: { timestamp: number; message: string }[]) =>
  logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }));

describe('CloudWatch Logs API through the AWS SDK', () => {
  it('creates, describes (prefix, pattern, pages) and deletes log groups with AWS errors', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/one', tags: { team: 'ami' } }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/two' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/other' }));
    await assert.rejects(logs.send(new CreateLogGroupCommand({ logGroupName: '/app/one' })), {
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log group already exists',
    });
    await assert.rejects(
      logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name' })),
      (e: Error) =>
        e.name === 'InvalidParameterException' &&
        /1 validation error detected: Value 'bad name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern/.test(
          e.message,
        ),
    );
    const all = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/' }));
    assert.deepEqual(
      all.logGroups!.map((g) => g.logGroupName),
      ['/app/one', '/app/two'],
    );
    const g = all.logGroups![0]!;
    assert.equal(g.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/app/one:*');
    assert.equal(g.logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/app/one');
    assert.equal(g.creationTime, T0);
    assert.equal(g.retentionInDays, undefined);
    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 2 }));
    assert.equal(first.logGroups!.length, 2);
    const rest = await logs.send(new DescribeLogGroupsCommand({ limit: 2, nextToken: first.nextToken }));
    assert.deepEqual(
      rest.logGroups!.map((x) => x.logGroupName),
      ['/other'],
    );
    assert.equal(rest.nextToken, undefined);
    assert.deepEqual(
      (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'APP' }))).logGroups!.map((x) => x.logGroupName),
      ['/app/one', '/app/two'],
    );
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/other' }));
    await assert.rejects(logs.send(new DeleteLogGroupCommand({ logGroupName: '/other' })), {
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });

  it('tags with TagResource/ListTagsForResource/UntagResource and the older TagLogGroup/ListTagsLogGroup/UntagLogGroup', async () => {
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/app/one';
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'dev' } }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'ami', env: 'dev' });
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    await logs.send(new TagLogGroupCommand({ logGroupName: '/app/one', tags: { owner: 'me' } }));
    await logs.send(new UntagLogGroupCommand({ logGroupName: '/app/one', tags: ['env'] }));
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/app/one' }))).tags, { owner: 'me' });
    await assert.rejects(
      logs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/nope' })),
      { name: 'ResourceNotFoundException' },
    );
  });

  it('creates streams, puts events (order, rejected old/new events), and reads them with GetLogEvents tokens both ways', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/app/one', logStreamName: 's1' }));
    await assert.rejects(logs.send(new CreateLogStreamCommand({ logGroupName: '/app/one', logStreamName: 's1' })), {
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log stream already exists',
    });
    await assert.rejects(put('/app/one', 'nope', [{ timestamp: T0, message: 'x' }]), {
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    await assert.rejects(
      put('/app/one', 's1', [
        { timestamp: T0, message: 'b' },
        { timestamp: T0 - 1, message: 'a' },
      ]),
      { name: 'InvalidParameterException', message: 'Log events in a single PutLogEvents request must be in chronological order.' },
    );
    const old = await put('/app/one', 's1', [{ timestamp: T0 - 15 * 86_400_000, message: 'too old' }]);
    assert.deepEqual(old.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
    const r = await put('/app/one', 's1', [
      ...[1, 2, 3, 4, 5].map((i) => ({ timestamp: T0 + i, message: `line ${i}` })),
      { timestamp: T0 + 3 * 3600_000, message: 'too new' },
    ]);
    assert.deepEqual(r.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 5 });
    await assert.rejects(
      put('/app/one', 's1', [
        { timestamp: T0 - 2 * 86_400_000, message: 'a' },
        { timestamp: T0, message: 'b' },
      ]),
      {
        name: 'InvalidParameterException',
        message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      },
    );
    assert.ok(r.nextSequenceToken);
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: '/app/one', logStreamName: 's1', startFromHead: true, limit: 2 }));
    assert.deepEqual(
      head.events!.map((e) => e.message),
      ['line 1', 'line 2'],
    );
    assert.equal(head.events![0]!.ingestionTime, T0);
    const next = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/app/one', logStreamName: 's1', nextToken: head.nextForwardToken, limit: 10 }),
    );
    assert.deepEqual(
      next.events!.map((e) => e.message),
      ['line 3', 'line 4', 'line 5'],
    );
    const end = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/app/one', logStreamName: 's1', nextToken: next.nextForwardToken }),
    );
    assert.deepEqual(end.events, []);
    assert.equal(end.nextForwardToken, next.nextForwardToken, 'the same token at the end');
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: '/app/one', logStreamName: 's1', limit: 2 }));
    assert.deepEqual(
      tail.events!.map((e) => e.message),
      ['line 4', 'line 5'],
    );
    const back = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/app/one', logStreamName: 's1', nextToken: tail.nextBackwardToken, limit: 2 }),
    );
    assert.deepEqual(
      back.events!.map((e) => e.message),
      ['line 2', 'line 3'],
    );
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/app/one' }));
    assert.equal(streams.logStreams![0]!.logStreamName, 's1');
    assert.equal(streams.logStreams![0]!.firstEventTimestamp, T0 + 1);
    assert.equal(streams.logStreams![0]!.lastEventTimestamp, T0 + 5);
    await assert.rejects(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: '/app/one', orderBy: 'LastEventTime', logStreamNamePrefix: 's' })),
      { name: 'InvalidParameterException', message: 'Cannot order by LastEventTime with a logStreamNamePrefix.' },
    );
  });

  it('filters events across streams with text and JSON patterns, time bounds and pages', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/app/two', logStreamName: 'a' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/app/two', logStreamName: 'b' }));
    await put('/app/two', 'a', [
      { timestamp: T0 + 1, message: 'ERROR disk full' },
      { timestamp: T0 + 3, message: JSON.stringify({ state: 'available', size: 8 }) },
    ]);
    await put('/app/two', 'b', [
      { timestamp: T0 + 2, message: 'WARN slow' },
      { timestamp: T0 + 4, message: JSON.stringify({ state: 'failed', size: 80 }) },
    ]);
    const f = async (extra: Record<string, unknown>) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: '/app/two', ...extra }))).events!.map((e) => e.message);
    assert.equal((await f({})).length, 4);
    assert.deepEqual(await f({ filterPattern: '?ERROR ?WARN' }), ['ERROR disk full', 'WARN slow']);
    assert.deepEqual(await f({ filterPattern: 'ERROR -slow' }), ['ERROR disk full']);
    assert.deepEqual(await f({ filterPattern: '{ $.state = "avail*" || $.size > 50 }' }), [
      JSON.stringify({ state: 'available', size: 8 }),
      JSON.stringify({ state: 'failed', size: 80 }),
    ]);
    assert.deepEqual(await f({ logStreamNames: ['b'], startTime: T0 + 3 }), [JSON.stringify({ state: 'failed', size: 80 })]);
    const p1 = await logs.send(new FilterLogEventsCommand({ logGroupName: '/app/two', limit: 3 }));
    assert.equal(p1.events!.length, 3);
    assert.equal(p1.events![0]!.logStreamName, 'a');
    const p2 = await logs.send(new FilterLogEventsCommand({ logGroupName: '/app/two', limit: 3, nextToken: p1.nextToken }));
    assert.deepEqual(
      p2.events!.map((e) => e.timestamp),
      [T0 + 4],
    );
    assert.equal(p2.nextToken, undefined);
    await assert.rejects(logs.send(new FilterLogEventsCommand({ logGroupName: '/app/two', filterPattern: '{ $.a = }' })), {
      name: 'InvalidParameterException',
    });
  });

  it('keeps events only for the retention period; DeleteRetentionPolicy; retention values are checked', async () => {
    await assert.rejects(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/two', retentionInDays: 2 })),
      (e: Error) =>
        e.name === 'InvalidParameterException' &&
        e.message.includes("Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5"),
    );
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/two', retentionInDays: 1 }));
    assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/two' }))).logGroups![0]!.retentionInDays, 1);
    clock.advance(2 * 86_400_000);
    assert.deepEqual((await logs.send(new FilterLogEventsCommand({ logGroupName: '/app/two' }))).events, []);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/app/two' }));
    assert.equal(
      (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/two' }))).logGroups![0]!.retentionInDays,
      undefined,
    );
    await logs.send(new DeleteLogStreamCommand({ logGroupName: '/app/two', logStreamName: 'a' }));
    assert.deepEqual(
      (await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/app/two' }))).logStreams!.map((s) => s.logStreamName),
      ['b'],
    );
  });

  it('a Node.js function writes /aws/lambda/NAME: one stream per process named YYYY/MM/DD/[$LATEST]hex, START/output/END/REPORT as events', async () => {
    const lambda = new LambdaClient(inProcess(app));
    try {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'node-logs',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => { console.log("hello", e.n); return e.n; };' }) },
        }),
      );
      await lambda.send(new InvokeCommand({ FunctionName: 'node-logs', Payload: Buffer.from('{"n":1}') }));
      await lambda.send(new InvokeCommand({ FunctionName: 'node-logs', Payload: Buffer.from('{"n":2}') }));
      const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/node-logs' }))).logStreams!;
      assert.equal(streams.length, 1, 'the warm process keeps its stream');
      assert.match(streams[0]!.logStreamName!, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      const events = (
        await logs.send(
          new GetLogEventsCommand({
            logGroupName: '/aws/lambda/node-logs',
            logStreamName: streams[0]!.logStreamName!,
            startFromHead: true,
          }),
        )
      ).events!.map((e) => e.message!);
      assert.equal(events.length, 8);
      assert.match(events[0]!, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
      assert.match(events[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tINFO\thello 1$/);
      assert.match(events[2]!, /^END RequestId: /);
      assert.match(events[3]!, /^REPORT RequestId: .*Init Duration/);
      assert.match(events[5]!, /\tINFO\thello 2$/);
      assert.doesNotMatch(events[7]!, /Init Duration/);
      const matched = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/node-logs', filterPattern: '"hello 2"' }));
      assert.equal(matched.events!.length, 1);
    } finally {
      lambda.destroy();
    }
  });
});
