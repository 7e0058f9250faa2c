import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';
import { lambdaClient, queueIdle, ROLE, until, zipOf } from './helpers.js';
import { allowEventsToQueue } from '../support/target-policies.js';

const ACCOUNT = '000000000000';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const THROWS = 'exports.handler = async (e) => { throw new Error("cannot tag " + e.image); };';
const ECHOES = 'exports.handler = async (e) => ({ tagged: e.image });';

/** The one asynchronous invocation job of `name` on the delivery queue. */
async function jobOf(app: App, name: string) {
  return (await app.store.readEvents({ busArn: fnArn(name), limit: 1 }))[0]?.deliveries[0];
}

async function receiveAll(sqs: SQSClient, url: string, want: number): Promise<Message[]> {
  const got: Message[] = [];
  await until(async () => {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 300 }),
    );
    got.push(...(r.Messages ?? []));
    return got.length >= want ? true : undefined;
  });
  return got;
}

describe('asynchronous invocation as Lambda does it (manual clock)', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
  let app: App;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  let eb: EventBridgeClient;
  const create = (name: string, code: string, extra: Record<string, unknown> = {}) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': code }) },
        ...extra,
      }),
    );
  const invokeEvent = (name: string, payload: unknown) =>
    lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  const queue = async (name: string) => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    return { url, arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}` };
  };
  /** Runs what is due and waits for the jobs it started (three passes: a destination may queue another job). */
  const drain = async () => {
    for (let i = 0; i < 3; i++) {
      await app.worker.runOnce();
      await app.worker.jobsIdle();
    }
  };

  before(async () => {
    app = await startTestServer({}, { clock });
    lambda = lambdaClient(app);
    sqs = new SQSClient(inProcess(app));
    eb = sdkClient(app);
  });
  after(async () => {
    lambda.destroy();
    sqs.destroy();
    eb.destroy();
    await app.close();
  });

  it('Put/Get/Update/List/DeleteFunctionEventInvokeConfig with Lambda’s limits and texts', async () => {
    await create('configured', ECHOES);
    const put = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'configured',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:failed` } },
      }),
    );
    assert.equal(put.FunctionArn, `${fnArn('configured')}:$LATEST`);
    assert.equal(put.MaximumRetryAttempts, 1);
    assert.equal(put.MaximumEventAgeInSeconds, 3600);
    assert.equal(put.LastModified?.getTime(), clock.now());
    assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: { Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:failed` } });
    // Update merges; Put replaces ("If you exclude any settings, they are removed").
    const updated = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumRetryAttempts: 0 }));
    assert.equal(updated.MaximumEventAgeInSeconds, 3600);
    assert.equal(updated.MaximumRetryAttempts, 0);
    assert.equal(updated.DestinationConfig?.OnFailure?.Destination, `arn:aws:sqs:us-east-1:${ACCOUNT}:failed`);
    const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: fnArn('configured'), Qualifier: '$LATEST' }));
    assert.equal(got.MaximumRetryAttempts, 0);
    const list = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured' }));
    assert.deepEqual(
      list.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn),
      [`${fnArn('configured')}:$LATEST`],
    );
    const replaced = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumRetryAttempts: 2 }));
    assert.equal(replaced.MaximumEventAgeInSeconds, undefined);
    assert.deepEqual(replaced.DestinationConfig, { OnSuccess: {}, OnFailure: {} });

    const refused = async (input: Record<string, unknown>, name: string, text: RegExp) =>
      assert.rejects(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured', ...input })), (e: Error) => {
        assert.equal(e.name, name);
        assert.match(e.message, text);
        return true;
      });
    await refused(
      { MaximumRetryAttempts: 3 },
      'ValidationException',
      /^1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2$/,
    );
    await refused(
      { MaximumEventAgeInSeconds: 59 },
      'ValidationException',
      /Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60/,
    );
    await refused({ MaximumEventAgeInSeconds: 21601 }, 'ValidationException', /less than or equal to 21600/);
    await refused(
      { DestinationConfig: { OnSuccess: { Destination: 'arn:aws:s3:::bucket' } } },
      'InvalidParameterValueException',
      /DestinationConfig\.OnSuccess is invalid/,
    );
    await refused({ Qualifier: '7' }, 'ResourceNotFoundException', /Function not found: .*:configured:7/);
    assert.equal(
      (await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'configured' }))).MaximumRetryAttempts,
      2,
      'a refused Put changes nothing',
    );

    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'configured' }));
    await assert.rejects(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'configured' })), (e: Error) => {
      assert.equal(e.name, 'ResourceNotFoundException');
      assert.equal(e.message, `The function ${fnArn('configured')}:$LATEST doesn't have an EventInvokeConfig`);
      return true;
    });
    await assert.rejects(lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumRetryAttempts: 1 })), {
      name: 'ResourceNotFoundException',
    });
    await assert.rejects(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'nobody', MaximumRetryAttempts: 1 })), {
      name: 'ResourceNotFoundException',
    });
  });

  it('a failing event runs 3 times (retries 1 min then 2 min later), then its record goes to OnFailure and the event to the DLQ', {
    timeout: 30_000,
  }, async () => {
    const failed = await queue('on-failure');
    const dlq = await queue('fn-dlq');
    await create('tagger', THROWS, { DeadLetterConfig: { TargetArn: dlq.arn } });
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'tagger' }))).DeadLetterConfig?.TargetArn, dlq.arn);
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'tagger', DestinationConfig: { OnFailure: { Destination: failed.arn } } }),
    );
    const queuedAt = clock.now();
    const r = await invokeEvent('tagger', { image: 'ami-1' });
    assert.equal(r.StatusCode, 202);
    await drain();
    let job = (await jobOf(app, 'tagger'))!;
    assert.deepEqual([job.status, job.attempts, job.dueAt - clock.now()], ['pending', 1, 60_000]);
    clock.advance(59_999);
    await drain();
    assert.equal((await jobOf(app, 'tagger'))!.attempts, 1, 'not retried before the minute is up');
    clock.advance(1);
    await drain();
    job = (await jobOf(app, 'tagger'))!;
    assert.deepEqual([job.status, job.attempts, job.dueAt - clock.now()], ['pending', 2, 120_000]);
    clock.advance(120_000);
    await drain();
    job = (await jobOf(app, 'tagger'))!;
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 3);
    assert.match(
      job.lastError!,
      /^RetriesExhausted after FUNCTION_ERROR: Error: cannot tag ami-1 \(sent to OnFailure .*on-failure\) \(sent to DLQ .*fn-dlq\)$/,
    );

    const [m] = await receiveAll(sqs, failed.url, 1);
    const record = JSON.parse(m!.Body!);
    assert.equal(record.version, '1.0');
    assert.equal(record.timestamp, new Date(queuedAt + 180_000).toISOString());
    assert.deepEqual(record.requestContext, {
      requestId: record.requestContext.requestId,
      functionArn: `${fnArn('tagger')}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    assert.match(record.requestContext.requestId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(record.requestPayload, { image: 'ami-1' });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal(record.responsePayload.errorType, 'Error');
    assert.equal(record.responsePayload.errorMessage, 'cannot tag ami-1');

    const [dead] = await receiveAll(sqs, dlq.url, 1);
    assert.deepEqual(JSON.parse(dead!.Body!), { image: 'ami-1' }, 'the DLQ gets the event itself');
    assert.equal(dead!.MessageAttributes?.RequestID?.StringValue, record.requestContext.requestId);
    assert.deepEqual([dead!.MessageAttributes?.ErrorCode?.DataType, dead!.MessageAttributes?.ErrorCode?.StringValue], ['Number', '200']);
    assert.equal(dead!.MessageAttributes?.ErrorMessage?.StringValue, 'Error: cannot tag ami-1');
    const series = async (name: string) => {
      const body = (await (
        await fetch(`${app.url}/_amiwatch/metrics/series?name=${name}&function=tagger&from=${queuedAt - 60_000}&to=${clock.now() + 60_000}`)
      ).json()) as { points: { value: number | null }[] };
      return body.points.reduce((sum, p) => sum + (p.value ?? 0), 0);
    };
    assert.deepEqual([await series('AsyncEventsReceived'), await series('Errors'), await series('AsyncEventsDropped')], [1, 3, 1]);
  });

  it('MaximumEventAgeInSeconds ends the retries early with EventAgeExceeded', { timeout: 30_000 }, async () => {
    const failed = await queue('aged');
    await create('short-lived', THROWS);
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'short-lived',
        MaximumEventAgeInSeconds: 90,
        DestinationConfig: { OnFailure: { Destination: failed.arn } },
      }),
    );
    await invokeEvent('short-lived', { image: 'ami-2' });
    await drain();
    clock.advance(60_000);
    await drain();
    const job = (await jobOf(app, 'short-lived'))!;
    assert.equal(job.status, 'failed', 'the second retry would start 180 s after the event arrived: past its 90 s');
    assert.equal(job.attempts, 2);
    const [m] = await receiveAll(sqs, failed.url, 1);
    assert.equal(JSON.parse(m!.Body!).requestContext.condition, 'EventAgeExceeded');
    assert.equal(JSON.parse(m!.Body!).requestContext.approximateInvokeCount, 2);
  });

  it('OnSuccess to an event bus: a rule on the bus sees "Lambda Function Invocation Result - Success" with the record as detail', {
    timeout: 30_000,
  }, async () => {
    const seen = await queue('results');
    await eb.send(
      new PutRuleCommand({
        Name: 'lambda-results',
        EventPattern: JSON.stringify({ source: ['lambda'], 'detail-type': ['Lambda Function Invocation Result - Success'] }),
      }),
    );
    await eb.send(new PutTargetsCommand({ Rule: 'lambda-results', Targets: [{ Id: 'q', Arn: seen.arn }] }));
    // As on AWS, the queue's policy must let EventBridge send to it (docs/notifications.md).
    await allowEventsToQueue(sqs, seen.url);
    await create('succeeds', ECHOES);
    const bus = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds', DestinationConfig: { OnSuccess: { Destination: bus } } }),
    );
    await invokeEvent('succeeds', { image: 'ami-3' });
    await drain();
    await drain();
    const [m] = await receiveAll(sqs, seen.url, 1);
    const event = JSON.parse(m!.Body!);
    assert.equal(event.source, 'lambda');
    assert.equal(event['detail-type'], 'Lambda Function Invocation Result - Success');
    assert.deepEqual(event.resources, [bus, `${fnArn('succeeds')}:$LATEST`]);
    assert.equal(event.detail.requestContext.condition, 'Success');
    assert.equal(event.detail.requestContext.approximateInvokeCount, 1);
    assert.deepEqual(event.detail.responsePayload, { tagged: 'ami-3' });
    assert.deepEqual(event.detail.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
  });

  it('OnSuccess to another function: it is invoked asynchronously with the record', { timeout: 30_000 }, async () => {
    await create('recorder', 'exports.handler = async (r) => { console.log("record", JSON.stringify(r.requestContext)); };');
    await create('first', ECHOES);
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'first',
        DestinationConfig: { OnSuccess: { Destination: fnArn('recorder') } },
      }),
    );
    await invokeEvent('first', { image: 'ami-4' });
    await drain();
    await drain();
    const logs = (await (await fetch(`${app.url}/_amiwatch/functions/recorder/logs`)).json()) as { events: { message: string }[] };
    assert.match(
      logs.events[0]?.message ?? '',
      /record \{"requestId":"[0-9a-f-]{36}","functionArn":"arn:aws:lambda:us-east-1:000000000000:function:first:\$LATEST","condition":"Success","approximateInvokeCount":1\}/,
    );
  });

  it('reserved concurrency 0: a synchronous call is throttled in Lambda’s words; an event waits (not dropped) and runs once concurrency is back', {
    timeout: 30_000,
  }, async () => {
    await create('held', ECHOES);
    const startedAt = clock.now();
    const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'held', ReservedConcurrentExecutions: 0 }));
    assert.equal(put.ReservedConcurrentExecutions, 0);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'held' }))).ReservedConcurrentExecutions, 0);
    assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: 'held' }))).Concurrency, {
      ReservedConcurrentExecutions: 0,
    });
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'held', Payload: Buffer.from('{}') })),
      (e: Error & { Reason?: string; $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'TooManyRequestsException');
        assert.equal(e.message, 'Rate Exceeded.');
        assert.equal(e.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
        assert.equal(e.$metadata?.httpStatusCode, 429);
        return true;
      },
    );
    await invokeEvent('held', { image: 'ami-5' });
    await drain();
    let job = (await jobOf(app, 'held'))!;
    assert.deepEqual([job.status, job.attempts], ['pending', 0], 'throttles are not attempts');
    const wait = job.dueAt - clock.now();
    assert.ok(wait >= 500 && wait <= 1000, `first throttle retry within 1 s (${wait})`);
    clock.advance(10_000);
    await drain();
    job = (await jobOf(app, 'held'))!;
    const second = job.dueAt - clock.now();
    assert.ok(second >= 5_000 && second <= 10_000, `the wait grows with the event's age (${second})`);
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'held' }));
    assert.deepEqual(
      Object.keys(await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'held' }))).filter((k) => k !== '$metadata'),
      [],
    );
    clock.advance(second);
    await drain();
    job = (await jobOf(app, 'held'))!;
    assert.deepEqual([job.status, job.attempts], ['delivered', 1]);
    const throttles = (await (
      await fetch(`${app.url}/_amiwatch/metrics/series?name=Throttles&function=held&from=${startedAt - 60_000}&to=${clock.now() + 60_000}`)
    ).json()) as { points: { value: number | null }[] };
    assert.equal(
      throttles.points.reduce((sum, p) => sum + (p.value ?? 0), 0),
      3,
      'AWS/Lambda Throttles: the refused synchronous call and the event put back twice',
    );
  });

  it('PutFunctionConcurrency keeps 100 of the account’s 1,000 unreserved, in Lambda’s words', async () => {
    await create('greedy', ECHOES);
    await assert.rejects(
      lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'greedy', ReservedConcurrentExecutions: 901 })),
      (e: Error) => {
        assert.equal(e.name, 'InvalidParameterValueException');
        assert.equal(
          e.message,
          "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
        );
        return true;
      },
    );
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'greedy', ReservedConcurrentExecutions: 900 }));
    await assert.rejects(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'held', ReservedConcurrentExecutions: 1 })), {
      name: 'InvalidParameterValueException',
    });
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'greedy' }));
  });

  it('DeadLetterConfig is checked and can be removed', async () => {
    await create('dl', ECHOES);
    await assert.rejects(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'dl', DeadLetterConfig: { TargetArn: 'arn:aws:s3:::nope' } })),
      { name: 'InvalidParameterValueException' },
    );
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'dl', DeadLetterConfig: { TargetArn: `arn:aws:sns:us-east-1:${ACCOUNT}:t` } }),
    );
    assert.equal(
      (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'dl' }))).DeadLetterConfig?.TargetArn,
      `arn:aws:sns:us-east-1:${ACCOUNT}:t`,
    );
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'dl', DeadLetterConfig: { TargetArn: '' } }));
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'dl' }))).DeadLetterConfig, undefined);
  });
});

describe('asynchronous retries are durable', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('a retry scheduled before a restart runs after it, at its time, and counts on', { timeout: 30_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'amiwatch-lambda-async-'));
    dirs.push(dataDir);
    const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    let app = await startTestServer({ inMemory: false, dataDir }, { clock });
    let client = lambdaClient(app);
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'flaky',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': THROWS }) },
      }),
    );
    await client.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: Buffer.from('{"image":"ami-6"}') }));
    await until(async () => ((await jobOf(app, 'flaky'))?.attempts === 1 ? true : undefined));
    client.destroy();
    await app.close();

    app = await startTestServer({ inMemory: false, dataDir }, { clock });
    client = lambdaClient(app);
    try {
      await app.worker.runOnce();
      await app.worker.jobsIdle();
      assert.equal((await jobOf(app, 'flaky'))!.attempts, 1, 'still waiting for its minute');
      clock.advance(60_000);
      await app.worker.runOnce();
      await app.worker.jobsIdle();
      const job = (await jobOf(app, 'flaky'))!;
      assert.deepEqual([job.status, job.attempts, job.dueAt - clock.now()], ['pending', 2, 120_000]);
    } finally {
      client.destroy();
      await app.close();
    }
  });
});

// Invoke Event through the real server's queue (real clock): the function runs soon after the 202.
it('Invoke Event is durable before the 202 and runs promptly', { timeout: 30_000 }, async () => {
  const app = await startTestServer();
  const client = lambdaClient(app);
  try {
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'quick',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': ECHOES }) },
      }),
    );
    await client.send(new InvokeCommand({ FunctionName: 'quick', InvocationType: 'Event', Payload: Buffer.from('{"image":"ami-7"}') }));
    await queueIdle(app);
    assert.deepEqual([(await jobOf(app, 'quick'))?.status], ['delivered']);
  } finally {
    client.destroy();
    await app.close();
  }
});
