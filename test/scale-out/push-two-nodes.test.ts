import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  CreatePlatformApplicationCommand,
  CreatePlatformEndpointCommand,
  GetEndpointAttributesCommand,
  GetSMSAttributesCommand,
  ListEndpointsByPlatformApplicationCommand,
  OptInPhoneNumberCommand,
  PublishCommand,
  SetEndpointAttributesCommand,
  SetSMSAttributesCommand,
} from '@aws-sdk/client-sns';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, waitFor } from '../notify/helpers.js';
import { startNatsServer, type NatsCluster } from '../support/nats-server.js';

/**
 * Mobile push and SMS state on a JetStream store: documents in the Store like SNS topics, so
 * what one node writes the other reads (and a disabled endpoint is disabled everywhere).
 */
let nats: NatsCluster;
let a: App;
let b: App;
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-push-nodes-'));

before(async () => {
  nats = await startNatsServer();
  const node = (n: string) => startTestServer({ inMemory: false, dataDir: join(dir, n), natsUrl: nats.url, natsReplicas: 1 });
  a = await node('a');
  b = await node('b');
});
after(async () => {
  await a?.close();
  await b?.close();
  await nats?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('applications, endpoints, SMS settings and opt-outs written on one node are read on the other', async () => {
  const sa = snsClient(a);
  const sb = snsClient(b);
  const { PlatformApplicationArn } = await sa.send(
    new CreatePlatformApplicationCommand({ Name: 'shared', Platform: 'GCM', Attributes: { PlatformCredential: 'k' } }),
  );
  const { EndpointArn } = await sa.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'tok' }));
  const seen = await waitFor(async () => {
    const r = await sb.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn })).catch(() => undefined);
    return r?.Endpoints?.length ? r.Endpoints : undefined;
  }, 'the endpoint on node b');
  assert.equal(seen[0]?.EndpointArn, EndpointArn);
  // The same token through the other node names the same endpoint (idempotent across nodes).
  assert.equal((await sb.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'tok' }))).EndpointArn, EndpointArn);

  await sb.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { Enabled: 'false' } }));
  await waitFor(
    async () => ((await sa.send(new GetEndpointAttributesCommand({ EndpointArn }))).Attributes?.Enabled === 'false' ? true : undefined),
    'the endpoint disabled on node a',
  );
  await assert.rejects(sa.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'x' })), { name: 'EndpointDisabledException' });

  await sa.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional' } }));
  await waitFor(
    async () => ((await sb.send(new GetSMSAttributesCommand({}))).attributes?.DefaultSMSType === 'Transactional' ? true : undefined),
    'the SMS settings on node b',
  );
  const optOut = await fetch(`${a.url}/_amiwatch/sns/sms-opt-out`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber: '+15555550177' }),
  });
  assert.equal(optOut.status, 200);
  await waitFor(
    async () => ((await sb.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550177' }))).isOptedOut ? true : undefined),
    'the opt-out on node b',
  );
  await sb.send(new OptInPhoneNumberCommand({ phoneNumber: '+15555550177' }));
  sa.destroy();
  sb.destroy();
});
