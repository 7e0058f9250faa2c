import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, waitFor } from './helpers.js';

/**
 * Message formats checked field for field against AWS's documentation and real captures
 * (shared/AWS-REFERENCE.md §4), through the SDK and amiwatch's built-in mailbox.
 */
let app: App;
let sns: SNSClient;

before(async () => {
  app = await startTestServer();
  sns = snsClient(app);
});
after(async () => {
  sns.destroy();
  await app.close();
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
  it("the notification ends with AWS's footer: the unsubscribe link names the subscription and the endpoint", { timeout: 20_000 }, async () => {
    const to = 'ops@example.com';
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'footer' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: to }));
    const confirmation = await waitFor(async () => (await mailbox(to)).find((m) => m.subject === 'AWS Notification - Subscription Confirmation'), 'the confirmation mail');
    const link = /(http:\/\/\S+confirmation\.html\S+)/.exec(confirmation.text)?.[1];
    assert.equal((await fetch(link!)).status, 200);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    const arn = Subscriptions![0]!.SubscriptionArn!;

    await sns.send(new PublishCommand({ TopicArn, Message: 'the AMI is available' }));
    const mail = await waitFor(async () => (await mailbox(to)).find((m) => m.subject === 'AWS Notification Message'), 'the notification mail');
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
