import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
// Registers the SDK's SigV4a signer: without it the SDK refuses EndpointId client-side.
import '@aws-sdk/signature-v4a';
import { ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../support/signed-fetch.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { startApp } from '../../src/server/app.js';
import { ConfigError, defaults } from '../../src/server/config.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { awsCliEnv, awsCliSkip, awsCliV2 } from '../support/aws-cli.js';

/** With a credentials file, signatures are verified for real; the wire captures are replayed. */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-cred-'));
const credentialsFile = join(dir, 'credentials.json');
writeFileSync(
  credentialsFile,
  JSON.stringify({ credentials: [{ accessKeyId: 'test', secretAccessKey: 'test', accountId: '222233334444' }] }),
);
const clock = new ManualClock(Date.UTC(2026, 10, 24, 23, 34, 0));
let app: App;

before(async () => {
  app = await startTestServer({ credentialsFile }, { clock });
});
after(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends a capture's bytes unchanged (its Host header included) and returns status + body. */
function replay(raw: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(app.port, '127.0.0.1', () => socket.end(raw));
    let data = '';
    socket.on('data', (c) => (data += c.toString()));
    socket.on('end', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(head!.split(' ')[1]), body: rest.join('\r\n\r\n') });
    });
    socket.on('error', reject);
  });
}

const fixtures = new URL('../fixtures/wire/', import.meta.url).pathname;
// The PutEvents-EndpointId captures are SigV4a (AWS4-ECDSA-P256-SHA256), from the CLI v2 and the SDK.
const captures = readdirSync(fixtures).filter((f) =>
  /^(cli|cli1|sdk)-events-(ListRules|PutRule|TestEventPattern|PutEvents-EndpointId)\.http$/.test(f),
);

for (const file of captures) {
  test(`replayed capture ${file} is accepted with its real signature`, async () => {
    const raw = readFileSync(join(fixtures, file));
    // Connection: keep-alive in the SDK captures would keep the socket open; the server answers either way.
    const res = await replay(Buffer.from(raw.toString('latin1').replace('Connection: keep-alive', 'Connection: close'), 'latin1'));
    assert.equal(res.status, 200, res.body);
    const tampered = Buffer.from(
      raw
        .toString('latin1')
        .replace('us-east-1/events', 'us-east-1/events')
        .replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`),
      'latin1',
    );
    const bad = await replay(Buffer.from(tampered.toString('latin1').replace('Connection: keep-alive', 'Connection: close'), 'latin1'));
    assert.equal(bad.status, 403);
    assert.equal(JSON.parse(bad.body).__type, 'InvalidSignatureException');
  });
}

test("the SDK with the right secret works; the account is the key's; a wrong secret or key is refused", async () => {
  clock.set(Date.now());
  const good = sdkClient(app);
  // The replayed PutRule captures created the guide's rule in the key's account.
  const rules = (await good.send(new ListRulesCommand({}))).Rules ?? [];
  assert.deepEqual(
    rules.map((r) => r.Arn),
    ['arn:aws:events:us-east-1:222233334444:rule/ami-available'],
  );
  const wrong = sdkClient(app, { accessKeyId: 'test', secretAccessKey: 'nope' });
  await assert.rejects(
    wrong.send(new ListRulesCommand({})),
    (e: Error) => e.name === 'InvalidSignatureException' && /does not match/.test(e.message),
  );
  const unknown = sdkClient(app, { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'test' });
  await assert.rejects(unknown.send(new ListRulesCommand({})), (e: Error) => e.name === 'UnrecognizedClientException');
  clock.advance(10 * 60 * 1000);
  await assert.rejects(
    good.send(new ListRulesCommand({})),
    (e: Error) => e.name === 'InvalidSignatureException' && /^Signature expired/.test(e.message),
  );
  for (const c of [good, wrong, unknown]) c.destroy();
});

test('SigV4a from the SDK (PutEvents with EndpointId) is verified: the right secret is accepted, a wrong one refused', async () => {
  clock.set(Date.now());
  const entry = { Source: 'my.app', DetailType: 'v4a', Detail: '{"signed":"ecdsa"}' };
  const good = sdkClient(app);
  const out = await good.send(new PutEventsCommand({ EndpointId: 'abcde.veo', Entries: [entry] }));
  assert.equal(out.FailedEntryCount, 0);
  assert.match(out.Entries?.[0]?.EventId ?? '', /^[0-9a-f-]{36}$/);
  const wrong = sdkClient(app, { accessKeyId: 'test', secretAccessKey: 'nope' });
  await assert.rejects(
    wrong.send(new PutEventsCommand({ EndpointId: 'abcde.veo', Entries: [entry] })),
    (e: Error) => e.name === 'InvalidSignatureException' && /does not match/.test(e.message),
  );
  for (const c of [good, wrong]) c.destroy();
});

test('SigV4a from the AWS CLI v2 (put-events --endpoint-id) is verified the same way', { skip: awsCliSkip }, async () => {
  clock.set(Date.now());
  const putEvents = async (secret: string) => {
    const env = { ...awsCliEnv(), AWS_SECRET_ACCESS_KEY: secret };
    const args = [
      '--endpoint-url',
      app.url,
      '--output',
      'json',
      'events',
      'put-events',
      '--endpoint-id',
      'abcde.veo',
      '--entries',
      JSON.stringify([{ Source: 'my.app', DetailType: 'v4a', Detail: '{}' }]),
    ];
    return promisify(execFile)(awsCliV2, args, { env }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  };
  const ok = await putEvents('test');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { FailedEntryCount: number }).FailedEntryCount, 0);
  const refused = await putEvents('nope');
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /InvalidSignatureException/);
});

test('with credentials the control API wants a signature too (health excepted)', async () => {
  assert.equal((await fetch(`${app.url}/_amiwatch/health`)).status, 200);
  const res = await fetch(`${app.url}/_amiwatch/events`);
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as { error: string }).error, /^MissingAuthenticationTokenException/);
  clock.set(Date.now());
  const url = new URL(`${app.url}/_amiwatch/events?limit=1`);
  const signer = new SignatureV4({
    service: 'amiwatch',
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: { limit: '1' },
    headers: { host: url.host },
  });
  const ok = await fetch(url, { headers: signed.headers as Record<string, string> });
  assert.equal(ok.status, 200);
});

test('binding beyond loopback without credentials is refused with a clear message', async () => {
  await assert.rejects(
    startApp({ config: { ...defaults, host: '0.0.0.0', port: 0, inMemory: true }, log: () => {} }),
    (e: Error) => e instanceof ConfigError && /refusing to listen on 0\.0\.0\.0 without credentials/.test(e.message),
  );
});
