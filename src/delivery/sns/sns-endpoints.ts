import type { Clock } from '../../core/shared/clock.js';
import type { Random } from '../../core/shared/random.js';
import type { SnsEndpoints } from '../../core/sns/endpoints.js';
import { confirmationDoc, emailFooter, messageFor, notificationDoc, type Links, type Signer } from '../../core/sns/message-format.js';
import type { Notification, SubscriptionDoc, TopicDoc } from '../../core/sns/model.js';
import type { SqsMessages } from '../../core/sqs/messages.js';
import type { MessageAttributeValue } from '../../core/sqs/model.js';
import type { SnsDeliveryLog, SnsDeliveryRecord } from './delivery-log.js';
import type { OutboundPolicy } from '../outbound-policy.js';
import { post, retryDelay, retryPolicyFor } from './http-driver.js';
import type { LambdaInvoker } from './lambda-invoker.js';
import type { MailSender } from './mail.js';
import type { Outbox } from './outbox.js';
import { outboxRecord } from './push-delivery.js';
import type { PendingDelivery, PendingDeliveries } from './pending-deliveries.js';

export interface LinkBuilder extends Links {
  confirmPageUrl(topicArn: string, token: string): string;
}

export interface SnsDriversOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly signer: Signer;
  readonly links: LinkBuilder;
  readonly sqs: SqsMessages;
  readonly mail: MailSender;
  readonly mailFrom: string;
  readonly outbox: Outbox;
  readonly lambda: LambdaInvoker;
  readonly log: SnsDeliveryLog;
  /** Where remote deliveries wait, durably, until they settle. */
  readonly pending: PendingDeliveries;
  /** Extra certificates trusted for https subscribers (PEM). */
  readonly ca?: readonly string[];
  /** Where HTTP/S deliveries may go (outbound-policy.ts). */
  readonly policy?: OutboundPolicy;
  /**
   * Whether a subscription still exists. A delivery whose subscription was deleted (Unsubscribe,
   * DeleteTopic) while it waited to be retried, or across a restart, is dropped, not sent.
   */
  readonly subscribed?: (subscriptionArn: string) => boolean;
  /** Waits between HTTP retries (tests pass one that does not sleep). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Per HTTP endpoint: enough to keep a subscriber busy, few enough not to flood it with sockets. */
const HTTP_CONCURRENCY = 16;

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Mail is tried 3 times, 1 s then 2 s apart (SMTP servers that are briefly down). */
const MAIL_ATTEMPTS = 3;

/**
 * The protocol drivers behind core's SnsEndpoints port. sqs and lambda are in-process and
 * settle before `deliver` resolves; http/https and email are recorded as pending deliveries
 * (durably) before `deliver` resolves, then run in the background with their own retries (HTTP
 * per the delivery policy), every outcome landing in the delivery log. `resume()` restarts the
 * pending ones after a restart.
 */
export class SnsEndpointDrivers implements SnsEndpoints {
  private readonly inflight = new Set<Promise<void>>();
  /** Set by stop(): waiting deliveries stay pending in the store for the next process. */
  private stopped = false;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: SnsDriversOptions) {
    this.sleep = o.sleep ?? realSleep;
  }

  /** Resolves when every background delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Stops retrying: deliveries waiting for their next attempt are left in the store (the next
   * start resumes them); attempts already under way finish. For a server that is closing.
   */
  stop(): void {
    this.stopped = true;
  }

  private background(work: Promise<void>): void {
    const p = work.catch(() => undefined).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private record(
    sub: SubscriptionDoc,
    messageId: string,
    kind: SnsDeliveryRecord['kind'],
    status: SnsDeliveryRecord['status'],
    attempts: number,
    error?: string,
  ): void {
    this.o.log.add({
      at: this.o.clock.now(),
      topicArn: sub.topicArn,
      subscriptionArn: sub.arn,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      messageId,
      kind,
      status,
      attempts,
      ...(error && { error }),
    });
  }

  async requestConfirmation(sub: SubscriptionDoc, topic: TopicDoc): Promise<void> {
    const messageId = this.o.random.uuid();
    const doc = confirmationDoc(
      'SubscriptionConfirmation',
      messageId,
      sub,
      sub.token ?? '',
      topic,
      this.o.clock.now(),
      this.o.signer,
      this.o.links,
    );
    if (sub.protocol === 'http' || sub.protocol === 'https') {
      await this.httpDeliver(sub, topic, messageId, 'SubscriptionConfirmation', JSON.stringify(doc), 'confirmation', false);
    } else {
      const url = this.o.links.confirmPageUrl(topic.arn, sub.token ?? '');
      const text =
        sub.protocol === 'email-json'
          ? JSON.stringify(doc)
          : `You have chosen to subscribe to the topic: \n${topic.arn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n${url}\n\n` +
            'Please do not reply directly to this email. If you wish to remove yourself from receiving all future SNS subscription confirmation requests please send an email to sns-opt-out';
      const html = `<p>You have chosen to subscribe to the topic:<br>${topic.arn}</p><p>To confirm this subscription, click or visit the link below (If this was in error no action is necessary):<br><a href="${escape(url)}">Confirm subscription</a></p>`;
      await this.mail(
        sub,
        topic,
        messageId,
        'AWS Notification - Subscription Confirmation',
        text,
        'confirmation',
        sub.protocol === 'email' ? html : undefined,
      );
    }
  }

  async confirmUnsubscribe(sub: SubscriptionDoc, topic: TopicDoc): Promise<void> {
    if (sub.protocol !== 'http' && sub.protocol !== 'https') return;
    const messageId = this.o.random.uuid();
    const doc = confirmationDoc(
      'UnsubscribeConfirmation',
      messageId,
      sub,
      sub.token ?? '',
      topic,
      this.o.clock.now(),
      this.o.signer,
      this.o.links,
    );
    await this.httpDeliver(sub, topic, messageId, 'UnsubscribeConfirmation', JSON.stringify(doc), 'unsubscribe-confirmation', false);
  }

  async deliver(sub: SubscriptionDoc, topic: TopicDoc, n: Notification): Promise<void> {
    const raw = sub.attributes.RawMessageDelivery === 'true';
    switch (sub.protocol) {
      case 'sqs':
        return this.toQueue(sub, topic, n, raw);
      case 'lambda':
        return this.toLambda(sub, topic, n);
      case 'http':
      case 'https': {
        const body = raw ? messageFor(n, sub.protocol) : JSON.stringify(notificationDoc(n, sub, topic, this.o.signer, this.o.links));
        return this.httpDeliver(sub, topic, n.messageId, 'Notification', body, 'notification', raw);
      }
      case 'email':
        return this.mail(
          sub,
          topic,
          n.messageId,
          n.subject ?? 'AWS Notification Message',
          messageFor(n, 'email') + emailFooter(sub, this.o.links),
          'notification',
        );
      case 'email-json':
        return this.mail(
          sub,
          topic,
          n.messageId,
          n.subject ?? 'AWS Notification Message',
          JSON.stringify(notificationDoc(n, sub, topic, this.o.signer, this.o.links)),
          'notification',
        );
      case 'sms':
      case 'application': {
        const r = await this.o.outbox.record(outboxRecord(sub, n, this.o.clock.now()));
        this.record(sub, n.messageId, 'notification', r.status === 'failed' ? 'failed' : 'delivered', 1, r.error);
        return;
      }
      default:
        this.record(sub, n.messageId, 'notification', 'failed', 1, `amiwatch does not deliver to ${sub.protocol} endpoints`);
    }
  }

  private async toQueue(sub: SubscriptionDoc, topic: TopicDoc, n: Notification, raw: boolean): Promise<void> {
    try {
      const body = raw ? messageFor(n, 'sqs') : JSON.stringify(notificationDoc(n, sub, topic, this.o.signer, this.o.links));
      // Raw delivery carries the message attributes over as SQS message attributes (sns-large-payload-raw-message-delivery).
      const attributes = raw ? (n.attributes as Record<string, MessageAttributeValue>) : {};
      // A FIFO topic's group and deduplication id travel on, so the queue keeps its order and window;
      // a standard queue (allowed on a FIFO topic) takes the group only.
      const fifo = {
        ...(n.groupId !== undefined && { groupId: n.groupId }),
        ...(n.dedupId !== undefined && sub.endpoint.endsWith('.fifo') && { dedupId: n.dedupId }),
      };
      // Into another account's queue only as far as its policy lets sns.amazonaws.com in for this topic.
      await this.o.sqs.sendToArn(
        sub.endpoint,
        { body, attributes, ...fifo },
        { service: 'sns.amazonaws.com', sourceArn: topic.arn, sourceAccount: topic.account },
      );
      this.record(sub, n.messageId, 'notification', 'delivered', 1);
    } catch (err) {
      this.record(sub, n.messageId, 'notification', 'failed', 1, (err as Error).message);
    }
  }

  private async toLambda(sub: SubscriptionDoc, topic: TopicDoc, n: Notification): Promise<void> {
    const doc = notificationDoc(n, sub, topic, this.o.signer, this.o.links);
    const { UnsubscribeURL, ...rest } = doc;
    const event = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: sub.arn,
          Sns: { ...rest, UnsubscribeUrl: UnsubscribeURL, MessageAttributes: doc.MessageAttributes ?? {} },
        },
      ],
    };
    const r = await this.o.lambda.invoke(sub.endpoint, JSON.stringify(event), topic.arn);
    this.record(sub, n.messageId, 'notification', r.ok ? 'delivered' : 'failed', 1, r.ok ? undefined : `${r.code}: ${r.message}`);
  }

  /** Records an HTTP/S post as pending (durably), then runs it in the background. */
  private async httpDeliver(
    sub: SubscriptionDoc,
    topic: TopicDoc,
    messageId: string,
    type: string,
    body: string,
    kind: SnsDeliveryRecord['kind'],
    raw: boolean,
  ): Promise<void> {
    const { retry, contentType } = retryPolicyFor(sub, topic);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': type,
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': topic.arn,
      ...(kind === 'notification' && { 'x-amz-sns-subscription-arn': sub.arn }),
      ...(raw && { 'x-amz-sns-rawdelivery': 'true' }),
    };
    await this.promise(sub, messageId, kind, { http: { headers, body, retry } });
  }

  private async mail(
    sub: SubscriptionDoc,
    topic: TopicDoc,
    messageId: string,
    subject: string,
    text: string,
    kind: SnsDeliveryRecord['kind'],
    html?: string,
  ): Promise<void> {
    const fromName = topic.attributes.DisplayName || 'AWS Notifications';
    await this.promise(sub, messageId, kind, {
      mail: { fromName, fromAddress: this.o.mailFrom, to: sub.endpoint, subject, text, ...(html && { html }) },
    });
  }

  private async promise(
    sub: SubscriptionDoc,
    messageId: string,
    kind: SnsDeliveryRecord['kind'],
    send: PendingDelivery['send'],
  ): Promise<void> {
    const job: PendingDelivery = {
      id: this.o.random.uuid(),
      topicArn: sub.topicArn,
      subscriptionArn: sub.arn,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      messageId,
      kind,
      send,
      attempts: 0,
      dueAt: this.o.clock.now(),
    };
    await this.o.pending.save(job);
    this.background(this.run(job));
  }

  /** Restarts every delivery a previous process promised and did not settle; returns how many. */
  async resume(): Promise<number> {
    const jobs = await this.o.pending.all();
    for (const job of jobs) this.background(this.run(job));
    return jobs.length;
  }

  /**
   * Attempts until delivered or out of retries. After each failure the job is saved with its
   * next due time before waiting, so a restart neither repeats the wait from zero nor forgets it.
   */
  private async run(job: PendingDelivery): Promise<void> {
    const sub = { arn: job.subscriptionArn, topicArn: job.topicArn, protocol: job.protocol, endpoint: job.endpoint } as SubscriptionDoc;
    for (;;) {
      if (job.attempts > 0) await this.sleep(Math.max(0, job.dueAt - this.o.clock.now()));
      if (this.stopped) return;
      // An UnsubscribeConfirmation goes to an endpoint whose subscription is gone: that is its point.
      if (job.kind !== 'unsubscribe-confirmation' && this.o.subscribed && !this.o.subscribed(job.subscriptionArn)) {
        await this.o.pending.remove(job.id);
        return this.record(
          sub,
          job.messageId,
          job.kind,
          'failed',
          job.attempts,
          'The subscription was deleted before the message was delivered',
        );
      }
      const attempt = job.attempts + 1;
      const error = await this.attempt(job);
      if (error === null) {
        await this.o.pending.remove(job.id);
        return this.record(sub, job.messageId, job.kind, 'delivered', attempt);
      }
      const delayMs = this.retryDelayMs(job, attempt);
      if (delayMs === null) {
        await this.o.pending.remove(job.id);
        return this.record(sub, job.messageId, job.kind, 'failed', attempt, error);
      }
      this.record(sub, job.messageId, job.kind, 'retrying', attempt, error);
      job = { ...job, attempts: attempt, dueAt: this.o.clock.now() + delayMs };
      await this.o.pending.save(job);
    }
  }

  /** One attempt: null when delivered, else the reason. */
  private async attempt(job: PendingDelivery): Promise<string | null> {
    if ('http' in job.send) {
      const { headers, body } = job.send.http;
      const r = await this.limited(job.endpoint, () =>
        post({ url: job.endpoint, headers, body, ...(this.o.ca && { ca: this.o.ca }), ...(this.o.policy && { policy: this.o.policy }) }),
      );
      return r.ok ? null : r.error;
    }
    try {
      await this.o.mail.send(job.send.mail);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  }

  /** The wait before the next attempt after `attempt` failed, or null when there is none. */
  private retryDelayMs(job: PendingDelivery, attempt: number): number | null {
    if ('http' in job.send) {
      const { retry } = job.send.http;
      return attempt > retry.numRetries ? null : retryDelay(retry, attempt) * 1000;
    }
    return attempt >= MAIL_ATTEMPTS ? null : 1000 * attempt;
  }

  /** At most HTTP_CONCURRENCY requests in flight per endpoint; the rest wait their turn (in order). */
  private readonly slots = new Map<string, { active: number; waiting: (() => void)[] }>();

  private async limited<T>(endpoint: string, work: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(endpoint);
    if (!slot) this.slots.set(endpoint, (slot = { active: 0, waiting: [] }));
    if (slot.active >= HTTP_CONCURRENCY) await new Promise<void>((r) => slot.waiting.push(r));
    slot.active++;
    try {
      return await work();
    } finally {
      slot.active--;
      const next = slot.waiting.shift();
      if (next) next();
      else if (slot.active === 0) this.slots.delete(endpoint);
    }
  }
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
