import type { Store } from '../../storage/store.js';
import type { SnsDeliveryOf } from './delivery-log.js';
import type { RetryPolicy } from './http-driver.js';
import type { Mail } from './mail.js';

/**
 * SNS deliveries to remote endpoints (HTTP/S posts, mail) that have been promised but not yet
 * settled: written to the store before Publish (or Subscribe) answers, rewritten after each failed
 * attempt with the next due time, removed once delivered or given up. A restart — even a killed
 * process — resumes them where they were, so an accepted message is not lost with the process.
 * In-process endpoints (SQS, Lambda, the SMS/push outbox) settle before Publish answers and need
 * no record here.
 */
export interface PendingDelivery extends SnsDeliveryOf {
  readonly id: string;
  /** What to send: an HTTP POST with its delivery policy, or a mail. */
  readonly send:
    | { readonly http: { readonly headers: Readonly<Record<string, string>>; readonly body: string; readonly retry: RetryPolicy } }
    | { readonly mail: Mail };
  /** Attempts made so far. */
  readonly attempts: number;
  /** When the next attempt is due, ms. */
  readonly dueAt: number;
}

const KIND = 'sns-pending-delivery';

export class PendingDeliveries {
  constructor(private readonly store: Store) {}

  save(d: PendingDelivery): Promise<void> {
    return this.store.writeResources([{ kind: KIND, key: d.id, doc: JSON.stringify(d) }]);
  }

  remove(id: string): Promise<void> {
    return this.store.writeResources([{ kind: KIND, key: id, doc: null }]);
  }

  /** Everything promised and not settled, oldest due first. */
  async all(): Promise<PendingDelivery[]> {
    const records = await this.store.loadResources(KIND);
    return records.map((r) => JSON.parse(r.doc) as PendingDelivery).sort((a, b) => a.dueAt - b.dueAt);
  }
}
