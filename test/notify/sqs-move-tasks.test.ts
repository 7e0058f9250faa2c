import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CancelMessageMoveTaskCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { createQueue, queryCall, sqsClient, sqsServerForTests, waitFor } from './helpers.js';

/**
 * DLQ redrive through SQS's message move tasks, with the real SDK (JSON 1.0) and awsQuery:
 * AWS's validation and error texts, back to the source queue(s) or to a chosen queue, the rate
 * limit (time moved by a ManualClock), cancel, a destination deleted mid-task, and a restart in
 * the middle of a task that neither repeats nor loses a message.
 */
const clock = new ManualClock(Date.UTC(2026, 0, 1));
let app: App;
let sqs: SQSClient;
sqsServerForTests(clock, (a, s) => ((app = a), (sqs = s)));

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const create = createQueue;
const redrive = (dlq: string) => ({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(dlq), maxReceiveCount: 1 }) });

/** Sends the bodies to the queue, then receives them twice: maxReceiveCount 1 puts them in its DLQ. */
async function deadLetter(c: SQSClient, url: string, bodies: readonly string[]): Promise<void> {
  for (const b of bodies) await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: b }));
  for (let i = 0; i < 3; i++) await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
}

async function count(c: SQSClient, url: string): Promise<number> {
  const a = await c.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(a.Attributes!.ApproximateNumberOfMessages) + Number(a.Attributes!.ApproximateNumberOfMessagesNotVisible);
}

async function bodies(c: SQSClient, url: string): Promise<string[]> {
  const r = await c.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }),
  );
  return (r.Messages ?? []).map((m) => m.Body!).sort();
}

const latest = async (c: SQSClient, source: string): Promise<ListMessageMoveTasksResultEntry> =>
  (await c.send(new ListMessageMoveTasksCommand({ SourceArn: source }))).Results![0]!;
const settled = (c: SQSClient, source: string) =>
  waitFor(async () => ((await latest(c, source)).Status !== 'RUNNING' ? latest(c, source) : undefined), 'the task to end');
const rejects = (p: Promise<unknown>, name: string, message: string | RegExp) =>
  assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name);
    assert.match(e.message, typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
    return true;
  });

describe('StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask (SDK)', () => {
  it('refuses what AWS refuses, in its words', async () => {
    await create(sqs, 'v-dlq');
    await create(sqs, 'v-src', redrive('v-dlq'));
    await create(sqs, 'v-plain');
    await rejects(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('v-nope') })),
      'ResourceNotFoundException',
      "The resource that you specified for the SourceArn parameter doesn't exist.",
    );
    await rejects(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('v-plain') })),
      'InvalidParameterValue',
      'Source queue must be configured as a Dead Letter Queue.',
    );
    await rejects(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('v-src') })),
      'InvalidParameterValue',
      'Source queue must be configured as a Dead Letter Queue.',
    );
    await rejects(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('v-dlq'), DestinationArn: arn('v-nope') })),
      'ResourceNotFoundException',
      "The resource that you specified for the DestinationArn parameter doesn't exist.",
    );
    await rejects(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('v-dlq'), DestinationArn: arn('v-dlq') })),
      'InvalidParameterValue',
      /destination must be another queue/,
    );
    for (const rate of [0, 501])
      await rejects(
        sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('v-dlq'), MaxNumberOfMessagesPerSecond: rate })),
        'InvalidParameterValue',
        /MaxNumberOfMessagesPerSecond is invalid/,
      );
    await rejects(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: '' })),
      'MissingParameter',
      'The request must contain the parameter SourceArn.',
    );
    await rejects(
      sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('v-dlq'), MaxResults: 11 })),
      'InvalidParameterValue',
      /MaxResults is invalid/,
    );
    await rejects(
      sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('v-nope') })),
      'ResourceNotFoundException',
      "The resource that you specified for the SourceArn parameter doesn't exist.",
    );
    assert.deepEqual((await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('v-dlq') }))).Results, []);
    await rejects(
      sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'foobared' })),
      'InvalidParameterValue',
      'Value for parameter TaskHandle is invalid.',
    );
    const handle = (sourceArn: string) =>
      Buffer.from(JSON.stringify({ taskId: '10f57157-fc38-4da9-a113-4de7e12d05dd', sourceArn })).toString('base64');
    await rejects(
      sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(arn('v-nope')) })),
      'ResourceNotFoundException',
      "The resource that you specified for the SourceArn parameter doesn't exist.",
    );
    await rejects(
      sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(arn('v-dlq')) })),
      'ResourceNotFoundException',
      'Task does not exist.',
    );
    // Members of the wrong type, or no structure at all: an AWS-shaped error, never a 500.
    const raw = async (op: string, body: string) => {
      const res = await fetch(app.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `AmazonSQS.${op}`,
          authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
        },
        body,
      });
      return { status: res.status, type: ((await res.json()) as { __type: string }).__type };
    };
    assert.deepEqual(await raw('StartMessageMoveTask', 'null'), { status: 400, type: 'com.amazonaws.sqs#SerializationException' });
    assert.deepEqual(await raw('StartMessageMoveTask', JSON.stringify({ SourceArn: arn('v-dlq'), MaxNumberOfMessagesPerSecond: 'fast' })), {
      status: 400,
      type: 'com.amazonaws.sqs#InvalidParameterValue',
    });
    assert.deepEqual(await raw('StartMessageMoveTask', JSON.stringify({ SourceArn: 42 })), {
      status: 404,
      type: 'com.amazonaws.sqs#ResourceNotFoundException',
    });
    assert.deepEqual(await raw('CancelMessageMoveTask', JSON.stringify({ TaskHandle: 42 })), {
      status: 400,
      type: 'com.amazonaws.sqs#InvalidParameterValue',
    });
    assert.deepEqual(await raw('ListMessageMoveTasks', JSON.stringify({ SourceArn: arn('v-dlq'), MaxResults: '5' })), {
      status: 400,
      type: 'com.amazonaws.sqs#InvalidParameterValue',
    });
  });

  it('moves the DLQ to a chosen queue as new messages; the list shows it COMPLETED', async () => {
    const dlq = await create(sqs, 'a-dlq');
    const src = await create(sqs, 'a-src', redrive('a-dlq'));
    const dest = await create(sqs, 'a-dest');
    await deadLetter(sqs, src, ['m-1', 'm-2', 'm-3']);
    const inDlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    assert.equal(inDlq.Messages?.length, 3, 'dead-lettered');
    const before = new Set(inDlq.Messages!.map((m) => m.MessageId));
    const started = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('a-dlq'), DestinationArn: arn('a-dest') }));
    assert.ok(started.TaskHandle);
    const task = await settled(sqs, arn('a-dlq'));
    assert.deepEqual(task, {
      Status: 'COMPLETED',
      SourceArn: arn('a-dlq'),
      DestinationArn: arn('a-dest'),
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
      StartedTimestamp: clock.now(),
    });
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dest, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }),
    );
    assert.deepEqual(got.Messages!.map((m) => m.Body).sort(), ['m-1', 'm-2', 'm-3']);
    for (const m of got.Messages!) {
      assert.ok(!before.has(m.MessageId), 'a redriven message is a new message (new MessageId)');
      assert.equal(m.Attributes?.ApproximateReceiveCount, '1', 'its receive count starts again');
      assert.equal(m.Attributes?.DeadLetterQueueSourceArn, undefined);
    }
    assert.equal(await count(sqs, dlq), 0);
    await rejects(
      sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: started.TaskHandle })),
      'InvalidParameterValue',
      /Only a task in status RUNNING can be cancelled; this one is COMPLETED/,
    );
  });

  it('without a DestinationArn each message goes back to the queue it came from; ListDeadLetterSourceQueues names them', async () => {
    const dlq = await create(sqs, 'b-dlq');
    const one = await create(sqs, 'b-one', redrive('b-dlq'));
    const two = await create(sqs, 'b-two', redrive('b-dlq'));
    await deadLetter(sqs, one, ['from-one']);
    await deadLetter(sqs, two, ['from-two-a', 'from-two-b']);
    assert.equal(await count(sqs, dlq), 3);
    const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    assert.deepEqual(sources.queueUrls, [one, two]);
    const paged = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 1 }));
    assert.deepEqual(paged.queueUrls, [one]);
    assert.deepEqual(
      (await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 1, NextToken: paged.NextToken }))).queueUrls,
      [two],
    );
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('b-dlq') }));
    const task = await settled(sqs, arn('b-dlq'));
    assert.equal(task.Status, 'COMPLETED');
    assert.equal(task.DestinationArn, undefined, 'no DestinationArn was given');
    assert.equal(task.ApproximateNumberOfMessagesMoved, 3);
    assert.deepEqual(await bodies(sqs, one), ['from-one']);
    assert.deepEqual(await bodies(sqs, two), ['from-two-a', 'from-two-b']);
    assert.equal(await count(sqs, dlq), 0);
  });

  it('keeps MaxNumberOfMessagesPerSecond, allows one RUNNING task per source, and cancels', async () => {
    const dlq = await create(sqs, 'c-dlq');
    const src = await create(sqs, 'c-src', redrive('c-dlq'));
    const dest = await create(sqs, 'c-dest');
    await deadLetter(sqs, src, ['1', '2', '3', '4', '5']);
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: arn('c-dlq'), DestinationArn: arn('c-dest'), MaxNumberOfMessagesPerSecond: 1 }),
    );
    await waitFor(
      async () => ((await latest(sqs, arn('c-dlq'))).ApproximateNumberOfMessagesMoved === 1 ? true : undefined),
      'the first second’s message',
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await count(sqs, dest), 1, 'one message in the first second, no more while the clock stands');
    await rejects(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('c-dlq') })),
      'InvalidParameterValue',
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    );
    const running = await latest(sqs, arn('c-dlq'));
    assert.equal(running.Status, 'RUNNING');
    assert.equal(running.TaskHandle, TaskHandle, 'the handle is listed while RUNNING');
    assert.equal(running.MaxNumberOfMessagesPerSecond, 1);
    assert.equal(running.ApproximateNumberOfMessagesToMove, 5);
    clock.advance(1000);
    await waitFor(
      async () => ((await latest(sqs, arn('c-dlq'))).ApproximateNumberOfMessagesMoved === 2 ? true : undefined),
      'the second second’s message',
    );
    const cancelled = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    assert.equal(cancelled.ApproximateNumberOfMessagesMoved, 2);
    clock.advance(10_000);
    await new Promise((r) => setTimeout(r, 300));
    const after = await latest(sqs, arn('c-dlq'));
    assert.equal(after.Status, 'CANCELLED');
    assert.equal(after.TaskHandle, undefined);
    assert.equal(await count(sqs, dest), 2, 'what moved stays moved');
    assert.equal(await count(sqs, dlq), 3, 'the rest stays in the DLQ');
    // A new task may start now; MaxResults lists the latest first.
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('c-dlq'), DestinationArn: arn('c-dest') }));
    assert.equal((await settled(sqs, arn('c-dlq'))).ApproximateNumberOfMessagesMoved, 3);
    const both = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('c-dlq'), MaxResults: 10 }));
    assert.deepEqual(
      both.Results!.map((t) => t.Status),
      ['COMPLETED', 'CANCELLED'],
    );
    assert.equal(await count(sqs, dest), 5);
  });

  it('fails with NonExistentQueue when the destination is deleted while the task runs', async () => {
    const dlq = await create(sqs, 'd-dlq');
    const src = await create(sqs, 'd-src', redrive('d-dlq'));
    const dest = await create(sqs, 'd-dest');
    await deadLetter(sqs, src, ['x', 'y', 'z']);
    await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: arn('d-dlq'), DestinationArn: arn('d-dest'), MaxNumberOfMessagesPerSecond: 1 }),
    );
    await waitFor(async () => ((await latest(sqs, arn('d-dlq'))).ApproximateNumberOfMessagesMoved === 1 ? true : undefined), 'one moved');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dest }));
    clock.advance(1000);
    const task = await settled(sqs, arn('d-dlq'));
    assert.equal(task.Status, 'FAILED');
    assert.equal(task.FailureReason, 'AWS.SimpleQueueService.NonExistentQueue');
    assert.equal(task.ApproximateNumberOfMessagesMoved, 1);
    assert.equal(await count(sqs, dlq), 2, 'what was not moved stays in the DLQ');
  });
});

describe('awsQuery', () => {
  it('StartMessageMoveTask, ListMessageMoveTasks and ListDeadLetterSourceQueues as XML; errors with their codes', async () => {
    await create(sqs, 'q-dlq');
    const src = await create(sqs, 'q-src', redrive('q-dlq'));
    await create(sqs, 'q-dest');
    await deadLetter(sqs, src, ['q']);
    const sources = await queryCall(app, 'sqs', {
      Action: 'ListDeadLetterSourceQueues',
      Version: '2012-11-05',
      QueueUrl: `${app.url}/000000000000/q-dlq`,
    });
    assert.match(
      sources.body,
      new RegExp(`<ListDeadLetterSourceQueuesResult><QueueUrl>${src}</QueueUrl></ListDeadLetterSourceQueuesResult>`),
    );
    const started = await queryCall(app, 'sqs', {
      Action: 'StartMessageMoveTask',
      Version: '2012-11-05',
      SourceArn: arn('q-dlq'),
      DestinationArn: arn('q-dest'),
    });
    assert.equal(started.status, 200, started.body);
    assert.match(started.body, /<StartMessageMoveTaskResult><TaskHandle>[A-Za-z0-9+/=]+<\/TaskHandle><\/StartMessageMoveTaskResult>/);
    await settled(sqs, arn('q-dlq'));
    const listed = await queryCall(app, 'sqs', {
      Action: 'ListMessageMoveTasks',
      Version: '2012-11-05',
      SourceArn: arn('q-dlq'),
      MaxResults: '10',
    });
    assert.match(listed.body, /<ListMessageMoveTasksResult><ListMessageMoveTasksResultEntry><Status>COMPLETED<\/Status>/);
    assert.match(listed.body, /<ApproximateNumberOfMessagesMoved>1<\/ApproximateNumberOfMessagesMoved>/);
    const refused = await queryCall(app, 'sqs', { Action: 'StartMessageMoveTask', Version: '2012-11-05', SourceArn: arn('q-dest') });
    assert.equal(refused.status, 400);
    assert.match(
      refused.body,
      /<Code>InvalidParameterValue<\/Code><Message>Source queue must be configured as a Dead Letter Queue.<\/Message>/,
    );
    const missing = await queryCall(app, 'sqs', { Action: 'CancelMessageMoveTask', Version: '2012-11-05', TaskHandle: 'foobared' });
    assert.match(missing.body, /<Code>InvalidParameterValue<\/Code><Message>Value for parameter TaskHandle is invalid.<\/Message>/);
  });
});

describe('restart in the middle of a task (SQLite file)', () => {
  it('resumes where it stood: every message moved exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amiwatch-move-'));
    const restartClock = new ManualClock(Date.UTC(2026, 1, 1));
    try {
      const first = await startTestServer({ inMemory: false, dataDir: dir }, { clock: restartClock });
      const c1 = sqsClient(first);
      await create(c1, 'r-dlq');
      const src = await create(c1, 'r-src', redrive('r-dlq'));
      await create(c1, 'r-dest');
      await deadLetter(c1, src, ['r1', 'r2', 'r3', 'r4']);
      await c1.send(
        new StartMessageMoveTaskCommand({ SourceArn: arn('r-dlq'), DestinationArn: arn('r-dest'), MaxNumberOfMessagesPerSecond: 1 }),
      );
      await waitFor(
        async () => ((await latest(c1, arn('r-dlq'))).ApproximateNumberOfMessagesMoved === 1 ? true : undefined),
        'one moved before the restart',
      );
      c1.destroy();
      await first.close();

      restartClock.advance(60_000);
      const second = await startTestServer({ inMemory: false, dataDir: dir }, { clock: restartClock });
      const c2 = sqsClient(second);
      try {
        // The minute it was down is not caught up in a burst: still one message a second.
        await new Promise((r) => setTimeout(r, 300));
        assert.equal((await latest(c2, arn('r-dlq'))).ApproximateNumberOfMessagesMoved, 2, 'the first second after the restart');
        const task = await waitFor(async () => {
          restartClock.advance(1000);
          const t = await latest(c2, arn('r-dlq'));
          return t.Status === 'RUNNING' ? undefined : t;
        }, 'the task to end after the restart');
        assert.equal(task.Status, 'COMPLETED');
        assert.equal(task.ApproximateNumberOfMessagesMoved, 4);
        assert.deepEqual(await bodies(c2, `${second.url}/000000000000/r-dest`), ['r1', 'r2', 'r3', 'r4']);
        assert.equal(await count(c2, `${second.url}/000000000000/r-dest`), 4, 'no message twice');
        assert.equal(await count(c2, `${second.url}/000000000000/r-dlq`), 0, 'none left behind');
      } finally {
        c2.destroy();
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
