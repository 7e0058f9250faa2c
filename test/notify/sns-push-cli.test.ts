import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, test } from 'node:test';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { awsCliJson, awsCliSkip } from '../support/aws-cli.js';
import { startWebhook, waitFor } from './helpers.js';

/** Mobile push and the SMS settings through AWS CLI v2 (`aws sns …`), over a real socket. */
let app: App;
let webhook: Awaited<ReturnType<typeof startWebhook>>;
let hooked: Record<string, unknown>[];
const aws = awsCliJson(
  () => app.url,
  () => tmpdir(),
);

before(async () => {
  webhook = await startWebhook();
  hooked = webhook.calls;
  app = await startTestServer({ notifyWebhookUrl: webhook.url });
});
after(async () => {
  await app?.close();
  await webhook.close();
});

test('platform application, endpoint, a platform-specific publish and its errors (CLI v2)', { skip: awsCliSkip }, async () => {
  const created = await aws(
    'sns',
    'create-platform-application',
    '--name',
    'cli-app',
    '--platform',
    'APNS_SANDBOX',
    '--attributes',
    'PlatformPrincipal=signing-key-id,PlatformCredential=signing-key',
  );
  assert.equal(created.code, 0, created.stderr);
  const appArn = created.out.PlatformApplicationArn as string;
  assert.equal(appArn, 'arn:aws:sns:us-east-1:000000000000:app/APNS_SANDBOX/cli-app');

  const listed = await aws('sns', 'list-platform-applications');
  assert.deepEqual(listed.out.PlatformApplications, [{ PlatformApplicationArn: appArn, Attributes: { Enabled: 'true' } }]);

  const endpoint = await aws(
    'sns',
    'create-platform-endpoint',
    '--platform-application-arn',
    appArn,
    '--token',
    'abc123',
    '--custom-user-data',
    'bob',
  );
  assert.equal(endpoint.code, 0, endpoint.stderr);
  const EndpointArn = endpoint.out.EndpointArn as string;
  const clash = await aws('sns', 'create-platform-endpoint', '--platform-application-arn', appArn, '--token', 'abc123');
  assert.notEqual(clash.code, 0);
  assert.match(
    clash.stderr,
    new RegExp(
      `\\(InvalidParameter\\).*Invalid parameter: Token Reason: Endpoint ${EndpointArn} already exists with the same Token, but different attributes\\.`,
    ),
  );

  const message = JSON.stringify({ default: 'AMI ready', APNS_SANDBOX: JSON.stringify({ aps: { alert: 'AMI ready' } }) });
  const published = await aws('sns', 'publish', '--target-arn', EndpointArn, '--message-structure', 'json', '--message', message);
  assert.equal(published.code, 0, published.stderr);
  const hook = await waitFor(() => hooked.find((h) => h.id === published.out.MessageId), 'the push at the webhook');
  assert.equal(hook.platform, 'APNS_SANDBOX');
  assert.equal(hook.message, '{"aps":{"alert":"AMI ready"}}');
  assert.equal(hook.token, 'abc123');

  assert.equal((await aws('sns', 'set-endpoint-attributes', '--endpoint-arn', EndpointArn, '--attributes', 'Enabled=false')).code, 0);
  const got = await aws('sns', 'get-endpoint-attributes', '--endpoint-arn', EndpointArn);
  assert.deepEqual(got.out.Attributes, { Enabled: 'false', CustomUserData: 'bob', Token: 'abc123' });
  const refused = await aws('sns', 'publish', '--target-arn', EndpointArn, '--message', 'hi');
  assert.match(refused.stderr, /\(EndpointDisabled\) when calling the Publish operation: Endpoint is disabled/);

  const byApp = await aws('sns', 'list-endpoints-by-platform-application', '--platform-application-arn', appArn);
  assert.equal(byApp.out.Endpoints[0].EndpointArn, EndpointArn);
  assert.equal((await aws('sns', 'delete-platform-application', '--platform-application-arn', appArn)).code, 0);
  const gone = await aws('sns', 'get-endpoint-attributes', '--endpoint-arn', EndpointArn);
  assert.match(gone.stderr, /\(NotFound\) when calling the GetEndpointAttributes operation: Endpoint does not exist/);
});

test('SMS settings and the opt-out list (CLI v2)', { skip: awsCliSkip }, async () => {
  assert.equal((await aws('sns', 'set-sms-attributes', '--attributes', 'DefaultSMSType=Transactional,MonthlySpendLimit=5')).code, 0);
  const got = await aws('sns', 'get-sms-attributes', '--attributes', 'DefaultSMSType', 'MonthlySpendLimit');
  assert.deepEqual(got.out.attributes, { DefaultSMSType: 'Transactional', MonthlySpendLimit: '5' });
  const bad = await aws('sns', 'set-sms-attributes', '--attributes', 'Volume=11');
  assert.match(bad.stderr, /\(InvalidParameter\) when calling the SetSMSAttributes operation: Volume is not a valid attribute/);

  const optOut = await fetch(`${app.url}/_amiwatch/sns/sms-opt-out`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber: '+447700900123' }),
  });
  assert.equal(optOut.status, 200);
  assert.deepEqual((await aws('sns', 'list-phone-numbers-opted-out')).out.phoneNumbers, ['+447700900123']);
  assert.equal((await aws('sns', 'check-if-phone-number-is-opted-out', '--phone-number', '+447700900123')).out.isOptedOut, true);
  assert.equal((await aws('sns', 'opt-in-phone-number', '--phone-number', '+447700900123')).code, 0);
  assert.equal((await aws('sns', 'check-if-phone-number-is-opted-out', '--phone-number', '+447700900123')).out.isOptedOut, false);
});
