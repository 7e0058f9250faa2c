import { messageFor, notificationDocAsync, type Links, type Signer } from '../../core/sns/message-format.js';
import type { OutboundPolicy } from '../outbound-policy.js';
import { httpDeliveryPolicy } from './delivery-policy.js';
import { post, type PostResult } from './http-driver.js';
import { snsFailure, type PreparedSend, type SnsAttempt, type SnsAttemptResult, type SnsProtocolDriver } from './protocol-driver.js';

export interface HttpProtocolOptions {
  readonly signer: Signer;
  readonly links: Links;
  /** Extra certificates trusted for https subscribers (PEM). */
  readonly ca?: readonly string[];
  /** Where HTTP/S deliveries may go (outbound-policy.ts). */
  readonly policy?: OutboundPolicy;
}

/** Per HTTP endpoint: enough to keep a subscriber busy, few enough not to flood it with sockets. */
const HTTP_CONCURRENCY = 16;

/**
 * http/https subscriptions: the signed JSON document (or the raw message) POSTed with SNS's
 * headers; the subscription's `DeliveryPolicy` gives the retries and the content type, and its
 * `throttlePolicy.maxReceivesPerSecond` caps the rate (over it, a delivery waits for its turn
 * in the queue without spending an attempt).
 */
export class HttpProtocol implements SnsProtocolDriver {
  constructor(private readonly o: HttpProtocolOptions) {}

  retryPolicy(sub: SnsAttempt['sub'] | undefined, topic: SnsAttempt['topic'] | undefined) {
    return httpDeliveryPolicy(sub, topic).retry;
  }

  async attempt(a: SnsAttempt): Promise<SnsAttemptResult> {
    const policy = httpDeliveryPolicy(a.sub, a.topic);
    if (policy.maxReceivesPerSecond !== undefined) {
      const turn = this.turn(a.sub.arn, policy.maxReceivesPerSecond, a.now);
      if (turn > a.now)
        return { ok: false, reason: 'THROTTLED', retriable: true, message: 'throttlePolicy.maxReceivesPerSecond', deferUntil: turn };
    }
    const { headers, body } = 'prepared' in a.message ? this.prepared(a) : await this.render(a, policy.contentType);
    const r = await this.limited(a.sub.endpoint, () =>
      post({ url: a.sub.endpoint, headers, body, ...(this.o.ca && { ca: this.o.ca }), ...(this.o.policy && { policy: this.o.policy }) }),
    );
    return toResult(r);
  }

  private prepared(a: SnsAttempt): { headers: Record<string, string>; body: string } {
    const p = (a.message as { prepared: PreparedSend }).prepared;
    if (!('http' in p)) throw new Error('an http delivery prepared without an http request');
    return { headers: { ...p.http.headers }, body: p.http.body };
  }

  private async render(a: SnsAttempt, contentType: string): Promise<{ headers: Record<string, string>; body: string }> {
    const n = (a.message as { notification: Parameters<typeof notificationDocAsync>[0] }).notification;
    const raw = a.sub.attributes.RawMessageDelivery === 'true';
    const body = raw
      ? messageFor(n, a.sub.protocol)
      : JSON.stringify(await notificationDocAsync(n, a.sub, a.topic, this.o.signer, this.o.links));
    return { headers: httpHeaders(a, n.messageId, 'Notification', contentType, raw), body };
  }

  /** Deliveries let through per throttled subscription in the current second. */
  private readonly windows = new Map<string, { second: number; count: number }>();

  /**
   * `now` when the subscription may receive another delivery in this second, else the start of
   * the next second (deliveries over the rate come back then and take their turn).
   */
  private turn(subscriptionArn: string, perSecond: number, now: number): number {
    const second = Math.floor(now / 1000);
    let w = this.windows.get(subscriptionArn);
    if (!w || w.second !== second) {
      if (this.windows.size > 10_000) this.windows.clear();
      this.windows.set(subscriptionArn, (w = { second, count: 0 }));
    }
    if (w.count >= perSecond) return (second + 1) * 1000;
    w.count++;
    return now;
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

/** The headers SNS sends with every POST (http-header.html). */
export function httpHeaders(
  a: Pick<SnsAttempt, 'sub' | 'topic' | 'kind'>,
  messageId: string,
  type: string,
  contentType: string,
  raw: boolean,
): Record<string, string> {
  return {
    'content-type': contentType,
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': type,
    'x-amz-sns-message-id': messageId,
    'x-amz-sns-topic-arn': a.topic.arn,
    ...(a.kind === 'notification' && { 'x-amz-sns-subscription-arn': a.sub.arn }),
    ...(raw && { 'x-amz-sns-rawdelivery': 'true' }),
  };
}

function toResult(r: PostResult): SnsAttemptResult {
  if (r.ok) return { ok: true, detail: `HTTP ${r.status}` };
  // Client-side: the subscriber refused (4xx), or amiwatch may not or cannot reach that URL.
  const retriable = r.reason === 'HTTP_SERVER_ERROR' || r.reason === 'UNREACHABLE' || r.reason === 'TIMEOUT';
  return snsFailure(r.reason, retriable, r.error);
}
