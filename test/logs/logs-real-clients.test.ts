import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { until } from '../lambda/helpers.js';
import { awsCliEnv, awsCliSkip as skip, awsCliV2 as AWS } from '../support/aws-cli.js';

/**
 * CloudWatch Logs with the clients its users run: the AWS CLI v2 (`aws logs …`, including
 * `tail --since` and `tail --follow`, which exist only in v2), boto3 for every operation, and the
 * SDK v3 over a real socket.
 */
const run = promisify(execFile);
let app: App;
let sdk: CloudWatchLogsClient;

async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(AWS, ['--endpoint-url', app.url, '--output', 'json', ...args], { env: awsCliEnv() });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

before(async () => {
  app = await startTestServer();
  sdk = new CloudWatchLogsClient({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
after(async () => {
  sdk.destroy();
  await app.close();
});

describe('CloudWatch Logs with real clients', () => {
  it('AWS CLI v2: create-log-group, put-retention-policy, create-log-stream, put-log-events, get/filter-log-events, errors', {
    skip,
    timeout: 60_000,
  }, async () => {
    assert.equal((await aws('logs', 'create-log-group', '--log-group-name', '/cli/app', '--tags', 'team=ami')).code, 0);
    const dup = await aws('logs', 'create-log-group', '--log-group-name', '/cli/app');
    assert.equal(dup.code, 254);
    assert.match(
      dup.stderr,
      /An error occurred \(ResourceAlreadyExistsException\) when calling the CreateLogGroup operation: The specified log group already exists/,
    );
    assert.equal((await aws('logs', 'put-retention-policy', '--log-group-name', '/cli/app', '--retention-in-days', '7')).code, 0);
    assert.equal((await aws('logs', 'create-log-stream', '--log-group-name', '/cli/app', '--log-stream-name', 'web')).code, 0);
    const now = Date.now();
    const put = await aws(
      'logs',
      'put-log-events',
      '--log-group-name',
      '/cli/app',
      '--log-stream-name',
      'web',
      '--log-events',
      `timestamp=${now},message="ERROR disk full"`,
      `timestamp=${now + 1},message="INFO ok"`,
    );
    assert.equal(put.code, 0, put.stderr);
    const got = JSON.parse(
      (await aws('logs', 'get-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'web', '--start-from-head')).stdout,
    ) as { events: { message: string }[] };
    assert.deepEqual(
      got.events.map((e) => e.message),
      ['ERROR disk full', 'INFO ok'],
    );
    const filtered = JSON.parse(
      (await aws('logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', 'ERROR')).stdout,
    ) as { events: { message: string; logStreamName: string }[] };
    assert.deepEqual(
      filtered.events.map((e) => [e.logStreamName, e.message]),
      [['web', 'ERROR disk full']],
    );
    const groups = JSON.parse((await aws('logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/')).stdout) as {
      logGroups: { logGroupName: string; retentionInDays: number }[];
    };
    assert.deepEqual(
      groups.logGroups.map((g) => [g.logGroupName, g.retentionInDays]),
      [['/cli/app', 7]],
    );
    const tags = JSON.parse(
      (await aws('logs', 'list-tags-for-resource', '--resource-arn', 'arn:aws:logs:us-east-1:000000000000:log-group:/cli/app')).stdout,
    ) as { tags: Record<string, string> };
    assert.deepEqual(tags.tags, { team: 'ami' });
  });

  it('AWS CLI v2: describe-log-streams, the tag operations old and new, delete-retention-policy, delete-log-stream, delete-log-group', {
    skip,
    timeout: 60_000,
  }, async () => {
    const ok = async (...args: string[]) => {
      const r = await aws('logs', ...args);
      assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
      return r.stdout.trim() ? JSON.parse(r.stdout) : null;
    };
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/cli/tags';
    await ok('create-log-group', '--log-group-name', '/cli/tags');
    await ok('create-log-stream', '--log-group-name', '/cli/tags', '--log-stream-name', 'a');
    await ok('create-log-stream', '--log-group-name', '/cli/tags', '--log-stream-name', 'b');
    const streams = await ok('describe-log-streams', '--log-group-name', '/cli/tags', '--log-stream-name-prefix', 'b');
    assert.deepEqual(
      streams.logStreams.map((s: { logStreamName: string; arn: string }) => [s.logStreamName, s.arn]),
      [['b', `${arn}:log-stream:b`]],
    );
    await ok('tag-resource', '--resource-arn', arn, '--tags', 'team=ami,env=dev');
    await ok('untag-resource', '--resource-arn', arn, '--tag-keys', 'env');
    await ok('tag-log-group', '--log-group-name', '/cli/tags', '--tags', 'owner=ops');
    await ok('untag-log-group', '--log-group-name', '/cli/tags', '--tags', 'team');
    assert.deepEqual((await ok('list-tags-log-group', '--log-group-name', '/cli/tags')).tags, { owner: 'ops' });
    await ok('put-retention-policy', '--log-group-name', '/cli/tags', '--retention-in-days', '14');
    await ok('delete-retention-policy', '--log-group-name', '/cli/tags');
    const group = (await ok('describe-log-groups', '--log-group-name-prefix', '/cli/tags')).logGroups[0];
    assert.equal(group.retentionInDays, undefined, 'no retention after delete-retention-policy');
    const badDays = await aws('logs', 'put-retention-policy', '--log-group-name', '/cli/tags', '--retention-in-days', '8');
    assert.equal(badDays.code, 254);
    assert.match(badDays.stderr, /InvalidParameterException/);
    await ok('delete-log-stream', '--log-group-name', '/cli/tags', '--log-stream-name', 'a');
    const gone = await aws('logs', 'delete-log-stream', '--log-group-name', '/cli/tags', '--log-stream-name', 'a');
    assert.match(
      gone.stderr,
      /\(ResourceNotFoundException\) when calling the DeleteLogStream operation: The specified log stream does not exist\./,
    );
    await ok('delete-log-group', '--log-group-name', '/cli/tags');
    const again = await aws('logs', 'delete-log-group', '--log-group-name', '/cli/tags');
    assert.match(
      again.stderr,
      /\(ResourceNotFoundException\) when calling the DeleteLogGroup operation: The specified log group does not exist\./,
    );
    assert.deepEqual((await ok('describe-log-groups', '--log-group-name-prefix', '/cli/tags')).logGroups, []);
  });

  it('AWS CLI v2: `logs tail --since 10m` prints recent events; `logs tail --follow` prints events put after it started', {
    skip,
    timeout: 60_000,
  }, async () => {
    await sdk.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/tailme' }));
    await sdk.send(
      new CreateLogStreamCommand({
        logGroupName: '/aws/lambda/tailme',
        logStreamName: '2026/12/07/[$LATEST]0123456789abcdef0123456789abcdef',
      }),
    );
    const stream = '2026/12/07/[$LATEST]0123456789abcdef0123456789abcdef';
    const now = Date.now();
    await sdk.send(
      new PutLogEventsCommand({
        logGroupName: '/aws/lambda/tailme',
        logStreamName: stream,
        logEvents: [
          { timestamp: now - 30 * 60_000, message: 'half an hour ago' },
          { timestamp: now - 60_000, message: 'a minute ago' },
        ],
      }),
    );
    const since = await aws('logs', 'tail', '/aws/lambda/tailme', '--since', '10m', '--format', 'short');
    assert.equal(since.code, 0, since.stderr);
    assert.match(since.stdout, /a minute ago/);
    assert.doesNotMatch(since.stdout, /half an hour ago/);

    const child = spawn(AWS, ['--endpoint-url', app.url, 'logs', 'tail', '/aws/lambda/tailme', '--follow', '--since', '5m'], {
      // A pipe is block-buffered in Python; a terminal would see each line as it comes.
      env: { ...awsCliEnv(), PYTHONUNBUFFERED: '1' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    try {
      await until(() => (out.includes('a minute ago') ? true : undefined), 20_000);
      await sdk.send(
        new PutLogEventsCommand({
          logGroupName: '/aws/lambda/tailme',
          logStreamName: stream,
          logEvents: [{ timestamp: Date.now(), message: 'fresh line' }],
        }),
      );
      await until(() => (out.includes('fresh line') ? true : undefined), 20_000);
      assert.match(out, new RegExp(`\\S+ ${stream.replace(/[[\]$]/g, '\\$&')} fresh line`));
      assert.equal(out.split('a minute ago').length, 2, 'an event is printed once');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('boto3: every CloudWatch Logs operation', { timeout: 60_000 }, async () => {
    const script = `
import boto3, time, json
c = boto3.client('logs', endpoint_url='${app.url}', region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
g = '/boto/app'
c.create_log_group(logGroupName=g, tags={'a': '1'})
c.create_log_stream(logGroupName=g, logStreamName='s')
now = int(time.time() * 1000)
c.put_log_events(logGroupName=g, logStreamName='s', logEvents=[{'timestamp': now, 'message': '{"level": "error", "n": 5}'}, {'timestamp': now + 1, 'message': 'plain'}])
out = {}
out['get'] = [e['message'] for e in c.get_log_events(logGroupName=g, logStreamName='s', startFromHead=True)['events']]
out['filter'] = [e['message'] for e in c.filter_log_events(logGroupName=g, filterPattern='{ $.n >= 5 && $.level = "error" }')['events']]
c.put_retention_policy(logGroupName=g, retentionInDays=30)
out['retention'] = c.describe_log_groups(logGroupNamePrefix=g)['logGroups'][0]['retentionInDays']
c.delete_retention_policy(logGroupName=g)
arn = 'arn:aws:logs:us-east-1:000000000000:log-group:' + g
c.tag_resource(resourceArn=arn, tags={'b': '2'})
c.untag_resource(resourceArn=arn, tagKeys=['a'])
c.tag_log_group(logGroupName=g, tags={'c': '3'})
c.untag_log_group(logGroupName=g, tags=['c'])
out['tags'] = c.list_tags_for_resource(resourceArn=arn)['tags']
out['tags2'] = c.list_tags_log_group(logGroupName=g)['tags']
out['streams'] = [s['logStreamName'] for s in c.describe_log_streams(logGroupName=g)['logStreams']]
c.delete_log_stream(logGroupName=g, logStreamName='s')
try:
    c.delete_log_stream(logGroupName=g, logStreamName='s')
except c.exceptions.ResourceNotFoundException as e:
    out['missing'] = str(e)
c.delete_log_group(logGroupName=g)
out['groups'] = [x['logGroupName'] for x in c.describe_log_groups()['logGroups']]
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script]);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(out.get, ['{"level": "error", "n": 5}', 'plain']);
    assert.deepEqual(out.filter, ['{"level": "error", "n": 5}']);
    assert.equal(out.retention, 30);
    assert.deepEqual(out.tags, { b: '2' });
    assert.deepEqual(out.tags2, { b: '2' });
    assert.deepEqual(out.streams, ['s']);
    assert.match(String(out.missing), /ResourceNotFoundException.*The specified log stream does not exist\./);
    assert.ok(!(out.groups as string[]).includes('/boto/app'));
  });
});
