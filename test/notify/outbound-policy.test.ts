import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { OutboundPolicy, REFUSED } from '../../src/delivery/outbound-policy.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { signedFetch } from '../support/signed-fetch.js';
import { startSubscriber, waitFor, type TestSubscriber } from './helpers.js';

/**
 * Where amiwatch may send (src/delivery/outbound-policy.ts): never to itself; with credentials
 * not to loopback, link-local or private addresses unless --allow-outbound names them; checked
 * on the resolved address; failures that tell nothing about the target.
 */
test('the policy: own listener always refused; non-public ranges refused in credentials mode unless allowed', () => {
  const dev = new OutboundPolicy({ restrictPrivate: false, allow: [], ownPort: () => 4566 });
  assert.equal(dev.permits('127.0.0.1', 4566), false, 'amiwatch itself');
  assert.equal(dev.permits('::ffff:127.0.0.1', 4566), false, 'itself, IPv4-mapped');
  assert.equal(dev.permits('127.0.0.1', 8080), true, 'another local service, in development');
  const strict = new OutboundPolicy({
    restrictPrivate: true,
    allow: ['10.1.0.0/16', '192.168.1.20'],
    ownPort: () => 4566,
    publicUrl: 'https://amiwatch.example:443',
  });
  for (const address of [
    '127.0.0.1',
    '::1',
    '169.254.169.254',
    '10.0.0.5',
    '172.16.3.4',
    '192.168.7.7',
    '100.64.0.1',
    '0.0.0.0',
    'fe80::1',
    'fd00::1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:5',
  ]) {
    assert.equal(strict.permits(address, 80), false, address);
  }
  for (const address of ['10.1.2.3', '192.168.1.20', '93.184.216.34', '2606:4700::1111'])
    assert.equal(strict.permits(address, 80), true, address);
  assert.equal(strict.permitsUrl(new URL('https://amiwatch.example/hook')), false, 'the public URL is amiwatch too');
  assert.throws(() => new OutboundPolicy({ restrictPrivate: true, allow: ['not-an-address'], ownPort: () => undefined }));
});

test('the address is judged after DNS, at connect time: a name that resolves to loopback is refused', async () => {
  const strict = new OutboundPolicy({ restrictPrivate: true, allow: [], ownPort: () => undefined });
  const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => strict.lookupFor(80)('localhost', {}, (e) => resolve(e)));
  assert.equal(err?.code, 'EOUTBOUNDREFUSED');
  assert.equal(err?.message, REFUSED);
});

const dir = mkdtempSync(join(tmpdir(), 'amiwatch-outbound-'));
const credentialsFile = join(dir, 'credentials.json');
writeFileSync(
  credentialsFile,
  JSON.stringify({ credentials: [{ accessKeyId: 'AKIDOUT', secretAccessKey: 'secret', accountId: '111111111111' }] }),
);
const key = { accessKeyId: 'AKIDOUT', secretAccessKey: 'secret' };
let subscriber: TestSubscriber;

before(async () => {
  subscriber = await startSubscriber();
});
after(async () => {
  await subscriber.close();
  rmSync(dir, { recursive: true, force: true });
});

async function withServer(overrides: Record<string, unknown>, use: (app: App, sns: SNSClient) => Promise<void>): Promise<void> {
  const app = await startTestServer({ credentialsFile, defaultAccount: '111111111111', ...overrides });
  const sns = new SNSClient({ endpoint: app.url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
  try {
    await use(app, sns);
  } finally {
    sns.destroy();
    await app.close();
  }
}

const deliveries = async (app: App) =>
  (
    JSON.parse((await signedFetch(`${app.url}/_amiwatch/sns/deliveries`, key)).body) as {
      deliveries: { endpoint: string; status: string; error?: string }[];
    }
  ).deliveries;

async function subscribe(sns: SNSClient, endpoint: string): Promise<void> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 't' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
}

test('credentials mode: an HTTP subscriber on loopback gets no POST at all; the log says only that it is refused', async () => {
  await withServer({}, async (app, sns) => {
    await subscribe(sns, subscriber.url);
    await subscribe(sns, subscriber.url.replace('127.0.0.1', 'localhost'));
    const log = await waitFor(async () => {
      const d = await deliveries(app);
      return d.length >= 2 && d.every((r) => r.error !== undefined) ? d : undefined;
    }, 'both confirmations to be refused');
    for (const r of log) assert.equal(r.error, `OUTBOUND_REFUSED: ${REFUSED}`);
    assert.equal(subscriber.posts.length, 0);
  });
});

test('--allow-outbound lets a named address through; closed and open-but-silent ports fail alike', async () => {
  const silent = createTcpServer((socket) => socket.destroy());
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const closed = createTcpServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  try {
    await withServer({ allowOutbound: ['127.0.0.1'] }, async (app, sns) => {
      await subscribe(sns, subscriber.url);
      await waitFor(() => (subscriber.posts.some((p) => p.doc.Type === 'SubscriptionConfirmation') ? true : undefined), 'the confirmation');
      await subscribe(sns, `http://127.0.0.1:${(silent.address() as AddressInfo).port}/x`);
      await subscribe(sns, `http://127.0.0.1:${closedPort}/x`);
      const failed = await waitFor(async () => {
        const f = (await deliveries(app)).filter((r) => r.error !== undefined);
        return f.length >= 2 ? f : undefined;
      }, 'two failures');
      assert.deepEqual(new Set(failed.map((r) => r.error)), new Set(['UNREACHABLE: the endpoint could not be reached']));
    });
  } finally {
    await new Promise<void>((r) => silent.close(() => r()));
  }
});

test("without credentials too, a subscriber URL naming amiwatch's own listener is never called", async () => {
  const app = await startTestServer({});
  const sns = new SNSClient({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  try {
    await subscribe(sns, `${app.url}/_amiwatch/ec2/faults`);
    const log = await waitFor(async () => {
      const d = JSON.parse(await (await fetch(`${app.url}/_amiwatch/sns/deliveries`)).text()) as {
        deliveries: { status: string; error?: string }[];
      };
      return d.deliveries.find((r) => r.error !== undefined);
    }, 'the refusal');
    assert.equal(log.error, `OUTBOUND_REFUSED: ${REFUSED}`);
    assert.deepEqual(((await (await fetch(`${app.url}/_amiwatch/ec2/faults`)).json()) as { rules: unknown[] }).rules, []);
  } finally {
    sns.destroy();
    await app.close();
  }
});
