import { CUSTOMER_MANAGED_POLICY } from './delivery-policy.js';
import type { Outbox } from './outbox.js';
import { outboxRecord } from './push-delivery.js';
import { snsFailure, type SnsAttempt, type SnsAttemptResult, type SnsProtocolDriver } from './protocol-driver.js';

/**
 * sms and application (mobile push, push-delivery.ts says what a record carries): recorded in the outbox and handed to the
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
    // One record per attempt: a retry is a new send to the provider.
    const record = outboxRecord(a.sub, n, a.now);
    const r = await this.outbox.record(a.attempt === 1 ? record : { ...record, id: `${n.messageId}-${a.attempt}` });
    return r.status === 'failed' ? snsFailure('PROVIDER_ERROR', true, r.error ?? 'the provider failed') : { ok: true };
  }
}
