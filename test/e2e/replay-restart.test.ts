import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { delivered } from '../../src/delivery/transport.js';
import { sdkClient, startTestServer } from './helpers.js';

/**
 * A replay is a durable job: the server stops in the middle of one, the next server on the same
 * data directory resumes it, and every archived event is replayed exactly once.
 */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-replay-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const start = (pacing: { batchSize: number; pauseMs: number }) =>
  startTestServer({ inMemory: false, dataDir: dir }, { replayPacing: pacing, transports: { sqs: { deliver: async () => delivered } } });

async function until<T>(what: string, get: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a replay interrupted by a restart resumes and replays each archived event once', { timeout: 60_000 }, async () => {
  let app: App = await start({ batchSize: 4, pauseMs: 300 });
  let eb = sdkClient(app);
  const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
  const { ArchiveArn } = await eb.send(new CreateArchiveCommand({ ArchiveName: 'all', EventSourceArn: bus }));
  const t0 = new Date(Date.now() - 60_000);
  for (let i = 0; i < 4; i++) {
    await eb.send(
      new PutEventsCommand({
        Entries: Array.from({ length: 5 }, (_, j) => ({ Source: 'app', DetailType: 'n', Detail: JSON.stringify({ n: i * 5 + j }) })),
      }),
    );
  }
  await until('20 archived', async () =>
    (await eb.send(new DescribeArchiveCommand({ ArchiveName: 'all' }))).EventCount === 20 ? true : undefined,
  );
  await eb.send(new PutRuleCommand({ Name: 'later', EventPattern: '{"source":["app"]}' }));
  await eb.send(new PutTargetsCommand({ Rule: 'later', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] }));
  await eb.send(
    new StartReplayCommand({
      ReplayName: 'r',
      EventSourceArn: ArchiveArn,
      EventStartTime: t0,
      EventEndTime: new Date(Date.now() + 60_000),
      Destination: { Arn: bus },
    }),
  );
  await until('part of it replayed', async () => {
    const d = await eb.send(new DescribeReplayCommand({ ReplayName: 'r' }));
    return d.State === 'RUNNING' && d.EventLastReplayedTime ? d : undefined;
  });
  eb.destroy();
  await app.close();
  const before = app.events.replays.docs.values()[0]!;
  assert.ok(before.replayedCount > 0 && before.replayedCount < 20, `interrupted after ${before.replayedCount} of 20`);

  app = await start({ batchSize: 4, pauseMs: 2 });
  eb = sdkClient(app);
  const done = await until('completed after the restart', async () => {
    const d = await eb.send(new DescribeReplayCommand({ ReplayName: 'r' }));
    return d.State === 'COMPLETED' ? d : undefined;
  });
  assert.ok(done.ReplayEndTime);
  const history = (await (await fetch(`${app.url}/_amiwatch/events?limit=200`)).json()) as {
    events: { event: { 'replay-name'?: string; detail: { n: number } } }[];
  };
  const replayed = history.events
    .filter((e) => e.event['replay-name'] === 'r')
    .map((e) => e.event.detail.n)
    .sort((a, b) => a - b);
  assert.deepEqual(
    replayed,
    Array.from({ length: 20 }, (_, i) => i),
    'each archived event exactly once',
  );
  eb.destroy();
  await app.close();
});
