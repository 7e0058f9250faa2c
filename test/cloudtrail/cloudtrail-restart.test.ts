import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  CloudTrailClient,
  CreateTrailCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';

/** Trails, their logging state and the event history are in the SQLite file: a restart keeps them. */
const dataDir = mkdtempSync(join(tmpdir(), 'amiwatch-cloudtrail-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('a logging trail and its records survive a restart, and it keeps recording', { timeout: 30_000 }, async () => {
  const first = await startTestServer({ inMemory: false, dataDir });
  const ct1 = new CloudTrailClient(inProcess(first));
  await ct1.send(new CreateTrailCommand({ Name: 'durable', S3BucketName: 'audit-logs' }));
  await ct1.send(new StartLoggingCommand({ Name: 'durable' }));
  await new EventBridgeClient(inProcess(first)).send(
    new PutRuleCommand({ Name: 'before-restart', EventPattern: '{"source":["aws.ec2"]}' }),
  );
  ct1.destroy();
  await first.close();

  const second = await startTestServer({ inMemory: false, dataDir });
  const ct2 = new CloudTrailClient(inProcess(second));
  try {
    assert.equal((await ct2.send(new GetTrailStatusCommand({ Name: 'durable' }))).IsLogging, true);
    const names = async () => ((await ct2.send(new LookupEventsCommand({}))).Events ?? []).map((e) => e.EventName);
    assert.ok((await names()).includes('PutRule'), 'recorded before the restart');
    await new EventBridgeClient(inProcess(second)).send(
      new PutRuleCommand({ Name: 'after-restart', EventPattern: '{"source":["aws.ec2"]}' }),
    );
    assert.equal((await names()).filter((n) => n === 'PutRule').length, 2, 'still recording after it');
  } finally {
    ct2.destroy();
    await second.close();
  }
});
