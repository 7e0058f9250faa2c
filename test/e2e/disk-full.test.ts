import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeSync, ftruncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { DiskFullError } from '../../src/storage/store-errors.js';
import { sdkClient, startTestServer } from './helpers.js';

/**
 * A full disk, for real: the data directory is a small tmpfs (mounting needs root, as CI runs;
 * elsewhere the test is skipped and says why). Requests answer AWS's retryable
 * ServiceUnavailable (503), nothing half-written; PutEvents works again as soon as space is
 * freed; a server started on a full disk says so in words.
 */
const mountPoint = mkdtempSync(join(tmpdir(), 'amiwatch-full-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  // Not root, or no mount permission in this container.
}
const skip = mounted ? false : 'mounting a small tmpfs needs root (CI runs as root)';
const filler = join(mountPoint, 'filler');

/** Writes zeros until the file system refuses (ENOSPC). */
function fillDisk(): void {
  const fd = openSync(filler, 'a');
  const chunk = Buffer.alloc(256 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

function free(bytes: number): void {
  const size = statSync(filler).size;
  const fd = openSync(filler, 'r+');
  ftruncateSync(fd, Math.max(0, size - bytes));
  closeSync(fd);
}

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

/** Sends until the full disk says no (SQLite may still find a free page or two): that error. */
async function untilRefused(send: () => Promise<unknown>): Promise<AwsError> {
  for (let i = 0; i < 2000; i++) {
    try {
      await send();
    } catch (err) {
      return err as AwsError;
    }
  }
  throw new Error('the disk never filled');
}

let app: App;
before(async () => {
  if (!mounted) return;
  app = await startTestServer({ inMemory: false, dataDir: join(mountPoint, 'data') });
});
after(async () => {
  await app?.close();
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

test('disk full: AWS-shaped 503 ServiceUnavailable; PutEvents works again as soon as space is freed', {
  skip,
  timeout: 60_000,
}, async () => {
  const events = sdkClient(app);
  const sqs = new SQSClient({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sink' }));
  await events.send(new PutRuleCommand({ Name: 'all', EventPattern: '{"source":["load"]}' }));
  await events.send(new PutTargetsCommand({ Rule: 'all', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:sink' }] }));
  const entry = { Source: 'load', DetailType: 'd', Detail: JSON.stringify({ pad: 'x'.repeat(2000) }) };
  fillDisk();
  const refused = await untilRefused(() => events.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, () => entry) })));
  assert.equal(refused.name, 'ServiceUnavailable', refused.message);
  assert.equal(refused.$metadata?.httpStatusCode, 503);
  const sqsRefused = await untilRefused(() => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(4000) })));
  assert.equal(sqsRefused.$metadata?.httpStatusCode, 503, sqsRefused.message);
  // Free a little: the next PutEvents is accepted (the delivery backlog does not eat the room first).
  free(2 * 1024 * 1024);
  const out = await events.send(new PutEventsCommand({ Entries: [entry] }));
  assert.equal(out.FailedEntryCount, 0);
  assert.equal((await fetch(`${app.url}/_amiwatch/health`)).status, 200);
  events.destroy();
  sqs.destroy();
});

test('a server started on a full disk says so', { skip }, async () => {
  rmSync(filler, { force: true });
  fillDisk();
  await assert.rejects(
    startTestServer({ inMemory: false, dataDir: join(mountPoint, 'fresh') }),
    (e: Error) => e instanceof DiskFullError && /is full .*free some space/.test(e.message),
  );
});
