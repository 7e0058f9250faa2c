import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { SubscriptionDoc, TopicDoc } from '../../core/sns/model.js';
import { portOf, REFUSED, type OutboundPolicy } from '../outbound-policy.js';

/** The healthy-retry part of an SNS delivery policy (sns-message-delivery-retries). */
export interface RetryPolicy {
  readonly numRetries: number;
  readonly minDelayTarget: number;
  readonly maxDelayTarget: number;
  readonly numNoDelayRetries: number;
  readonly backoffFunction: string;
}

const DEFAULT_RETRY: RetryPolicy = {
  numRetries: 3,
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numNoDelayRetries: 0,
  backoffFunction: 'linear',
};

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
  const shape =
    p.backoffFunction === 'exponential'
      ? frac ** 2
      : p.backoffFunction === 'geometric'
        ? frac ** 3
        : p.backoffFunction === 'arithmetic'
          ? frac ** 1.5
          : frac;
  return p.minDelayTarget + (p.maxDelayTarget - p.minDelayTarget) * shape;
}

export interface HttpPost {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Certificates trusted for https endpoints besides Node's roots (--subscriber-ca-file). */
  readonly ca?: readonly string[];
  /** Where amiwatch may connect (outbound-policy.ts). */
  readonly policy?: OutboundPolicy;
}

/**
 * What a failure that is not an HTTP answer records when the policy is discreet: refused,
 * unreachable, reset, timed out and TLS failures read alike, so the delivery log cannot be used
 * to map which ports of which hosts are open (an HTTP status is an answer the endpoint gave).
 */
const UNREACHABLE = 'the endpoint could not be reached';

/**
 * One POST; 2xx is success, anything else (or no answer in 15 s, AWS's timeout) is a failure.
 * node:http(s) rather than fetch: https subscribers with a private CA need a per-request `ca`.
 */
export function post(p: HttpPost): Promise<{ ok: true } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(p.url);
    } catch {
      return resolve({ ok: false, error: `invalid endpoint URL ${p.url}` });
    }
    if (p.policy && (!/^https?:$/.test(url.protocol) || !p.policy.permitsUrl(url))) return resolve({ ok: false, error: REFUSED });
    const port = portOf(url);
    const body = Buffer.from(p.body, 'utf8');
    const options = {
      method: 'POST',
      headers: { ...p.headers, 'content-length': String(body.length) },
      timeout: 15_000,
      agent: url.protocol === 'https:' ? httpsAgent(p.ca) : httpAgent,
      ...(p.policy && { lookup: p.policy.lookupFor(port) }),
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? { ok: true } : { ok: false, error: `HTTP ${status}` });
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const refused = err.code === 'EOUTBOUNDREFUSED';
      resolve({ ok: false, error: refused ? REFUSED : p.policy?.discreet ? UNREACHABLE : err.message });
    });
    req.end(body);
  });
}

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgents = new Map<string, HttpsAgent>();

function httpsAgent(ca: readonly string[] | undefined): HttpsAgent {
  const key = ca?.join('') ?? '';
  let agent = httpsAgents.get(key);
  if (!agent) {
    agent = new HttpsAgent({ keepAlive: true, ...(ca && ca.length > 0 && { ca: [...rootCertificates, ...ca] }) });
    httpsAgents.set(key, agent);
  }
  return agent;
}
