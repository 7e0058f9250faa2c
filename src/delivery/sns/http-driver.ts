import type { SubscriptionDoc, TopicDoc } from '../../core/sns/model.js';

/** The healthy-retry part of an SNS delivery policy (sns-message-delivery-retries). */
export interface RetryPolicy {
  readonly numRetries: number;
  readonly minDelayTarget: number;
  readonly maxDelayTarget: number;
  readonly numNoDelayRetries: number;
  readonly backoffFunction: string;
}

const DEFAULT_RETRY: RetryPolicy = { numRetries: 3, minDelayTarget: 20, maxDelayTarget: 20, numNoDelayRetries: 0, backoffFunction: 'linear' };

/** The subscription's policy wins, then the topic's `http` section, then AWS's defaults. */
export function retryPolicyFor(sub: SubscriptionDoc, topic: TopicDoc): { retry: RetryPolicy; contentType: string } {
  const parse = (text: string | undefined): Record<string, unknown> => {
    try {
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const subPolicy = parse(sub.attributes.DeliveryPolicy);
  const topicHttp = (parse(topic.attributes.DeliveryPolicy).http ?? {}) as Record<string, unknown>;
  const retry = {
    ...DEFAULT_RETRY,
    ...((topicHttp.defaultHealthyRetryPolicy ?? {}) as Partial<RetryPolicy>),
    ...((subPolicy.healthyRetryPolicy ?? {}) as Partial<RetryPolicy>),
  };
  const request = (subPolicy.requestPolicy ?? topicHttp.defaultRequestPolicy ?? {}) as { headerContentType?: string };
  return { retry, contentType: request.headerContentType ?? 'text/plain; charset=UTF-8' };
}

/** Seconds to wait before retry `n` (1-based): immediate ones first, then min → max by the backoff function. */
export function retryDelay(p: RetryPolicy, n: number): number {
  if (n <= p.numNoDelayRetries) return 0;
  const steps = Math.max(1, p.numRetries - p.numNoDelayRetries);
  const i = Math.min(steps, n - p.numNoDelayRetries) - 1;
  const frac = steps <= 1 ? 0 : i / (steps - 1);
  const shape = p.backoffFunction === 'exponential' ? frac ** 2 : p.backoffFunction === 'geometric' ? frac ** 3 : p.backoffFunction === 'arithmetic' ? frac ** 1.5 : frac;
  return p.minDelayTarget + (p.maxDelayTarget - p.minDelayTarget) * shape;
}

export interface HttpPost {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** One POST; 2xx is success, anything else (or no answer in 15 s, AWS's timeout) is a failure. */
export async function post(p: HttpPost): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    const res = await fetch(p.url, { method: 'POST', headers: p.headers, body: p.body, signal: AbortSignal.timeout(15_000), redirect: 'manual' });
    await res.arrayBuffer().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
