import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { App } from '../../src/server/app.js';
import { startTestServer } from './helpers.js';
import { awsCliEnv, awsCliSkip as skip, awsCliV2 as AWS } from '../support/aws-cli.js';

/**
 * The real AWS CLI v2 (Debian's awscli, /usr/bin/aws — it ignores AWS_ENDPOINT_URL, hence
 * --endpoint-url). Each call costs ~1.6 s of Python start-up, so the calls are few.
 */
const run = promisify(execFile);
const GUIDE_PATTERN = '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}';
let app: App;

before(async () => {
  if (!skip) app = await startTestServer();
});
after(() => app?.close());

async function aws(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = awsCliEnv();
  try {
    const { stdout, stderr } = await run(AWS, ['--endpoint-url', app.url, '--output', 'json', ...args], { env });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout, err: err.stderr };
  }
}

test("AWS CLI v2: the guide's rule created, listed, described, disabled, enabled, deleted", { skip, timeout: 60_000 }, async () => {
  const put = await aws('events', 'put-rule', '--name', 'ami-available', '--event-pattern', GUIDE_PATTERN);
  assert.equal(put.code, 0, put.err);
  assert.equal(JSON.parse(put.out).RuleArn, 'arn:aws:events:us-east-1:000000000000:rule/ami-available');
  await aws('events', 'put-rule', '--name', 'ami-failed', '--event-pattern', GUIDE_PATTERN.replace('available', 'failed'));
  await aws('events', 'put-rule', '--name', 'ami-deregistered', '--event-pattern', GUIDE_PATTERN.replace('available', 'deregistered'));
  // --page-size 1: the CLI sends Limit=1 and follows NextToken until the last page.
  const listed = await aws('events', 'list-rules', '--name-prefix', 'ami-', '--page-size', '1');
  assert.equal(listed.code, 0, listed.err);
  assert.deepEqual(
    JSON.parse(listed.out).Rules.map((r: { Name: string }) => r.Name),
    ['ami-available', 'ami-deregistered', 'ami-failed'],
  );
  assert.equal((await aws('events', 'disable-rule', '--name', 'ami-available')).code, 0);
  const described = JSON.parse((await aws('events', 'describe-rule', '--name', 'ami-available')).out);
  assert.equal(described.State, 'DISABLED');
  assert.equal(described.EventPattern, GUIDE_PATTERN);
  assert.equal((await aws('events', 'enable-rule', '--name', 'ami-available')).code, 0);
  assert.equal((await aws('events', 'delete-rule', '--name', 'ami-available')).code, 0);
  const gone = await aws('events', 'describe-rule', '--name', 'ami-available');
  assert.equal(gone.code, 254);
  assert.match(
    gone.err,
    /An error occurred \(ResourceNotFoundException\) when calling the DescribeRule operation: Rule ami-available does not exist on EventBus default\./,
  );
});

test("AWS CLI v2: an invalid pattern gets the engine's AWS text", { skip, timeout: 30_000 }, async () => {
  const bad = await aws('events', 'put-rule', '--name', 'bad', '--event-pattern', '{"detail":{"State":"available"}}');
  assert.equal(bad.code, 254);
  assert.match(
    bad.err,
    /\(InvalidEventPatternException\) when calling the PutRule operation: Event pattern is not valid\. Reason: "State" must be an object or an array/,
  );
});
