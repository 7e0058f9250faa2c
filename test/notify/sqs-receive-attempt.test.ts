import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { awsCliEnv, awsCliSkip, awsCliV2 as AWS } from '../support/aws-cli.js';
import { createQueue, sqsClient, sqsServerForTests } from './helpers.js';

/** ReceiveRequestAttemptId on FIFO queues, through @aws-sdk/client-sqs and AWS CLI v2; time moves with a ManualClock. */
const clock = new ManualClock(Date.UTC(2026, 2, 1));
let app: App;
let sqs: SQSClient;
sqsServerForTests(clock, (a, s) => ((app = a), (sqs = s)));

const fifo = (name: string) => createQueue(sqs, name, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
const send = (QueueUrl: string, MessageBody: string, MessageGroupId = 'g') =>
  sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId }));
const receive = (QueueUrl: string, ReceiveRequestAttemptId?: string) =>
  sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...(ReceiveRequestAttemptId && { ReceiveRequestAttemptId }) }));
const rejects = (p: Promise<unknown>, code: string, message: string) =>
  assert.rejects(p, (e: Error) => (assert.equal(e.name, code), assert.equal(e.message, message), true));
const notRetryable = (id: string) =>
  `Value ${id} for parameter ReceiveRequestAttemptId is invalid. Reason: The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.`;

describe('ReceiveRequestAttemptId (FIFO queues)', () => {
  it('a retry with the same id within 5 minutes gets the same messages and receipt handles, and restarts their visibility timeout', async () => {
    const url = await fifo('attempt.fifo');
    for (const b of ['one', 'two']) await send(url, b);
    await send(url, 'other group', 'h');
    const first = await receive(url, 'attempt-1');
    assert.deepEqual(
      first.Messages?.map((m) => m.Body),
      ['one', 'two', 'other group'],
    );
    clock.advance(20_000);
    const retry = await receive(url, 'attempt-1');
    assert.deepEqual(
      retry.Messages?.map((m) => [m.MessageId, m.ReceiptHandle]),
      first.Messages?.map((m) => [m.MessageId, m.ReceiptHandle]),
    );
    assert.equal((await receive(url, 'attempt-2')).Messages, undefined, 'a new attempt finds the groups in flight');
    // The retry restarted the 30 s visibility timeout: 20 s later the messages are still hidden.
    clock.advance(20_000);
    assert.equal((await receive(url)).Messages, undefined);
  });

  it('is not retryable once a message was deleted or had its visibility changed', async () => {
    const url = await fifo('attempt-changed.fifo');
    await send(url, 'a');
    await send(url, 'b', 'h');
    const got = await receive(url, 'deleted');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: got.Messages![0]!.ReceiptHandle! }));
    await rejects(receive(url, 'deleted'), 'InvalidParameterValue', notRetryable('deleted'));

    clock.advance(31_000);
    const again = await receive(url, 'changed');
    assert.deepEqual(
      again.Messages?.map((m) => m.Body),
      ['b'],
    );
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 60 }),
    );
    await rejects(receive(url, 'changed'), 'InvalidParameterValue', notRetryable('changed'));
  });

  it('after 5 minutes the id starts a new attempt; a bad id is refused; standard queues ignore it', async () => {
    const url = await fifo('attempt-window.fifo');
    await send(url, 'x');
    const first = await receive(url, 'late');
    clock.advance(5 * 60_000);
    const later = await receive(url, 'late');
    assert.equal(later.Messages?.[0]?.MessageId, first.Messages?.[0]?.MessageId);
    assert.notEqual(later.Messages?.[0]?.ReceiptHandle, first.Messages?.[0]?.ReceiptHandle, 'received anew, with a new handle');
    await rejects(
      receive(url, 'no spaces'),
      'InvalidParameterValue',
      'Value no spaces for parameter ReceiveRequestAttemptId is invalid. Reason: ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
    );

    const standard = await createQueue(sqs, 'attempt-standard');
    for (const b of ['s1', 's2']) await sqs.send(new SendMessageCommand({ QueueUrl: standard, MessageBody: b }));
    const s1 = await sqs.send(new ReceiveMessageCommand({ QueueUrl: standard, ReceiveRequestAttemptId: 'same' }));
    const s2 = await sqs.send(new ReceiveMessageCommand({ QueueUrl: standard, ReceiveRequestAttemptId: 'same' }));
    assert.notEqual(s1.Messages?.[0]?.MessageId, s2.Messages?.[0]?.MessageId);
  });

  it('AWS CLI v2 retries with --receive-request-attempt-id and gets the same handle', { skip: awsCliSkip }, async () => {
    const url = await fifo('attempt-cli.fifo');
    await send(url, 'cli');
    const run = promisify(execFile);
    const args = [
      '--endpoint-url',
      app.url,
      '--output',
      'json',
      'sqs',
      'receive-message',
      '--queue-url',
      url,
      '--receive-request-attempt-id',
      'cli-1',
    ];
    const one = JSON.parse((await run(AWS, args, { env: awsCliEnv() })).stdout) as { Messages: { ReceiptHandle: string }[] };
    const two = JSON.parse((await run(AWS, args, { env: awsCliEnv() })).stdout) as { Messages: { ReceiptHandle: string }[] };
    assert.equal(two.Messages[0]!.ReceiptHandle, one.Messages[0]!.ReceiptHandle);
  });
});

describe('ReceiveRequestAttemptId across a restart', () => {
  it('a retry after the server restarted gets the same messages', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amiwatch-attempt-'));
    const c = new ManualClock(Date.UTC(2026, 2, 2));
    const apps: App[] = [];
    try {
      const first = await startTestServer({ inMemory: false, dataDir }, { clock: c });
      apps.push(first);
      const a = sqsClient(first);
      const url = await createQueue(a, 'durable-attempt.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
      await a.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'kept', MessageGroupId: 'g' }));
      const got = await a.send(new ReceiveMessageCommand({ QueueUrl: url, ReceiveRequestAttemptId: 'before-restart' }));
      a.destroy();
      await first.close();
      apps.pop();
      c.advance(10_000);
      const second = await startTestServer({ inMemory: false, dataDir }, { clock: c });
      apps.push(second);
      const b = sqsClient(second);
      const again = await b.send(new ReceiveMessageCommand({ QueueUrl: url, ReceiveRequestAttemptId: 'before-restart' }));
      assert.equal(again.Messages?.[0]?.ReceiptHandle, got.Messages?.[0]?.ReceiptHandle);
      b.destroy();
    } finally {
      for (const x of apps) await x.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
