import type { Clock } from '../../core/shared/clock.js';
import type { Random } from '../../core/shared/random.js';
import type { SnsEndpoints } from '../../core/sns/endpoints.js';
import { confirmationDoc, messageFor, notificationDoc, type Links, type Signer } from '../../core/sns/message-format.js';
import type { Notification, SubscriptionDoc, TopicDoc } from '../../core/sns/model.js';
import type { SqsMessages } from '../../core/sqs/messages.js';
import type { MessageAttributeValue } from '../../core/sqs/model.js';
import type { SnsDeliveryLog } from './delivery-log.js';
import { httpDeliveryPolicy } from './delivery-policy.js';
import { httpHeaders } from './http-protocol.js';
import { fromName } from './mail-protocol.js';
import type { PreparedSend, SnsDeliveryKind } from './protocol-driver.js';
import type { SnsDeadLetters } from './sns-dead-letter.js';
import { deadLetterTarget } from './delivery-policy.js';
import { snsJob, type SnsDeliveryQueue } from './sns-job.js';

export interface LinkBuilder extends Links {
  confirmPageUrl(topicArn: string, token: string): string;
}

export interface SnsEndpointsOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly signer: Signer;
  readonly links: LinkBuilder;
  readonly sqs: SqsMessages;
  readonly mailFrom: string;
  readonly log: SnsDeliveryLog;
  /** Where every delivery but SQS's goes: the store's durable delivery queue. */
  readonly queue: SnsDeliveryQueue;
  /** The protocols the queue has a driver for (sns-job-handler.ts). */
  readonly queued: (protocol: string) => boolean;
  readonly deadLetters: SnsDeadLetters;
}

/**
 * core's SnsEndpoints port on the one delivery engine. A Publish's deliveries to http/https,
 * email, email-json, sms, application and lambda subscriptions become jobs of the delivery queue,
 * appended in one atomic write before `deliver` resolves (so before Publish answers); the worker
 * runs them (sns-job-handler.ts). SQS subscriptions are written into the queue's own durable
 * store before `deliver` resolves: that is already the delivery, and the fastest one.
 */
export class SnsEndpointDrivers implements SnsEndpoints {
  constructor(private readonly o: SnsEndpointsOptions) {}

  async deliver(subs: readonly SubscriptionDoc[], topic: TopicDoc, n: Notification): Promise<void> {
    const jobs = [];
    const inline: Promise<void>[] = [];
    for (const sub of subs) {
      if (sub.protocol === 'sqs') inline.push(this.toQueue(sub, topic, n));
      else if (this.o.queued(sub.protocol)) jobs.push(snsJob(sub, 'notification'));
      else this.record(sub, n.messageId, 'failed', `NO_DRIVER: amiwatch does not deliver to ${sub.protocol} endpoints`);
    }
    const owner = topic.arn || subs[0]?.endpoint || '';
    await Promise.all([...inline, this.o.queue.enqueue(n.messageId, owner, { notification: n }, jobs)]);
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
    if (sub.protocol === 'http' || sub.protocol === 'https') return this.http(sub, topic, messageId, doc, 'confirmation');
    const url = this.o.links.confirmPageUrl(topic.arn, sub.token ?? '');
    const text =
      sub.protocol === 'email-json'
        ? JSON.stringify(doc)
        : `You have chosen to subscribe to the topic: \n${topic.arn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n${url}\n\n` +
          'Please do not reply directly to this email. If you wish to remove yourself from receiving all future SNS subscription confirmation requests please send an email to sns-opt-out';
    const html = `<p>You have chosen to subscribe to the topic:<br>${topic.arn}</p><p>To confirm this subscription, click or visit the link below (If this was in error no action is necessary):<br><a href="${escape(url)}">Confirm subscription</a></p>`;
    const mail = {
      fromName: fromName(topic),
      fromAddress: this.o.mailFrom,
      to: sub.endpoint,
      subject: 'AWS Notification - Subscription Confirmation',
      text,
      ...(sub.protocol === 'email' && { html }),
    };
    await this.prepared(sub, topic, messageId, { mail }, 'confirmation');
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
    await this.http(sub, topic, messageId, doc, 'unsubscribe-confirmation');
  }

  private http(
    sub: SubscriptionDoc,
    topic: TopicDoc,
    messageId: string,
    doc: Record<string, unknown>,
    kind: SnsDeliveryKind,
  ): Promise<void> {
    const { contentType } = httpDeliveryPolicy(sub, topic);
    const headers = httpHeaders({ sub, topic, kind }, messageId, String(doc.Type), contentType, false);
    return this.prepared(sub, topic, messageId, { http: { headers, body: JSON.stringify(doc) } }, kind);
  }

  private prepared(sub: SubscriptionDoc, topic: TopicDoc, messageId: string, send: PreparedSend, kind: SnsDeliveryKind): Promise<void> {
    return this.o.queue.enqueue(messageId, topic.arn, { prepared: send }, [snsJob(sub, kind)]);
  }

  /**
   * SNS → SQS, in process: the message is in the queue's store when this resolves. A refusal (the
   * queue is gone, its policy does not let the topic in) is a client-side error: no retry, and
   * the message goes to the subscription's dead-letter queue when it has one.
   */
  private async toQueue(sub: SubscriptionDoc, topic: TopicDoc, n: Notification): Promise<void> {
    const raw = sub.attributes.RawMessageDelivery === 'true';
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
      this.record(sub, n.messageId, 'delivered');
    } catch (err) {
      const message = (err as Error).message;
      const dlq = deadLetterTarget(sub);
      const problem = dlq ? await this.o.deadLetters.send(dlq, sub, topic, n, 'NO_RESOURCE', message) : null;
      const note = dlq ? ` (${problem ? `not sent to DLQ ${dlq}: ${problem}` : `sent to DLQ ${dlq}`})` : '';
      this.record(sub, n.messageId, 'failed', `NO_RESOURCE: ${message}${note}`, dlq ? (problem ? 'failed' : 'sent') : undefined);
    }
  }

  private record(sub: SubscriptionDoc, messageId: string, status: 'delivered' | 'failed', error?: string, dlq?: 'sent' | 'failed'): void {
    this.o.log.add({
      at: this.o.clock.now(),
      topicArn: sub.topicArn,
      subscriptionArn: sub.arn,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      messageId,
      kind: 'notification',
      status,
      attempts: 1,
      ...(error && { error }),
      ...(dlq && { dlq }),
    });
  }
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
