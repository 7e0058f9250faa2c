import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { portOf, REFUSED, type OutboundPolicy } from '../outbound-policy.js';

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
export type PostResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly reason: PostFailure; readonly error: string; readonly status?: number };

/** SNS retries what is "outside the 200–4xx range" or unanswered; a 4xx is the subscriber's refusal. */
export type PostFailure = 'HTTP_SERVER_ERROR' | 'HTTP_CLIENT_ERROR' | 'UNREACHABLE' | 'TIMEOUT' | 'OUTBOUND_REFUSED' | 'INVALID_ENDPOINT';

export function post(p: HttpPost): Promise<PostResult> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(p.url);
    } catch {
      return resolve({ ok: false, reason: 'INVALID_ENDPOINT', error: `invalid endpoint URL ${p.url}` });
    }
    if (p.policy && (!/^https?:$/.test(url.protocol) || !p.policy.permitsUrl(url)))
      return resolve({ ok: false, reason: 'OUTBOUND_REFUSED', error: REFUSED });
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
        if (status >= 200 && status < 300) resolve({ ok: true, status });
        else
          resolve({
            ok: false,
            reason: status >= 400 && status < 500 ? 'HTTP_CLIENT_ERROR' : 'HTTP_SERVER_ERROR',
            error: `HTTP ${status}`,
            status,
          });
      });
    });
    let timedOut = false;
    req.on('timeout', () => {
      timedOut = true;
      req.destroy(new Error('no answer within 15 s'));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EOUTBOUNDREFUSED') return resolve({ ok: false, reason: 'OUTBOUND_REFUSED', error: REFUSED });
      // Discreet: a timeout reads as any other unreachable endpoint (see UNREACHABLE above).
      const reason = timedOut && !p.policy?.discreet ? 'TIMEOUT' : 'UNREACHABLE';
      resolve({ ok: false, reason, error: p.policy?.discreet ? UNREACHABLE : err.message });
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
