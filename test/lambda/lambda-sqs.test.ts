import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';
import { lambdaClient, ROLE, until, zipOf } from './helpers.js';

const ACCOUNT = '000000000000';
const qArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

/**
 * SQS → Lambda through an event source mapping, against the real SQS of amiwatch (real clock:
 * visibility timeouts are SQS's own): Lambda's event shape, deletion of what succeeded, partial
 * batch responses, and failures going to the queue's DLQ by its redrive policy.
 */
describe('SQS event source mappings', () => {
  let app: App;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  const fn = (name: string, code: string, timeout = 1) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Timeout: timeout,
        Code: { ZipFile: zipOf({ 'index.js': code }) },
      }),
    );
  const queue = async (name: string, attributes: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  const logs = async (name: string) =>
    ((await (await fetch(`${app.url}/_amiwatch/functions/${name}/logs`)).json()) as { events: { message: string }[] }).events
      .map((e) => e.message)
      .join('');
  const depth = async (url: string) => {
    const a = (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes!;
    return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
  };
  const refused = (p: Promise<unknown>, name: string, text: RegExp) =>
    assert.rejects(p, (e: Error) => {
      assert.equal(e.name, name);
      assert.match(e.message, text);
      return true;
    });

  before(async () => {
    app = await startTestServer();
    lambda = lambdaClient(app);
    sqs = new SQSClient(inProcess(app));
  });
  after(async () => {
    lambda.destroy();
    sqs.destroy();
    await app.close();
  });

  it('Create/Get/Update/List/DeleteEventSourceMapping with Lambda’s checks and texts', async () => {
    await fn('mapped', 'exports.handler = async () => {};', 10);
    await queue('short', { VisibilityTimeout: '5' });
    await queue('plenty', { VisibilityTimeout: '60' });
    await refused(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'mapped', EventSourceArn: qArn('short') })),
      'InvalidParameterValueException',
      /^Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds$/,
    );
    await refused(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'mapped', EventSourceArn: qArn('nowhere') })),
      'InvalidParameterValueException',
      /NonExistentQueue/,
    );
    await refused(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'mapped', EventSourceArn: qArn('plenty'), BatchSize: 50 })),
      'InvalidParameterValueException',
      /^Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10$/,
    );
    await refused(
      lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'mapped',
          EventSourceArn: qArn('plenty'),
          BatchSize: 10001,
          MaximumBatchingWindowInSeconds: 1,
        }),
      ),
      'ValidationException',
      /'batchSize' .* less than or equal to 10000/,
    );
    await refused(
      lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'mapped',
          EventSourceArn: qArn('plenty'),
          ScalingConfig: { MaximumConcurrency: 1 },
        }),
      ),
      'ValidationException',
      /'scalingConfig\.maximumConcurrency' .* greater than or equal to 2/,
    );
    await refused(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'nobody', EventSourceArn: qArn('plenty') })),
      'ResourceNotFoundException',
      /Function not found/,
    );

    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'mapped',
        EventSourceArn: qArn('plenty'),
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 2,
        Enabled: false,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 3 },
      }),
    );
    assert.equal(created.State, 'Creating');
    assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:${ACCOUNT}:function:mapped`);
    assert.deepEqual(created.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.match(created.UUID!, /^[0-9a-f-]{36}$/);
    await refused(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'mapped', EventSourceArn: qArn('plenty') })),
      'ResourceConflictException',
      new RegExp(`already exists\\. Please update or delete the existing mapping with UUID ${created.UUID}$`),
    );
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    assert.deepEqual(
      [got.State, got.BatchSize, got.MaximumBatchingWindowInSeconds, got.ScalingConfig?.MaximumConcurrency, got.LastProcessingResult],
      ['Disabled', 100, 2, 3, 'No records processed'],
    );
    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 5, Enabled: true }));
    assert.deepEqual([updated.State, updated.BatchSize, updated.MaximumBatchingWindowInSeconds], ['Updating', 5, 2]);
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'mapped' }));
    assert.deepEqual(
      listed.EventSourceMappings?.map((m) => m.UUID),
      [created.UUID],
    );
    assert.deepEqual((await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: qArn('short') }))).EventSourceMappings, []);
    const deleted = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    assert.equal(deleted.State, 'Deleting');
    await refused(
      lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })),
      'ResourceNotFoundException',
      /^The resource you requested does not exist\.$/,
    );
  });

  it('an SQS-triggered Node.js function gets Lambda’s SQS event; successes are deleted, reported failures return and end in the DLQ', {
    timeout: 30_000,
  }, async () => {
    const dlqUrl = await queue('orders-dlq');
    const url = await queue('orders', {
      VisibilityTimeout: '2',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: qArn('orders-dlq'), maxReceiveCount: 2 }),
    });
    await fn(
      'order-worker',
      `exports.handler = async (event) => {
      const failures = [];
      for (const r of event.Records) {
        console.log('record', JSON.stringify(r));
        if (r.body === 'poison') failures.push({ itemIdentifier: r.messageId });
      }
      return { batchItemFailures: failures };
    };`,
    );
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'order-worker',
        EventSourceArn: qArn('orders'),
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'ami-0abc',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'image' } },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'ami-0def' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));

    const dead = await until(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }))).Messages?.[0], 20_000);
    assert.equal(dead.Body, 'poison', 'the reported failure came back after the visibility timeout and went to the DLQ at maxReceiveCount');
    assert.equal(await depth(url), 0, 'the successes were deleted');
    const text = await logs('order-worker');
    const records = [...text.matchAll(/record (\{.*\})/g)].map((m) => JSON.parse(m[1]!));
    assert.equal(records.filter((r) => r.body === 'ami-0abc').length, 1, 'a success is handed over once');
    assert.equal(records.filter((r) => r.body === 'poison').length, 2, 'the poison message was tried maxReceiveCount times');
    const first = records.find((r) => r.body === 'ami-0abc');
    assert.equal(first.messageId, sent.MessageId);
    assert.equal(typeof first.receiptHandle, 'string');
    assert.equal(first.md5OfBody, sent.MD5OfMessageBody);
    assert.equal(first.eventSource, 'aws:sqs');
    assert.equal(first.eventSourceARN, qArn('orders'));
    assert.equal(first.awsRegion, 'us-east-1');
    assert.equal(first.attributes.ApproximateReceiveCount, '1');
    assert.match(first.attributes.SentTimestamp, /^\d+$/);
    assert.deepEqual(first.messageAttributes, {
      kind: { stringValue: 'image', stringListValues: [], binaryListValues: [], dataType: 'String' },
    });
  });

  it('BatchSize above 10 with a batching window: the poller gathers several receives into one batch, never more than BatchSize', {
    timeout: 30_000,
  }, async () => {
    const url = await queue('bulk', { VisibilityTimeout: '30' });
    await fn(
      'bulk-worker',
      'exports.handler = async (e) => { console.log("batch", e.Records.length, e.Records.map((r) => r.body).join(",")); };',
    );
    const m = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'bulk-worker',
        EventSourceArn: qArn('bulk'),
        BatchSize: 25,
        MaximumBatchingWindowInSeconds: 1,
        ScalingConfig: { MaximumConcurrency: 2 },
        Enabled: false,
      }),
    );
    for (let i = 0; i < 25; i += 5)
      await Promise.all([0, 1, 2, 3, 4].map((j) => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i + j}` }))));
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: true }));
    await until(async () => ((await depth(url)) === 0 ? true : undefined), 20_000);
    const batches = [...(await logs('bulk-worker')).matchAll(/batch (\d+) (\S+)/g)].map((x) => ({
      n: Number(x[1]),
      bodies: x[2]!.split(','),
    }));
    assert.deepEqual(
      batches.flatMap((b) => b.bodies).sort(),
      Array.from({ length: 25 }, (_, i) => `m${i}`).sort(),
      'every message handed over once',
    );
    assert.ok(batches.every((b) => b.n <= 25));
    assert.ok(
      batches.some((b) => b.n > 10),
      `a batch larger than one ReceiveMessage (10) was gathered: ${batches.map((b) => b.n)}`,
    );
  });

  it('ScalingConfig.MaximumConcurrency bounds how many batches of a mapping run at once', { timeout: 30_000 }, async () => {
    const url = await queue('paced', { VisibilityTimeout: '30' });
    await fn(
      'paced-worker',
      'exports.handler = async (e) => { const t0 = Date.now(); await new Promise((r) => setTimeout(r, 400)); console.log("span", t0, Date.now(), e.Records[0].body); };',
      5,
    );
    const m = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'paced-worker',
        EventSourceArn: qArn('paced'),
        BatchSize: 1,
        ScalingConfig: { MaximumConcurrency: 2 },
        Enabled: false,
      }),
    );
    await Promise.all(Array.from({ length: 8 }, (_, i) => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `p${i}` }))));
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: true }));
    await until(async () => ((await depth(url)) === 0 ? true : undefined), 25_000);
    const spans = [...(await logs('paced-worker')).matchAll(/span (\d+) (\d+) (p\d)/g)].map((x) => [Number(x[1]), Number(x[2])] as const);
    assert.equal(spans.length, 8);
    // The most invocations running at one moment: at every start, count the spans covering it.
    const most = Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
    assert.ok(most <= 2, `at most MaximumConcurrency (2) batches at once, saw ${most}`);
    assert.equal(most, 2, 'both pollers ran side by side');
  });

  it('a function that throws leaves the whole batch to come back; a disabled mapping polls nothing', { timeout: 30_000 }, async () => {
    const url = await queue('flaky', { VisibilityTimeout: '1' });
    await fn(
      'thrower',
      'let n = 0; exports.handler = async (e) => { n++; console.log("try", n, e.Records.length); if (n === 1) throw new Error("not yet"); };',
    );
    const m = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'thrower', EventSourceArn: qArn('flaky') }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    await until(async () => ((await logs('thrower')).includes('try 2 1') ? true : undefined), 20_000);
    await until(async () => ((await depth(url)) === 0 ? true : undefined));
    assert.equal((await lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).LastProcessingResult, 'OK');
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: false }));
    await new Promise((r) => setTimeout(r, 1500));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'stays' }));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await depth(url), 1, 'nobody polls a disabled mapping');
  });
});

describe('SQS event source mappings survive a restart', () => {
  it('a mapping made before a restart polls after it (SQLite file)', { timeout: 30_000 }, async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = await mkdtemp(join(tmpdir(), 'amiwatch-lambda-esm-'));
    let app = await startTestServer({ inMemory: false, dataDir });
    let lambda = lambdaClient(app);
    let sqs = new SQSClient(inProcess(app));
    try {
      await sqs.send(new CreateQueueCommand({ QueueName: 'kept' }));
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'kept-worker',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => { console.log("kept", e.Records[0].body); };' }) },
        }),
      );
      const m = await lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: 'kept-worker', EventSourceArn: qArn('kept'), Enabled: false }),
      );
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: true }));
      lambda.destroy();
      sqs.destroy();
      await app.close();

      app = await startTestServer({ inMemory: false, dataDir });
      lambda = lambdaClient(app);
      sqs = new SQSClient(inProcess(app));
      assert.equal((await lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State, 'Enabled');
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'kept' }))).QueueUrl!;
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after-restart' }));
      await until(async () => {
        const body = (await (await fetch(`${app.url}/_amiwatch/functions/kept-worker/logs`)).json()) as { events: { message: string }[] };
        return body.events.some((e) => e.message.includes('kept after-restart')) ? true : undefined;
      }, 20_000);
    } finally {
      lambda.destroy();
      sqs.destroy();
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
