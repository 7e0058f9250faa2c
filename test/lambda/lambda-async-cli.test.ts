import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { awsCliJson, awsCliSkip as skip } from '../support/aws-cli.js';
import { ROLE, until, zipOf } from './helpers.js';

/**
 * The new asynchronous-invocation operations with the AWS CLI v2 over a real socket: event invoke
 * configuration, reserved concurrency, and an `invoke --invocation-type Event` whose function
 * fails, is retried by Lambda's schedule (the server's clock is moved past each wait) and whose
 * record arrives on the OnFailure queue, read back with `sqs receive-message`.
 */
const clock = new ManualClock(Date.now());
let app: App;
let dir: string;

const aws = awsCliJson(
  () => app.url,
  () => dir,
);

describe('AWS CLI v2: asynchronous invocation, destinations and concurrency', { skip }, () => {
  before(async () => {
    app = await startTestServer({}, { clock });
    dir = await mkdtemp(join(tmpdir(), 'amiwatch-lambda-async-cli-'));
    await writeFile(join(dir, 'fail.zip'), zipOf({ 'index.js': 'exports.handler = async (e) => { throw new Error("no " + e.image); };' }));
  });
  after(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('configures, fails, retries on schedule and delivers the OnFailure record', { timeout: 120_000 }, async () => {
    const [fn, q] = await Promise.all([
      aws(
        'lambda',
        'create-function',
        '--function-name',
        'cli-async',
        '--runtime',
        'nodejs20.x',
        '--handler',
        'index.handler',
        '--role',
        ROLE,
        '--zip-file',
        'fileb://fail.zip',
      ),
      aws('sqs', 'create-queue', '--queue-name', 'cli-failures'),
    ]);
    assert.equal(fn.code, 0, fn.stderr);
    assert.equal(q.code, 0, q.stderr);
    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:cli-failures';
    const put = await aws(
      'lambda',
      'put-function-event-invoke-config',
      '--function-name',
      'cli-async',
      '--maximum-retry-attempts',
      '1',
      '--destination-config',
      JSON.stringify({ OnFailure: { Destination: queueArn } }),
    );
    assert.equal(put.code, 0, put.stderr);
    assert.equal(put.out.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:cli-async:$LATEST');
    assert.equal(put.out.MaximumRetryAttempts, 1);
    assert.equal(typeof put.out.LastModified, 'string', 'the CLI prints the timestamp it parsed');

    const [bad, upd, conc] = await Promise.all([
      aws('lambda', 'put-function-event-invoke-config', '--function-name', 'cli-async', '--maximum-retry-attempts', '5'),
      aws('lambda', 'update-function-event-invoke-config', '--function-name', 'cli-async', '--maximum-event-age-in-seconds', '600'),
      aws('lambda', 'put-function-concurrency', '--function-name', 'cli-async', '--reserved-concurrent-executions', '5'),
    ]);
    assert.notEqual(bad.code, 0);
    assert.match(
      bad.stderr,
      /ValidationException.*Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2/,
    );
    assert.equal(upd.out.MaximumEventAgeInSeconds, 600);
    assert.equal(upd.out.MaximumRetryAttempts, 1);
    assert.equal(conc.out.ReservedConcurrentExecutions, 5);
    const [get, list, getConc] = await Promise.all([
      aws('lambda', 'get-function-event-invoke-config', '--function-name', 'cli-async'),
      aws('lambda', 'list-function-event-invoke-configs', '--function-name', 'cli-async'),
      aws('lambda', 'get-function-concurrency', '--function-name', 'cli-async'),
    ]);
    assert.equal(get.out.DestinationConfig.OnFailure.Destination, queueArn);
    assert.equal(list.out.FunctionEventInvokeConfigs.length, 1);
    assert.equal(getConc.out.ReservedConcurrentExecutions, 5);

    const inv = await aws(
      'lambda',
      'invoke',
      '--function-name',
      'cli-async',
      '--invocation-type',
      'Event',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"image":"ami-cli"}',
      'out.json',
    );
    assert.equal(inv.code, 0, inv.stderr);
    assert.equal(inv.out.StatusCode, 202);
    const busArn = 'arn:aws:lambda:us-east-1:000000000000:function:cli-async';
    const job = async () => (await app.store.readEvents({ busArn, limit: 1 }))[0]?.deliveries[0];
    await until(async () => ((await job())?.attempts === 1 ? true : undefined));
    await app.worker.jobsIdle();
    clock.advance(60_000);
    app.worker.wake();
    await until(async () => ((await job())?.status === 'failed' ? true : undefined));
    assert.equal((await job())!.attempts, 2);

    const msg = await aws('sqs', 'receive-message', '--queue-url', `${app.url}/000000000000/cli-failures`);
    assert.equal(msg.code, 0, msg.stderr);
    const record = JSON.parse(msg.out.Messages[0].Body);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 2);
    assert.deepEqual(record.requestPayload, { image: 'ami-cli' });
    assert.equal(record.responsePayload.errorMessage, 'no ami-cli');

    const [del, delConc] = await Promise.all([
      aws('lambda', 'delete-function-event-invoke-config', '--function-name', 'cli-async'),
      aws('lambda', 'delete-function-concurrency', '--function-name', 'cli-async'),
    ]);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(delConc.code, 0, delConc.stderr);
    const gone = await aws('lambda', 'get-function-event-invoke-config', '--function-name', 'cli-async');
    assert.match(gone.stderr, /ResourceNotFoundException.*doesn't have an EventInvokeConfig/);
  });
});
