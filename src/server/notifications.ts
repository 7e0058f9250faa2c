import type { OutboundPolicy } from '../delivery/outbound-policy.js';
import { readFileSync } from 'node:fs';
import type { Clock } from '../core/shared/clock.js';
import type { Random } from '../core/shared/random.js';
import { SnsService } from '../core/sns/sns-service.js';
import { linkValue } from '../core/sns/message-format.js';
import { SqsService } from '../core/sqs/sqs-service.js';
import { SqsDeadLetterSink, SqsTransport } from '../delivery/transports/sqs-transport.js';
import { SnsTransport } from '../delivery/transports/sns-transport.js';
import { SnsDeliveryLog } from '../delivery/sns/delivery-log.js';
import type { SnsMetrics } from '../core/metrics/metrics.js';
import { missingLambda, type LambdaInvoker } from '../delivery/sns/lambda-invoker.js';
import { Mailbox, smtpSender, type MailSender } from '../delivery/sns/mail.js';
import { Outbox, webhookProvider, type NotifyProvider } from '../delivery/sns/outbox.js';
import { loadOrCreateSigningKey, rsaSigner } from '../delivery/sns/signing-key.js';
import { SnsEndpointDrivers } from '../delivery/sns/sns-endpoints.js';
import { HttpProtocol } from '../delivery/sns/http-protocol.js';
import { MailProtocol } from '../delivery/sns/mail-protocol.js';
import { LambdaProtocol } from '../delivery/sns/lambda-protocol.js';
import { OutboxProtocol } from '../delivery/sns/outbox-protocol.js';
import type { SnsProtocolDriver } from '../delivery/sns/protocol-driver.js';
import { SnsDeadLetters } from '../delivery/sns/sns-dead-letter.js';
import { SNS_DELIVERY_JOB, SnsDeliveryQueue } from '../delivery/sns/sns-job.js';
import { SnsJobHandler } from '../delivery/sns/sns-job-handler.js';
import { adoptLegacyPending } from '../delivery/sns/legacy-pending.js';
import type { JobHandler } from '../delivery/job-handler.js';
import type { EventFeed } from '../core/events/event-feed.js';
import type { Transport } from '../delivery/transport.js';
import type { DeadLetterSink } from '../delivery/dead-letter.js';
import type { Store } from '../storage/store.js';
import { createSnsHandler, snsError, SNS_QUERY_VERSION } from '../wire/services/sns.js';
import { createSqsHandler, sqsJsonError, sqsQueryError, SQS_QUERY_VERSION } from '../wire/services/sqs.js';
import type { ServiceHandler } from '../wire/service-handler.js';
import type { Config } from './config.js';
import { CERT_FILE, notificationsControl, SNS_PUBLIC } from './notifications-control.js';
import type { ServiceRoute } from './service-registry.js';

export interface NotificationsOptions {
  readonly config: Config;
  readonly store: Store;
  /** Wakes the delivery worker when SNS queues deliveries. */
  readonly feed?: EventFeed;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: (m: string) => void;
  /** The server's own URL, known once it listens: the base of links when --public-url is not set. */
  readonly baseUrl: () => string;
  /** Where HTTP/S subscribers may be (src/delivery/outbound-policy.ts). */
  readonly outbound?: OutboundPolicy;
  /** SNS → Lambda (the Lambda service plugs in here); default: every invocation fails visibly. */
  readonly lambda?: LambdaInvoker;
  /** SNS's CloudWatch metrics (NumberOfMessagesPublished, …Delivered, …Failed), when metrics run. */
  readonly metrics?: SnsMetrics;
  /** SMS/push provider; default: the webhook of --notify-webhook-url, or none (outbox only). */
  readonly notifyProvider?: NotifyProvider;
}

export interface Notifications {
  readonly sns: SnsService;
  readonly sqs: SqsService;
  readonly drivers: SnsEndpointDrivers;
  /** SNS's protocol drivers by protocol: a new protocol (mobile push) registers its driver here. */
  readonly protocols: Map<string, SnsProtocolDriver>;
  /** The delivery queue's `sns` job handler (the worker runs SNS deliveries through it). */
  readonly jobs: ReadonlyMap<string, JobHandler>;
  readonly deliveryLog: SnsDeliveryLog;
  /** The built-in mailbox; null when mail goes to the SMTP server of --smtp-url. */
  readonly mailbox: Mailbox | null;
  readonly routes: readonly ServiceRoute[];
  readonly transports: Readonly<Record<string, Transport>>;
  readonly deadLetters: DeadLetterSink;
  readonly mounts: readonly { prefix: string; handler: ServiceHandler }[];
  close(): Promise<void>;
}

/**
 * SNS and SQS, wired: services on the store, protocol drivers (mail to SMTP or the mailbox,
 * HTTP with signatures, SQS, Lambda seam, SMS/push outbox), their AWS routes, the EventBridge
 * transports for `sns`/`sqs` targets, the DLQ sink, and the control pages.
 */
export async function openNotifications(o: NotificationsOptions): Promise<Notifications> {
  const { config, store, clock, random } = o;
  const base = () => config.publicUrl ?? o.baseUrl();
  const sqs = await SqsService.open({
    store,
    clock,
    random,
    endpoint: base,
    onError: (err) => o.log(`sqs: a message move task's step failed (retried): ${String(err)}`),
  });
  const key = await loadOrCreateSigningKey(store);
  const signer = rsaSigner(key, '');
  Object.defineProperty(signer, 'certUrl', { get: () => `${base()}${SNS_PUBLIC}/${CERT_FILE}` });
  const smtp = config.smtpUrl ? await smtpSender(config.smtpUrl) : null;
  const mailbox = smtp
    ? null
    : new Mailbox(
        store,
        () => clock.now(),
        () => random.uuid(),
      );
  const mail: MailSender = smtp ?? mailbox!;
  const provider = o.notifyProvider ?? (config.notifyWebhookUrl ? webhookProvider(config.notifyWebhookUrl) : null);
  const outbox = new Outbox(store, provider);
  const deliveryLog = new SnsDeliveryLog(
    1000,
    (r) => o.log(`sns: ${r.kind} to ${r.protocol} ${r.endpoint} failed after ${r.attempts} attempt(s): ${r.error ?? ''}`),
    (r) => {
      if (r.kind !== 'notification' || !o.metrics) return;
      if (r.status === 'delivered') o.metrics.delivered(r.topicArn);
      else o.metrics.failed(r.topicArn);
      if (r.dlq === 'sent') o.metrics.redrivenToDlq(r.topicArn);
      else if (r.dlq === 'failed') o.metrics.failedToRedriveToDlq(r.topicArn);
    },
  );
  const enc = encodeURIComponent;
  const ca = config.subscriberCaFile ? [readFileSync(config.subscriberCaFile, 'utf8')] : undefined;
  const links = {
    subscribeUrl: (topicArn: string, token: string) =>
      `${base()}${SNS_PUBLIC}/confirm?Action=ConfirmSubscription&TopicArn=${enc(topicArn)}&Token=${enc(token)}`,
    confirmPageUrl: (topicArn: string, token: string) =>
      `${base()}${SNS_PUBLIC}/confirmation.html?TopicArn=${enc(topicArn)}&Token=${enc(token)}`,
    unsubscribeUrl: (arn: string) => `${base()}${SNS_PUBLIC}/unsubscribe.html?SubscriptionArn=${linkValue(arn)}`,
  };
  // One driver per protocol (src/delivery/sns/protocol-driver.ts); the delivery queue runs them all.
  const http = new HttpProtocol({ signer, links, ...(ca && { ca }), ...(o.outbound && { policy: o.outbound }) });
  const mailDriver = new MailProtocol({ mail, mailFrom: config.mailFrom, signer, links });
  const outboxDriver = new OutboxProtocol(outbox);
  const protocols = new Map<string, SnsProtocolDriver>([
    ['http', http],
    ['https', http],
    ['email', mailDriver],
    ['email-json', mailDriver],
    ['sms', outboxDriver],
    ['application', outboxDriver],
    ['lambda', new LambdaProtocol({ lambda: o.lambda ?? missingLambda, signer, links })],
  ]);
  const queue = new SnsDeliveryQueue({ store, clock, ...(o.feed && { feed: o.feed }) });
  const deadLetters = new SnsDeadLetters({ sqs: sqs.messages, signer, links, random });
  const drivers = new SnsEndpointDrivers({
    clock,
    random,
    signer,
    sqs: sqs.messages,
    mailFrom: config.mailFrom,
    log: deliveryLog,
    queue,
    queued: (protocol) => protocols.has(protocol),
    deadLetters,
    links,
  });
  const sns = await SnsService.open({ store, clock, random, endpoints: drivers, onPublished: (arn) => o.metrics?.published(arn) });
  const handler = new SnsJobHandler({
    clock,
    random,
    drivers: protocols,
    subscription: (arn) => sns.state.subscriptions.get(arn),
    topic: (arn) => sns.state.topics.get(arn),
    deadLetters,
    log: deliveryLog,
  });
  // HTTP/S and mail deliveries an earlier version kept outside the queue join it.
  const adopted = await adoptLegacyPending(store, queue);
  if (adopted > 0) o.log(`sns: ${adopted} pending HTTP/S or mail deliver${adopted === 1 ? 'y' : 'ies'} moved to the delivery queue`);
  const internal = (service: string) => (err: unknown) => o.log(`${service}: internal error: ${(err as Error).stack ?? String(err)}`);
  const control = notificationsControl({ sns, certPem: key.certPem, log: deliveryLog, mailbox, outbox });
  return {
    sns,
    sqs,
    drivers,
    protocols,
    jobs: new Map([[SNS_DELIVERY_JOB, handler]]),
    deliveryLog,
    mailbox,
    routes: [
      {
        signingName: 'sns',
        queryVersions: [SNS_QUERY_VERSION],
        handler: createSnsHandler(sns, internal('sns')),
        renderError: snsError,
        authDialect: 'query',
      },
      {
        signingName: 'sqs',
        targetPrefixes: ['AmazonSQS'],
        queryVersions: [SQS_QUERY_VERSION],
        handler: createSqsHandler(sqs, internal('sqs')),
        // Errors before the handler (authentication, limits) go out in the protocol the request came in.
        renderError: (ctx, err, headers) => (headers['x-amz-target'] ? sqsJsonError(ctx, err) : sqsQueryError(ctx, err)),
        authDialect: (headers) => (headers['x-amz-target'] ? 'json' : 'query'),
      },
    ],
    transports: {
      sns: new SnsTransport(sns.publisher, config.enforceTargetPolicies),
      sqs: new SqsTransport(sqs.messages, config.enforceTargetPolicies),
    },
    deadLetters: new SqsDeadLetterSink(sqs.messages),
    mounts: [
      { prefix: '/_amiwatch/sns', handler: control },
      { prefix: '/_amiwatch/mailbox', handler: control },
      { prefix: '/_amiwatch/outbox', handler: control },
    ],
    async close() {
      // Ends long polls and move tasks. SNS deliveries waiting to retry stay in the delivery
      // queue and carry on at the next start.
      await sqs.close();
      smtp?.close();
    },
  };
}
