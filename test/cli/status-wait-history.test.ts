import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { startAmiwatch, type Amiwatch } from '../../src/index.js';
import { freePort, Sandbox } from './helpers.js';

describe('amiwatch status --wait', () => {
  const box = new Sandbox();
  after(() => box.remove());

  it('waits for a server started after it, then reports (exit 0)', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const waiting = box.run(['--endpoint-url', url, 'status', '--wait', '--timeout', '30', '--json']);
    await new Promise((r) => setTimeout(r, 300));
    const server = await box.background(['start', '--in-memory', '--port', String(port)], /Stop with Ctrl-C/);
    try {
      const r = await waiting;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).status, 'ok');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('gives up after --timeout with exit 5 and what it saw', async () => {
    const port = await freePort();
    const r = await box.run(['--endpoint-url', `http://127.0.0.1:${port}`, 'status', '--wait', '--timeout', '0.3']);
    assert.equal(r.code, 5);
    assert.match(
      r.stderr,
      new RegExp(
        `amiwatch at http://127.0.0.1:${port} was not healthy within 0.3s: no amiwatch server answers at http://127.0.0.1:${port} \\(ECONNREFUSED\\)`,
      ),
    );
  });
});

describe('amiwatch history', () => {
  const box = new Sandbox();
  let aw: Amiwatch;
  before(async () => {
    aw = await startAmiwatch({ log: false });
    box.env.AMIWATCH_ENDPOINT_URL = aw.url;
    const eb = new EventBridgeClient({ ...aw.clientConfig, maxAttempts: 1 });
    await eb.send(new PutRuleCommand({ Name: 'all-mine', EventPattern: '{"source":["my.app"]}' }));
    await eb.send(
      new PutTargetsCommand({ Rule: 'all-mine', Targets: [{ Id: 'nowhere', Arn: 'arn:aws:sqs:us-east-1:000000000000:missing' }] }),
    );
    // 1,005 events: more than one page of the control API (1,000).
    for (let batch = 0; batch < 101; batch++) {
      const n = batch === 100 ? 5 : 10;
      await eb.send(
        new PutEventsCommand({
          Entries: Array.from({ length: n }, (_, i) => ({
            Source: 'my.app',
            DetailType: 'n',
            Detail: JSON.stringify({ n: batch * 10 + i }),
          })),
        }),
      );
    }
    eb.destroy();
  });
  after(async () => {
    await aw.close();
    box.remove();
  });

  it('writes every event, oldest first, with its rules and deliveries, as JSON lines', async () => {
    const r = await box.run(['history', '--output', 'history.jsonl']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote 1005 events to .*history\.jsonl/);
    const lines = readFileSync(join(box.dir, 'history.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 1005);
    assert.deepEqual(
      lines.map((l) => l.event.detail.n),
      Array.from({ length: 1005 }, (_, i) => i),
    );
    assert.deepEqual(lines[0].rules, ['all-mine']);
    assert.equal(lines[0].deliveries.length, 1);
    assert.equal(lines[0].bus, 'arn:aws:events:us-east-1:000000000000:event-bus/default');
  });

  it('to standard output, filtered by bus and time; a bad time is a usage error', async () => {
    const none = await box.run(['history', '--bus', 'orders']);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, '');
    const future = await box.run(['history', '--since', new Date(Date.now() + 3_600_000).toISOString()]);
    assert.equal(future.stdout, '');
    const bad = await box.run(['history', '--since', 'yesterday']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since: expected an ISO 8601 time or epoch milliseconds, got yesterday/);
  });
});
