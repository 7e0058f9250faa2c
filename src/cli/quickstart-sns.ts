import { CreateTopicCommand, ListSubscriptionsByTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { CliContext } from './context.js';
import { print } from './context.js';
import { control, type Endpoint } from './endpoint.js';
import { CliError, exitCodes } from './exit-codes.js';
import { Progress, sleep } from './progress.js';

/**
 * The SNS half of the quickstart: the guide's topic and a confirmed email subscription. With the
 * built-in mailbox the confirmation mail is read there and its link followed, as a person would
 * click it; with --smtp-url the mail went to a real mailbox, so the quickstart waits for the
 * person to click.
 */
export const quickstartTopic = 'amiwatch-quickstart';

interface MailboxEntry {
  readonly to: string;
  readonly fromName: string;
  readonly fromAddress: string;
  readonly subject: string;
  readonly text: string;
  readonly at: string;
}

export async function ensureTopic(ctx: CliContext, sns: SNSClient): Promise<string> {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: quickstartTopic, Attributes: { DisplayName: 'amiwatch quickstart' } }),
  );
  print(ctx, `${ctx.style.green('✔')} SNS topic ${ctx.style.bold(TopicArn!)}`);
  return TopicArn!;
}

export async function ensureConfirmedEmail(
  ctx: CliContext,
  sns: SNSClient,
  endpoint: Endpoint,
  topicArn: string,
  email: string,
  timeoutSeconds: number,
): Promise<void> {
  const s = ctx.style;
  const find = async () =>
    (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions?.find(
      (x) => x.Protocol === 'email' && x.Endpoint === email,
    );
  const existing = await find();
  if (existing && existing.SubscriptionArn !== 'PendingConfirmation') {
    print(ctx, `${s.green('✔')} email subscription for ${email} is confirmed already`);
    return;
  }
  if (!existing) await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: email }));
  print(ctx, `${s.green('✔')} subscribed ${email}: a confirmation mail is on its way`);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const mailbox = await control<unknown>(endpoint, `/_amiwatch/mailbox?to=${encodeURIComponent(email)}&limit=1`);
  if (mailbox.status === 200) {
    const mail = await waitForMail(
      endpoint,
      email,
      (m) => m.subject.includes('Subscription Confirmation') && m.text.includes(topicArn),
      deadline,
    );
    const link = /https?:\/\/\S*confirmation\.html\?[^\s"'<>]+/.exec(mail.text)?.[0];
    if (!link) throw new CliError(`the confirmation mail to ${email} has no confirmation link`, exitCodes.refused);
    const r = await fetch(link);
    await r.arrayBuffer();
    if (!r.ok) throw new CliError(`confirming the subscription answered HTTP ${r.status}`, exitCodes.refused);
  } else {
    print(ctx, `  open the link in the mail "AWS Notification - Subscription Confirmation" sent to ${email}`);
  }
  const progress = new Progress(ctx);
  for (;;) {
    const sub = await find();
    if (sub && sub.SubscriptionArn !== 'PendingConfirmation') break;
    if (Date.now() > deadline) {
      progress.done(`${s.yellow('…')} ${email} has not confirmed`);
      throw new CliError(
        `the subscription of ${email} was not confirmed within ${timeoutSeconds}s`,
        exitCodes.timeout,
        'confirm it from the mail, then run the quickstart again (it picks up where it stopped)',
      );
    }
    progress.update(`waiting for ${email} to confirm`);
    await sleep(250);
  }
  progress.done(
    `${s.green('✔')} ${email} confirmed the subscription${mailbox.status === 200 ? ' (link followed from the built-in mailbox)' : ''}`,
  );
}

/** The notification: from the built-in mailbox, or — with SMTP — the delivery as SNS recorded it. */
export async function showNotification(
  ctx: CliContext,
  endpoint: Endpoint,
  email: string,
  imageId: string,
  timeoutSeconds: number,
): Promise<void> {
  const s = ctx.style;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const mailbox = await control<unknown>(endpoint, `/_amiwatch/mailbox?to=${encodeURIComponent(email)}&limit=1`);
  if (mailbox.status === 200) {
    const mail = await waitForMail(
      endpoint,
      email,
      (m) => !m.subject.includes('Subscription Confirmation') && m.text.includes(imageId),
      deadline,
    );
    print(ctx, `${s.green('✔')} the notification arrived (built-in mailbox, ${endpoint.url}/_amiwatch/mailbox):`);
    print(ctx, `  From: ${mail.fromName} <${mail.fromAddress}>\n  To: ${mail.to}\n  Subject: ${mail.subject}\n`);
    print(
      ctx,
      mail.text
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    return;
  }
  for (;;) {
    const log = await control<{
      deliveries: { endpoint: string; kind: string; status: string; attempts: number; error?: string; at: string }[];
    }>(endpoint, '/_amiwatch/sns/deliveries?limit=1000');
    const sent = log.body.deliveries.filter((d) => d.endpoint === email && d.kind === 'notification');
    const done = sent.find((d) => d.status === 'delivered');
    if (done) {
      print(
        ctx,
        `${s.green('✔')} the notification was mailed to ${email} through the SMTP server (${done.attempts} attempt${done.attempts === 1 ? '' : 's'})`,
      );
      return;
    }
    const failed = sent.find((d) => d.status === 'failed');
    if (failed)
      throw new CliError(
        `mailing the notification to ${email} failed: ${failed.error ?? 'unknown error'}`,
        exitCodes.no,
        'check --smtp-url of the server',
      );
    if (Date.now() > deadline)
      throw new CliError(
        `no notification was mailed to ${email} within ${timeoutSeconds}s`,
        exitCodes.timeout,
        'see GET /_amiwatch/sns/deliveries',
      );
    await sleep(250);
  }
}

async function waitForMail(
  endpoint: Endpoint,
  email: string,
  wanted: (m: MailboxEntry) => boolean,
  deadline: number,
): Promise<MailboxEntry> {
  for (;;) {
    const r = await control<{ messages: MailboxEntry[] }>(endpoint, `/_amiwatch/mailbox?to=${encodeURIComponent(email)}&limit=100`);
    const mail = r.body.messages.find(wanted);
    if (mail) return mail;
    if (Date.now() > deadline) throw new CliError(`no such mail to ${email} arrived in the built-in mailbox`, exitCodes.timeout);
    await sleep(200);
  }
}
