import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SubscribeCommand,
  UnsubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, startSubscriber, verifiesSnsSignature, waitFor, type ReceivedPost, type TestSubscriber } from './helpers.js';

/**
 * Message formats checked field for field against AWS's documentation and real captures
 * (SNS developer guide: "Amazon SNS message and JSON formats", "Verifying the signatures of Amazon
 * SNS messages", email notifications), through the SDK and amiwatch's built-in mailbox.
 */
let app: App;
let sns: SNSClient;

let subscriber: TestSubscriber;
let posts: ReceivedPost[];
let subscriberUrl: string;

before(async () => {
  subscriber = await startSubscriber();
  posts = subscriber.posts;
  subscriberUrl = subscriber.url;
  app = await startTestServer();
  sns = snsClient(app);
});
after(async () => {
  sns.destroy();
  await app.close();
  await subscriber.close();
});

interface MailboxMessage {
  subject: string;
  text: string;
}

async function mailbox(to: string): Promise<MailboxMessage[]> {
  const r = await fetch(`${app.url}/_amiwatch/mailbox?to=${encodeURIComponent(to)}`);
  return ((await r.json()) as { messages: MailboxMessage[] }).messages;
}

describe('SNS email format', () => {
  it("the notification ends with AWS's footer: the unsubscribe link names the subscription and the endpoint", {
    timeout: 20_000,
  }, async () => {
    const to = 'ops@example.com';
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'footer' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: to }));
    const confirmation = await waitFor(
      async () => (await mailbox(to)).find((m) => m.subject === 'AWS Notification - Subscription Confirmation'),
      'the confirmation mail',
    );
    const link = /(http:\/\/\S+confirmation\.html\S+)/.exec(confirmation.text)?.[1];
    assert.equal((await fetch(link!)).status, 200);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    const arn = Subscriptions![0]!.SubscriptionArn!;

    await sns.send(new PublishCommand({ TopicArn, Message: 'the AMI is available' }));
    const mail = await waitFor(
      async () => (await mailbox(to)).find((m) => m.subject === 'AWS Notification Message'),
      'the notification mail',
    );
    // Real mails: `…/unsubscribe.html?SubscriptionArn=arn:aws:sns:…&Endpoint=user@example.com`.
    const expected =
      'the AMI is available\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n' +
      `${app.url}/_amiwatch/sns/public/unsubscribe.html?SubscriptionArn=${arn}&Endpoint=${to}\n\n` +
      'Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support';
    assert.equal(mail.text, expected);
    // The link works as the mail's reader would use it.
    const page = await fetch(`${app.url}/_amiwatch/sns/public/unsubscribe.html?SubscriptionArn=${arn}&Endpoint=${to}`);
    assert.equal(page.status, 200);
    const left = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.equal(left.Subscriptions!.length, 0);
  });
});

describe('SNS confirmation tokens', () => {
  it('are valid three days: a Subscribe repeated after that mails a token that confirms', { timeout: 20_000 }, async () => {
    const clock = new ManualClock(Date.now());
    const late = await startTestServer({}, { clock });
    const client = snsClient(late);
    try {
      const to = 'late@example.com';
      const inbox = async () =>
        ((await (await fetch(`${late.url}/_amiwatch/mailbox?to=${to}`)).json()) as { messages: MailboxMessage[] }).messages;
      const linkIn = (m: MailboxMessage) => /(http:\/\/\S+confirmation\.html\S+)/.exec(m.text)![1]!;
      const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'late' }));
      await client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: to }));
      const first = await waitFor(async () => (await inbox())[0], 'the first confirmation mail');
      clock.advance(3 * 24 * 3600_000 + 1000);
      assert.equal((await fetch(linkIn(first))).status, 400, 'a token older than three days is refused');

      const again = await client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: to }));
      assert.equal(again.SubscriptionArn, 'pending confirmation');
      const second = await waitFor(
        async () => ((await inbox()).length === 2 ? (await inbox())[0] : undefined),
        'the second confirmation mail',
      );
      const page = await fetch(linkIn(second));
      assert.equal(page.status, 200, 'the new mail confirms');
      const { Subscriptions } = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      assert.match(Subscriptions![0]!.SubscriptionArn!, /^arn:aws:sns:/);
    } finally {
      client.destroy();
      await late.close();
    }
  });
});

describe('SNS HTTP UnsubscribeConfirmation', () => {
  it('unsubscribing through the UnsubscribeURL (no signature) sends a signed UnsubscribeConfirmation whose SubscribeURL restores the subscription', {
    timeout: 20_000,
  }, async () => {
    const endpoint = `${subscriberUrl}?t=unsub`;
    const mine = () => posts.filter((p) => p.doc.TopicArn?.endsWith(':unsub'));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'unsub' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
    const conf = await waitFor(() => mine().find((p) => p.doc.Type === 'SubscriptionConfirmation'), 'the SubscriptionConfirmation');
    assert.equal((await fetch(conf.doc.SubscribeURL!)).status, 200);
    await sns.send(new PublishCommand({ TopicArn, Message: 'one' }));
    const note = await waitFor(() => mine().find((p) => p.doc.Message === 'one'), 'the first notification');
    const arn = note.doc.UnsubscribeURL ? /SubscriptionArn=([^&]+)/.exec(note.doc.UnsubscribeURL)![1]! : '';

    assert.equal((await fetch(note.doc.UnsubscribeURL!)).status, 200);
    // http-unsubscribe-confirmation-json: the fields of a SubscriptionConfirmation, in its order.
    const bye = await waitFor(() => mine().find((p) => p.doc.Type === 'UnsubscribeConfirmation'), 'the UnsubscribeConfirmation');
    assert.equal(bye.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation');
    assert.equal(bye.headers['x-amz-sns-message-id'], bye.doc.MessageId);
    assert.equal(bye.headers['x-amz-sns-topic-arn'], TopicArn);
    assert.equal(bye.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.deepEqual(Object.keys(bye.doc), [
      'Type',
      'MessageId',
      'Token',
      'TopicArn',
      'Message',
      'SubscribeURL',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
    ]);
    assert.equal(
      bye.doc.Message,
      `You have chosen to deactivate subscription ${decodeURIComponent(arn)}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
    );
    assert.ok(await verifiesSnsSignature(bye.doc), 'the UnsubscribeConfirmation verifies');
    assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!.length, 0, 'unsubscribed');

    // Visiting the SubscribeURL restores the subscription, under its ARN.
    const restored = await fetch(bye.doc.SubscribeURL!);
    assert.equal(restored.status, 200);
    assert.match(await restored.text(), new RegExp(`<SubscriptionArn>${decodeURIComponent(arn)}</SubscriptionArn>`));
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.deepEqual(
      Subscriptions!.map((x) => x.SubscriptionArn),
      [decodeURIComponent(arn)],
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'two' }));
    await waitFor(() => mine().find((p) => p.doc.Message === 'two'), 'a notification after the restore');
    // The token restores once.
    assert.equal((await fetch(bye.doc.SubscribeURL!)).status, 400);

    // The owner's signed Unsubscribe call: no final message (Unsubscribe API reference).
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: decodeURIComponent(arn) }));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mine().filter((p) => p.doc.Type === 'UnsubscribeConfirmation').length, 1);
  });
});
