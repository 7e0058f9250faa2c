import type { Clock } from '../../core/shared/clock.js';
import type { Random } from '../../core/shared/random.js';
import type { SubscriptionDoc, TopicDoc } from '../../core/sns/model.js';
import type { ClaimedDelivery, DeliveryOutcome } from '../../storage/store.js';
import type { JobHandler } from '../job-handler.js';
import type { SnsDeliveryLog } from './delivery-log.js';
import { deadLetterTarget, retryDelayMs } from './delivery-policy.js';
import type { SnsAttemptResult, SnsProtocolDriver } from './protocol-driver.js';
import type { SnsDeadLetters } from './sns-dead-letter.js';
import type { SnsJob, SnsJobBody } from './sns-job.js';

/** How long a job waits for a subscription its node does not know (yet) before dropping it. */
const UNKNOWN_SUBSCRIPTION_GRACE_MS = 5_000;

export interface SnsJobHandlerOptions {
  readonly clock: Clock;
  readonly random: Random;
  /** The driver of each protocol (one function per protocol: http, https, email, sms, lambda, …). */
  readonly drivers: ReadonlyMap<string, SnsProtocolDriver>;
  /** The live subscription and topic; undefined once deleted. */
  readonly subscription: (arn: string) => SubscriptionDoc | undefined;
  readonly topic: (arn: string) => TopicDoc | undefined;
  readonly deadLetters: SnsDeadLetters;
  readonly log: SnsDeliveryLog;
}

/**
 * The `sns` jobs of the delivery queue. Each claim makes one attempt through the protocol's
 * driver and decides by SNS's rules: delivered; a server-side error retried at the time the
 * protocol's delivery policy gives (the queue's `retry at`, so a restart keeps it); a
 * client-side error, or a policy used up, fails — and a notification then goes to the
 * subscription's dead-letter queue (RedrivePolicy) with SNS's attributes. A job whose
 * subscription was deleted while it waited is dropped, not sent.
 */
export class SnsJobHandler implements JobHandler {
  constructor(private readonly o: SnsJobHandlerOptions) {}

  async run(d: ClaimedDelivery, job: unknown): Promise<DeliveryOutcome> {
    const j = job as SnsJob;
    const live = j.direct ? undefined : this.o.subscription(j.sub.arn);
    // An UnsubscribeConfirmation goes to an endpoint whose subscription is gone: that is its point.
    if (!j.direct && !live && j.kind !== 'unsubscribe-confirmation') {
      // On a cluster the node that claimed the job may not have heard of a subscription made a
      // moment ago on another: a job never tried waits a little for it before giving up.
      const now = this.o.clock.now();
      if (d.attempts === 0 && now - d.ingestedAt < UNKNOWN_SUBSCRIPTION_GRACE_MS)
        return { id: d.id, status: 'retry', attempts: 0, dueAt: now + 500, error: 'SUBSCRIPTION_DELETED: not known on this node yet' };
      return this.settle(d, j, 'failed', d.attempts, 'SUBSCRIPTION_DELETED: The subscription was deleted before the message was delivered');
    }
    const sub = live ?? ({ ...j.sub, confirmed: true, attributes: {}, createdAt: 0 } as SubscriptionDoc);
    const topic = this.o.topic(j.sub.topicArn) ?? emptyTopic(sub);
    const driver = this.o.drivers.get(sub.protocol);
    const attempt = d.attempts + 1;
    const body = JSON.parse(d.body) as SnsJobBody;
    const result: SnsAttemptResult = driver
      ? await driver
          .attempt({ sub, topic, kind: j.kind, message: body, attempt, now: this.o.clock.now() })
          .catch((err: unknown) => ({ ok: false, reason: 'INTERNAL_ERROR', retriable: true, message: (err as Error).message }) as const)
      : { ok: false, reason: 'NO_DRIVER', retriable: false, message: `amiwatch does not deliver to ${sub.protocol} endpoints` };
    if (result.ok) return this.settle(d, j, 'delivered', attempt);
    const why = `${result.reason}: ${result.message}`;
    if (result.deferUntil !== undefined) return { id: d.id, status: 'retry', attempts: d.attempts, dueAt: result.deferUntil, error: why };
    if (result.retriable && driver) {
      const policy = driver.retryPolicy(live, topic);
      const wait = retryDelayMs(policy, attempt, driver.jitter ? () => this.o.random.float() : undefined);
      if (wait !== null) return this.settle(d, j, 'retry', attempt, why, this.o.clock.now() + wait);
    }
    const given = result.retriable ? `EXHAUSTED DeliveryPolicy after ${why}` : why;
    const dlq = j.kind === 'notification' ? deadLetterTarget(live) : undefined;
    if (!dlq || !('notification' in body)) return this.settle(d, j, 'failed', attempt, given);
    const problem = await this.o.deadLetters.send(dlq, sub, topic, body.notification, result.reason, result.message);
    const note = problem ? `not sent to DLQ ${dlq}: ${problem}` : `sent to DLQ ${dlq}`;
    return this.settle(d, j, 'failed', attempt, `${given} (${note})`, undefined, problem ? 'failed' : 'sent');
  }

  /** The outcome for the queue, and its line in SNS's delivery log (control API, console, metrics). */
  private settle(
    d: ClaimedDelivery,
    j: SnsJob,
    status: DeliveryOutcome['status'],
    attempts: number,
    error?: string,
    dueAt?: number,
    dlq?: 'sent' | 'failed',
  ): DeliveryOutcome {
    this.o.log.add({
      at: this.o.clock.now(),
      topicArn: j.sub.topicArn,
      subscriptionArn: j.sub.arn,
      protocol: j.sub.protocol,
      endpoint: j.sub.endpoint,
      messageId: d.eventId,
      kind: j.kind,
      status: status === 'retry' ? 'retrying' : status,
      attempts,
      ...(error !== undefined && { error }),
      ...(dlq && { dlq }),
    });
    if (status === 'delivered') return { id: d.id, status, attempts };
    if (status === 'retry') return { id: d.id, status, attempts, dueAt: dueAt!, error: error! };
    return { id: d.id, status, attempts, error: error! };
  }
}

/** Direct publishes (and a topic deleted under a pending unsubscribe confirmation) have no topic. */
function emptyTopic(sub: SubscriptionDoc): TopicDoc {
  return { name: '', arn: sub.topicArn, account: sub.account, region: '', attributes: {}, tags: {}, createdAt: 0 };
}
