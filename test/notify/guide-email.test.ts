import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { CreateImageCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { startMailCatcher, type MailCatcher } from '../support/mail-catcher.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, waitFor } from './helpers.js';
import { awsCliEnv, awsCliSkip, awsCliV2 as AWS } from '../support/aws-cli.js';
import { runningInstance } from '../support/ec2-instance.js';

/**
 * The guide end to end, as a user runs it: the AWS CLI v2 creates the topic, subscribes an email
 * address and writes the guide's rule with the topic as target; the confirmation mail arrives at a
 * real SMTP server (smtp-server), its link is followed; the SDK creates an image; the mail with the
 * AMI's `available` event arrives, sent under the topic's DisplayName.
 */
const run = promisify(execFile);
let smtp: MailCatcher;
const mails = () => smtp.mails;
let app: App;
let sns: SNSClient;
let ec2: EC2Client;

before(async () => {
  smtp = await startMailCatcher();
  app = await startTestServer({ smtpUrl: smtp.url });
  sns = snsClient(app);
  ec2 = new EC2Client({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
after(async () => {
  sns.destroy();
  ec2.destroy();
  await app.close();
  await smtp.close();
});

async function cli(...args: string[]): Promise<Record<string, unknown>> {
  const env = awsCliEnv();
  const { stdout } = await run(AWS, ['--endpoint-url', app.url, '--output', 'json', ...args], { env });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

const mailTo = (subject: string) => () => mails().find((m) => m.subject === subject);

test('guide: email subscription confirmed through the mailed link; CreateImage → the email with the available event', {
  skip: awsCliSkip,
  timeout: 60_000,
}, async () => {
  const topic = await cli('sns', 'create-topic', '--name', 'ami-events');
  const topicArn = topic.TopicArn as string;
  assert.equal(topicArn, 'arn:aws:sns:us-east-1:000000000000:ami-events');
  await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'DisplayName', AttributeValue: 'AMI watch' }));
  const sub = await cli('sns', 'subscribe', '--topic-arn', topicArn, '--protocol', 'email', '--notification-endpoint', 'ops@example.com');
  assert.equal(sub.SubscriptionArn, 'pending confirmation');

  const confirmation = await waitFor(mailTo('AWS Notification - Subscription Confirmation'), 'the confirmation mail');
  assert.equal(confirmation.to && !Array.isArray(confirmation.to) ? confirmation.to.value[0]?.address : undefined, 'ops@example.com');
  assert.equal(confirmation.from?.value[0]?.name, 'AMI watch');
  const link = /(http:\/\/\S+confirmation\.html\S+)/.exec(confirmation.text ?? '')?.[1];
  assert.ok(link, `a confirmation link in: ${confirmation.text}`);
  const page = await fetch(link);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Subscription confirmed!/);

  await cli(
    'events',
    'put-rule',
    '--name',
    'ami-available',
    '--event-pattern',
    '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}',
  );
  // What the docs show a CLI user: the topic policy must let EventBridge publish (enforced as on AWS).
  const statement = {
    Sid: 'AWSEvents_ami-available_sns1',
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: 'sns:Publish',
    Resource: topicArn,
  };
  await cli(
    'sns',
    'set-topic-attributes',
    '--topic-arn',
    topicArn,
    '--attribute-name',
    'Policy',
    '--attribute-value',
    JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
  );
  await cli('events', 'put-targets', '--rule', 'ami-available', '--targets', `Id=sns1,Arn=${topicArn}`);

  const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'web-server-v1' }));
  const mail = await waitFor(mailTo('AWS Notification Message'), 'the notification mail', 30_000);
  assert.equal(mail.from?.value[0]?.name, 'AMI watch');
  const [body, footer] = (mail.text ?? '').split('\n\n--\n');
  const event = JSON.parse(body!);
  assert.equal(event['detail-type'], 'EC2 AMI State Change');
  assert.equal(event.detail.ImageId, ImageId);
  assert.equal(event.detail.State, 'available');
  assert.match(
    footer!,
    /If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\nhttp:\/\/\S+unsubscribe\.html\?SubscriptionArn=arn:aws:sns:us-east-1:000000000000:ami-events:[0-9a-f-]+&Endpoint=ops@example\.com\n/,
  );
});
