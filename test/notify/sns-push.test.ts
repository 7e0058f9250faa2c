import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  CreatePlatformApplicationCommand,
  CreatePlatformEndpointCommand,
  CreateTopicCommand,
  DeleteEndpointCommand,
  DeletePlatformApplicationCommand,
  GetEndpointAttributesCommand,
  GetPlatformApplicationAttributesCommand,
  GetSMSAttributesCommand,
  GetTopicAttributesCommand,
  ListEndpointsByPlatformApplicationCommand,
  ListPhoneNumbersOptedOutCommand,
  ListPlatformApplicationsCommand,
  OptInPhoneNumberCommand,
  PublishCommand,
  SetEndpointAttributesCommand,
  SetPlatformApplicationAttributesCommand,
  SetSMSAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';
import { snsClient, startWebhook, waitFor } from './helpers.js';

/** SNS mobile push and the SMS APIs through @aws-sdk/client-sns, delivered to a real webhook. */
let app: App;
let sns: SNSClient;
let webhook: Awaited<ReturnType<typeof startWebhook>>;
let hooked: Record<string, unknown>[];
const clock = new ManualClock(Date.UTC(2026, 5, 1));

before(async () => {
  webhook = await startWebhook();
  hooked = webhook.calls;
  app = await startTestServer({ notifyWebhookUrl: webhook.url }, { clock });
  sns = snsClient(app);
});
after(async () => {
  sns.destroy();
  await app.close();
  await webhook.close();
});

async function rejects(p: Promise<unknown>, name: string, message: string): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name);
    assert.equal(e.message, message);
    return true;
  });
}

/** The number's owner replies STOP (amiwatch's control API). */
const optOutAt = (server: App, phoneNumber: string) =>
  fetch(`${server.url}/_amiwatch/sns/sms-opt-out`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber }),
  });

const gcmApp = async (name: string) =>
  (await sns.send(new CreatePlatformApplicationCommand({ Name: name, Platform: 'GCM', Attributes: { PlatformCredential: 'api-key' } })))
    .PlatformApplicationArn!;

describe('platform applications', () => {
  it('create, read (credentials hidden), update, list, delete; AWS texts for bad input', async () => {
    const arn = await gcmApp('droid');
    assert.equal(arn, 'arn:aws:sns:us-east-1:000000000000:app/GCM/droid');
    const apns = await sns.send(
      new CreatePlatformApplicationCommand({
        Name: 'ios.app',
        Platform: 'APNS_SANDBOX',
        Attributes: { PlatformPrincipal: 'cert', PlatformCredential: 'key' },
      }),
    );
    assert.equal(apns.PlatformApplicationArn, 'arn:aws:sns:us-east-1:000000000000:app/APNS_SANDBOX/ios.app');
    const got = await sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn }));
    assert.deepEqual(got.Attributes, { Enabled: 'true' });
    await sns.send(
      new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn, Attributes: { SuccessFeedbackSampleRate: '50' } }),
    );
    assert.equal(
      (await sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn }))).Attributes?.SuccessFeedbackSampleRate,
      '50',
    );
    const listed = await sns.send(new ListPlatformApplicationsCommand({}));
    assert.deepEqual(listed.PlatformApplications?.map((a) => a.PlatformApplicationArn).sort(), [apns.PlatformApplicationArn, arn].sort());

    const create = (Name: string, Platform: string, Attributes: Record<string, string>) =>
      sns.send(new CreatePlatformApplicationCommand({ Name, Platform, Attributes }));
    await rejects(
      create('x', 'FOO', { PlatformCredential: 'k' }),
      'InvalidParameterException',
      'Invalid parameter: Platform Reason: FOO is not supported',
    );
    await rejects(
      create('bad name', 'GCM', { PlatformCredential: 'k' }),
      'InvalidParameterException',
      "Invalid parameter: bad name Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'",
    );
    await rejects(
      create('x', 'APNS', { PlatformCredential: 'k' }),
      'InvalidParameterException',
      'Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal',
    );
    await rejects(
      create('x', 'ADM', { PlatformPrincipal: 'id' }),
      'InvalidParameterException',
      'Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential',
    );
    await rejects(
      create('x', 'GCM', { Colour: 'red', PlatformCredential: 'k' }),
      'InvalidParameterException',
      'Invalid parameter: Attributes Reason: Invalid attribute name: Colour',
    );
    await rejects(
      sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: `${arn}-nope` })),
      'NotFoundException',
      'PlatformApplication does not exist',
    );

    await sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: apns.PlatformApplicationArn }));
    await sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: apns.PlatformApplicationArn }));
    assert.deepEqual(
      (await sns.send(new ListPlatformApplicationsCommand({}))).PlatformApplications?.map((a) => a.PlatformApplicationArn),
      [arn],
    );
  });
});

describe('platform endpoints', () => {
  it('CreatePlatformEndpoint is idempotent for the same token and attributes, refused with other attributes', async () => {
    const appArn = await gcmApp('endpoints');
    const { EndpointArn } = await sns.send(
      new CreatePlatformEndpointCommand({ PlatformApplicationArn: appArn, Token: 'tok-1', CustomUserData: 'user 1' }),
    );
    assert.match(EndpointArn!, /^arn:aws:sns:us-east-1:000000000000:endpoint\/GCM\/endpoints\/[0-9a-f-]{36}$/);
    const again = await sns.send(
      new CreatePlatformEndpointCommand({ PlatformApplicationArn: appArn, Token: 'tok-1', CustomUserData: 'user 1' }),
    );
    assert.equal(again.EndpointArn, EndpointArn);
    await rejects(
      sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: appArn, Token: 'tok-1', CustomUserData: 'user 2' })),
      'InvalidParameterException',
      `Invalid parameter: Token Reason: Endpoint ${EndpointArn} already exists with the same Token, but different attributes.`,
    );
    assert.deepEqual((await sns.send(new GetEndpointAttributesCommand({ EndpointArn }))).Attributes, {
      Enabled: 'true',
      CustomUserData: 'user 1',
      Token: 'tok-1',
    });
    await sns.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { Enabled: 'false', Token: 'tok-2' } }));
    const listed = await sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: appArn }));
    assert.deepEqual(listed.Endpoints, [{ EndpointArn, Attributes: { Enabled: 'false', CustomUserData: 'user 1', Token: 'tok-2' } }]);
    await rejects(
      sns.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { Enabled: 'maybe' } })),
      'InvalidParameterException',
      'Invalid parameter: Attributes Reason: Invalid value for attribute: Enabled',
    );
    await rejects(
      sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: appArn, Token: 't', CustomUserData: 'x'.repeat(2049) })),
      'InvalidParameterException',
      'Invalid parameter: Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding',
    );
    await sns.send(new DeleteEndpointCommand({ EndpointArn }));
    await sns.send(new DeleteEndpointCommand({ EndpointArn }));
    await rejects(sns.send(new GetEndpointAttributesCommand({ EndpointArn })), 'NotFoundException', 'Endpoint does not exist');
    await rejects(
      sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: `${appArn}x`, Token: 't' })),
      'NotFoundException',
      'PlatformApplication does not exist',
    );
  });

  it('deleting an application deletes its endpoints', async () => {
    const appArn = await gcmApp('doomed');
    const { EndpointArn } = await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: appArn, Token: 'd' }));
    await sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: appArn }));
    await rejects(sns.send(new GetEndpointAttributesCommand({ EndpointArn })), 'NotFoundException', 'Endpoint does not exist');
  });
});

describe('publishing to mobile endpoints', () => {
  it("a direct publish lands in the outbox and at the webhook with the platform's entry of a json message", async () => {
    const appArn = await gcmApp('direct');
    const { EndpointArn } = await sns.send(
      new CreatePlatformEndpointCommand({ PlatformApplicationArn: appArn, Token: 'device-token', CustomUserData: 'alice' }),
    );
    const gcm = JSON.stringify({ notification: { title: 'AMI ready', body: 'ami-123 is available' } });
    const { MessageId } = await sns.send(
      new PublishCommand({
        TargetArn: EndpointArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'AMI ready', APNS: '{"aps":{}}', GCM: gcm }),
      }),
    );
    const hook = await waitFor(() => hooked.find((h) => h.id === MessageId), 'the webhook call');
    assert.deepEqual(
      { ...hook, at: undefined },
      {
        id: MessageId,
        at: undefined,
        protocol: 'application',
        endpoint: EndpointArn,
        message: gcm,
        platform: 'GCM',
        token: 'device-token',
        applicationArn: appArn,
        customUserData: 'alice',
        status: 'recorded',
      },
    );
    const outbox = (await (await fetch(`${app.url}/_amiwatch/outbox`)).json()) as { messages: { id: string; status: string }[] };
    assert.equal(outbox.messages.find((m) => m.id === MessageId)?.status, 'sent');

    // Without a GCM entry the default is sent.
    const plain = await sns.send(
      new PublishCommand({ TargetArn: EndpointArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'fallback', APNS: 'x' }) }),
    );
    assert.equal((await waitFor(() => hooked.find((h) => h.id === plain.MessageId), 'the second call')).message, 'fallback');
    // Over the push service's 4 KB: refused as SNS refuses it.
    await rejects(
      sns.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'x'.repeat(4097) })),
      'InvalidParameterException',
      'Invalid parameter: Message Reason: Invalid notification for protocol GCM: Notification data is larger than allowed limit',
    );
  });

  it('a disabled endpoint refuses a direct publish with EndpointDisabled; a missing one is a bad TargetArn', async () => {
    const appArn = await gcmApp('disabled');
    const { EndpointArn } = await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: appArn, Token: 'off' }));
    await sns.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { Enabled: 'false' } }));
    await rejects(
      sns.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'hi' })),
      'EndpointDisabledException',
      'Endpoint is disabled',
    );
    await sns.send(new DeleteEndpointCommand({ EndpointArn }));
    await rejects(
      sns.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'hi' })),
      'InvalidParameterException',
      'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified',
    );
  });

  it('a topic delivers to its enabled application subscriptions and skips disabled ones', async () => {
    const gcm = await gcmApp('topic-gcm');
    const apns = (
      await sns.send(
        new CreatePlatformApplicationCommand({
          Name: 'topic-ios',
          Platform: 'APNS',
          Attributes: { PlatformPrincipal: 'c', PlatformCredential: 'k' },
        }),
      )
    ).PlatformApplicationArn!;
    const on = (await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: gcm, Token: 'on' }))).EndpointArn!;
    const ios = (await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: apns, Token: 'ios' }))).EndpointArn!;
    const off = (await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: gcm, Token: 'off-2' }))).EndpointArn!;
    await sns.send(new SetEndpointAttributesCommand({ EndpointArn: off, Attributes: { Enabled: 'false' } }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ami-push' }));
    for (const e of [on, ios, off]) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'application', Endpoint: e }));
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', GCM: 'g', APNS: 'a' }) }),
    );
    await waitFor(() => (hooked.filter((h) => h.id === MessageId).length === 2 ? true : undefined), 'two push calls');
    const calls = hooked.filter((h) => h.id === MessageId).map((h) => [h.endpoint, h.platform, h.message, h.topicArn]);
    assert.deepEqual(
      calls.sort(),
      [
        [ios, 'APNS', 'a', TopicArn],
        [on, 'GCM', 'g', TopicArn],
      ].sort(),
    );
    assert.equal(
      (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes?.SubscriptionsConfirmed,
      '3',
      'application subscriptions need no confirmation',
    );
  });
});

describe('SMS settings and opt-outs', () => {
  it('Set/GetSMSAttributes with AWS defaults and texts', async () => {
    assert.deepEqual((await sns.send(new GetSMSAttributesCommand({}))).attributes, { MonthlySpendLimit: '1' });
    await sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional', DefaultSenderID: 'AmiWatch' } }));
    assert.deepEqual((await sns.send(new GetSMSAttributesCommand({ attributes: ['DefaultSMSType', 'UsageReportS3Bucket'] }))).attributes, {
      DefaultSMSType: 'Transactional',
    });
    await rejects(
      sns.send(new SetSMSAttributesCommand({ attributes: { Colour: 'red' } })),
      'InvalidParameterException',
      'Colour is not a valid attribute',
    );
    await rejects(
      sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Loud' } })),
      'InvalidParameterException',
      'Invalid parameter: DefaultSMSType',
    );
  });

  it('an opted-out number is listed, not sent to, and may be opted in once every 30 days', async () => {
    const phone = '+15555550123';
    const optOut = () => optOutAt(app, phone);
    assert.equal((await optOut()).status, 200);
    assert.equal((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: phone }))).isOptedOut, true);
    assert.deepEqual((await sns.send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers, [phone]);

    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sms-opt' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: phone }));
    const viaTopic = await sns.send(new PublishCommand({ TopicArn, Message: 'not for you' }));
    const direct = await sns.send(new PublishCommand({ PhoneNumber: phone, Message: 'nor this' }));
    assert.ok(direct.MessageId);

    await sns.send(new OptInPhoneNumberCommand({ phoneNumber: phone }));
    assert.equal((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: phone }))).isOptedOut, false);
    const after = await sns.send(new PublishCommand({ PhoneNumber: phone, Message: 'welcome back' }));
    await waitFor(() => hooked.find((h) => h.id === after.MessageId), 'the SMS after opting in');
    assert.equal(
      hooked.some((h) => h.id === viaTopic.MessageId || h.id === direct.MessageId),
      false,
      'nothing sent while opted out',
    );

    await optOut();
    await rejects(
      sns.send(new OptInPhoneNumberCommand({ phoneNumber: phone })),
      'InvalidParameterException',
      'Invalid parameter: PhoneNumber Reason: a phone number can be opted in only once every 30 days',
    );
    clock.advance(30 * 24 * 3600_000);
    await sns.send(new OptInPhoneNumberCommand({ phoneNumber: phone }));
    await rejects(
      sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '555' })),
      'InvalidParameterException',
      'Invalid parameter: PhoneNumber Reason: input incorrectly formatted',
    );
  });
});

describe("another Region's ARN", () => {
  it('is refused as AWS refuses it: Invalid parameter: TopicArn / TargetArn / PlatformApplicationArn', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'east-only' }));
    const appArn = await gcmApp('east-app');
    const west = new SNSClient(inProcess(app, 'us-west-2', { accessKeyId: 'test', secretAccessKey: 'test' }));
    try {
      await rejects(west.send(new PublishCommand({ TopicArn, Message: 'x' })), 'InvalidParameterException', 'Invalid parameter: TopicArn');
      await rejects(
        west.send(new PublishCommand({ TargetArn: TopicArn, Message: 'x' })),
        'InvalidParameterException',
        'Invalid parameter: TargetArn',
      );
      await rejects(west.send(new GetTopicAttributesCommand({ TopicArn })), 'InvalidParameterException', 'Invalid parameter: TopicArn');
      await rejects(
        west.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' })),
        'InvalidParameterException',
        'Invalid parameter: TopicArn',
      );
      await rejects(
        west.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: appArn })),
        'InvalidParameterException',
        'Invalid parameter: PlatformApplicationArn',
      );
      assert.deepEqual((await west.send(new ListPlatformApplicationsCommand({}))).PlatformApplications, []);
    } finally {
      west.destroy();
    }
  });
});

describe('push state across a restart (SQLite)', () => {
  it('applications, endpoints, SMS settings and opt-outs survive', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amiwatch-sns-push-'));
    const apps: App[] = [];
    try {
      const first = await startTestServer({ inMemory: false, dataDir });
      apps.push(first);
      const a = snsClient(first);
      const appArn = (
        await a.send(
          new CreatePlatformApplicationCommand({
            Name: 'kept',
            Platform: 'WNS',
            Attributes: { PlatformPrincipal: 'sid', PlatformCredential: 's' },
          }),
        )
      ).PlatformApplicationArn!;
      const { EndpointArn } = await a.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: appArn, Token: 'wns-token' }));
      await a.send(new SetSMSAttributesCommand({ attributes: { MonthlySpendLimit: '10' } }));
      assert.equal((await optOutAt(first, '+15555550999')).status, 200);
      a.destroy();
      await first.close();
      apps.pop();
      const second = await startTestServer({ inMemory: false, dataDir });
      apps.push(second);
      const b = snsClient(second);
      assert.equal((await b.send(new GetEndpointAttributesCommand({ EndpointArn }))).Attributes?.Token, 'wns-token');
      assert.equal((await b.send(new GetSMSAttributesCommand({}))).attributes?.MonthlySpendLimit, '10');
      assert.equal((await b.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550999' }))).isOptedOut, true);
      b.destroy();
    } finally {
      for (const x of apps) await x.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
