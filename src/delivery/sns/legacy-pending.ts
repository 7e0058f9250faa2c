import type { Store } from '../../storage/store.js';
import type { SnsDeliveryOf } from './delivery-log.js';
import type { PreparedSend } from './protocol-driver.js';
import { snsJob, type SnsDeliveryQueue } from './sns-job.js';

/** What earlier versions kept per promised HTTP/S or mail delivery (kind `sns-pending-delivery`). */
interface LegacyPending extends SnsDeliveryOf {
  readonly id: string;
  readonly send: PreparedSend;
  readonly attempts: number;
  readonly dueAt: number;
}

const KIND = 'sns-pending-delivery';

/**
 * Before the one delivery engine, amiwatch kept SNS's HTTP/S and mail deliveries as resource
 * documents. A data directory written by such a version may still hold some: each becomes a job
 * of the delivery queue (its prepared message, due now) and the document goes — queued first,
 * removed after, so a crash in between delivers it twice rather than never. Returns how many.
 */
export async function adoptLegacyPending(store: Store, queue: SnsDeliveryQueue): Promise<number> {
  const records = await store.loadResources(KIND);
  for (const r of records) {
    const p = JSON.parse(r.doc) as LegacyPending;
    const account = p.subscriptionArn.split(':')[4] ?? '';
    const sub = { arn: p.subscriptionArn, topicArn: p.topicArn, account, protocol: p.protocol, endpoint: p.endpoint };
    await queue.enqueue(`${p.messageId}/${p.id}`, p.topicArn, { prepared: p.send }, [snsJob(sub, p.kind)]);
    await store.writeResources([{ kind: KIND, key: r.key, doc: null }]);
  }
  return records.length;
}
