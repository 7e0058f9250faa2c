import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { awsCliEnv, awsCliSkip as skip, awsCliV2 as AWS } from '../support/aws-cli.js';

/**
 * The real AWS CLI v2 against CloudTrail: every operation once (the CLI sends botocore's long
 * target prefix, `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>`, where the
 * SDK v3 sends the short one). ~1.6 s of Python start-up per call: one pass, in order.
 */
const run = promisify(execFile);
let app: App;

before(async () => {
  if (!skip) app = await startTestServer();
});
after(() => app?.close());

async function aws(...args: string[]): Promise<{ code: number; json: any; err: string }> {
  try {
    const { stdout, stderr } = await run(AWS, ['--endpoint-url', app.url, '--output', 'json', ...args], { env: awsCliEnv() });
    return { code: 0, json: stdout.trim() ? JSON.parse(stdout) : null, err: stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, json: null, err: err.stderr };
  }
}

test('AWS CLI v2: a trail created, logging, looked up, updated, stopped and deleted', { skip, timeout: 90_000 }, async () => {
  const created = await aws('cloudtrail', 'create-trail', '--name', 'cli-trail', '--s3-bucket-name', 'audit-logs');
  assert.equal(created.code, 0, created.err);
  assert.equal(created.json.TrailARN, 'arn:aws:cloudtrail:us-east-1:000000000000:trail/cli-trail');
  assert.equal((await aws('cloudtrail', 'start-logging', '--name', 'cli-trail')).code, 0);
  const status = await aws('cloudtrail', 'get-trail-status', '--name', 'cli-trail');
  assert.equal(status.json.IsLogging, true);
  assert.equal((await aws('cloudtrail', 'describe-trails')).json.trailList[0].Name, 'cli-trail');
  assert.equal((await aws('cloudtrail', 'get-trail', '--name', 'cli-trail')).json.Trail.S3BucketName, 'audit-logs');
  assert.deepEqual(
    (await aws('cloudtrail', 'list-trails')).json.Trails.map((t: { Name: string }) => t.Name),
    ['cli-trail'],
  );
  const updated = await aws('cloudtrail', 'update-trail', '--name', 'cli-trail', '--is-multi-region-trail');
  assert.equal(updated.json.IsMultiRegionTrail, true, updated.err);
  const looked = await aws(
    'cloudtrail',
    'lookup-events',
    '--lookup-attributes',
    'AttributeKey=EventName,AttributeValue=UpdateTrail',
    '--max-results',
    '5',
  );
  assert.equal(looked.code, 0, looked.err);
  assert.equal(looked.json.Events.length, 1);
  const record = JSON.parse(looked.json.Events[0].CloudTrailEvent);
  assert.equal(record.eventSource, 'cloudtrail.amazonaws.com');
  assert.deepEqual(record.requestParameters, { name: 'cli-trail', isMultiRegionTrail: true });
  assert.match(record.userAgent, /^aws-cli\/2\./);
  assert.equal((await aws('cloudtrail', 'stop-logging', '--name', 'cli-trail')).code, 0);
  assert.equal((await aws('cloudtrail', 'delete-trail', '--name', 'cli-trail')).code, 0);
  const gone = await aws('cloudtrail', 'get-trail-status', '--name', 'cli-trail');
  assert.equal(gone.code, 254);
  assert.match(gone.err, /TrailNotFoundException.*Unknown trail: cli-trail for the user: 000000000000/);
});
