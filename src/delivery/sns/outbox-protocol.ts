import { messageFor } from '../../core/sns/message-format.js';
import type { Notification } from '../../core/sns/model.js';
import { CUSTOMER_MANAGED_POLICY } from './delivery-policy.js';
import type { Outbox } from './outbox.js';
import { snsFailure, type SnsAttempt, type SnsAttemptResult, type SnsProtocolDriver } from './protocol-driver.js';

/**
 * sms (and, until a push driver plugs in, application): recorded in the outbox and handed to the
 * SMS/push provider (--notify-webhook-url), with SNS's fixed policy for customer-managed
 * endpoints. With no provider the record is the delivery.
 */
export class OutboxProtocol implements SnsProtocolDriver {
  readonly jitter = true;

  constructor(private readonly outbox: Outbox) {}

  retryPolicy() {
    return CUSTOMER_MANAGED_POLICY;
  }

  async attempt(a: SnsAttempt): Promise<SnsAttemptResult> {
    if (!('notification' in a.message)) return snsFailure('INTERNAL_ERROR', false, `an ${a.sub.protocol} subscription has no confirmation`);
    const n = a.message.notification;
    const protocol = a.sub.protocol === 'sms' ? 'sms' : 'application';
    const r = await this.outbox.record({
      // One record per attempt: a retry is a new send to the provider.
      id: a.attempt === 1 ? n.messageId : `${n.messageId}-${a.attempt}`,
      at: a.now,
      protocol,
      endpoint: a.sub.endpoint,
      message: messageFor(n, protocol === 'sms' ? 'sms' : platformKey(n)),
      ...(a.sub.topicArn && { topicArn: a.sub.topicArn }),
      ...(Object.keys(n.attributes).length > 0 && { attributes: n.attributes }),
      status: 'recorded',
    });
    return r.status === 'failed' ? snsFailure('PROVIDER_ERROR', true, r.error ?? 'the provider failed') : { ok: true };
  }
}

/** Push messages with MessageStructure json use the platform key (APNS, GCM, …) when present. */
function platformKey(n: Notification): string {
  const keys = Object.keys(n.perProtocol ?? {}).filter((k) => k !== 'default');
  return keys[0] ?? 'default';
}
