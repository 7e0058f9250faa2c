import type { EventApiDestinations } from '../../../core/events/api-destinations.js';
import type { EventConnections } from '../../../core/events/connections.js';
import type { Clock } from '../../../core/shared/clock.js';
import { failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../../transport.js';
import { buildRequest } from './http-request.js';
import { RateLimiter } from './rate-limiter.js';

/** "The endpoint must respond within 5 seconds" (eb-api-destinations): longer is a timeout, retried. */
export const API_DESTINATION_TIMEOUT_MS = 5_000;

/**
 * AWS's rules for an API destination's answer (eb-api-destinations, "API destination error
 * codes"): 2xx is delivered; 401, 407, 409, 429 and 5xx are retried; any other status is not.
 * A Retry-After header sets the earliest retry (a negative one stops the retries). 401/407 on an
 * OAuth connection also refresh its token before the retry.
 */
export function classify(status: number): 'ok' | 'retry' | 'fail' {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401 || status === 407 || status === 409 || status === 429 || status >= 500) return 'retry';
  return 'fail';
}

function retryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** An API destination as a rule target (`arn:aws:events:…:api-destination/<name>/<id>`). */
export class ApiDestinationTransport implements Transport {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly destinations: EventApiDestinations,
    private readonly connections: EventConnections,
    private readonly clock: Clock,
    private readonly timeoutMs = API_DESTINATION_TIMEOUT_MS,
  ) {
    this.limiter = new RateLimiter(clock);
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const t = request.target;
    const dest = this.destinations.docs.get(t.target.Arn!);
    if (!dest) return failure(false, 'NO_RESOURCE', `API destination ${t.target.Arn} does not exist.`);
    const creds = this.connections.credentials(dest.connectionArn);
    if (!creds) return failure(false, 'NO_RESOURCE', `Connection ${dest.connectionArn} does not exist.`);
    if (creds.doc.state !== 'AUTHORIZED' && creds.doc.state !== 'AUTHORIZING') {
      return failure(false, 'NO_PERMISSIONS', `Connection ${creds.doc.name} is ${creds.doc.state}.`);
    }
    const wait = this.limiter.take(dest.arn, dest.rateLimitPerSecond, `${t.ruleArn}/${t.target.Id}/${request.eventId}`);
    if (wait !== null)
      return {
        ok: false,
        retriable: true,
        code: 'THROTTLING',
        message: `waiting for the API destination's rate limit (${dest.rateLimitPerSecond}/s)`,
        deferUntil: wait,
      };
    const oauth = creds.doc.authorizationType === 'OAUTH_CLIENT_CREDENTIALS';
    let bearer: string | null = null;
    if (oauth) {
      try {
        bearer = (await this.connections.token(dest.connectionArn)).accessToken;
      } catch (err) {
        return failure(true, 'NO_PERMISSIONS', `Unable to get an OAuth token: ${(err as Error).message}`);
      }
    }
    const out = buildRequest(
      dest,
      creds.doc.authorizationType,
      creds.auth,
      t.target.HttpParameters,
      request.payload,
      JSON.parse(request.event),
      bearer,
    );
    let res: Response;
    try {
      res = await fetch(out.url, {
        method: out.method,
        headers: out.headers,
        ...(out.body !== undefined && { body: out.body }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      return failure(
        true,
        timedOut ? 'TIMEOUT' : 'CONNECTION_ERROR',
        timedOut ? `no answer within ${this.timeoutMs} ms` : (err as Error).message,
      );
    }
    return this.outcome(res, oauth, dest.connectionArn);
  }

  private outcome(res: Response, oauth: boolean, connectionArn: string): DeliveryResult {
    const kind = classify(res.status);
    if (kind === 'ok') return { ok: true, detail: `HTTP ${res.status}` };
    const message = `The API destination endpoint answered HTTP ${res.status}.`;
    const code = `HTTP_${res.status}`;
    if (kind === 'fail') return failure(false, code, message);
    if (oauth && (res.status === 401 || res.status === 407)) this.connections.forgetToken(connectionArn);
    const after = retryAfter(res.headers.get('retry-after'), this.clock.now());
    if (after !== undefined && after < 0) return failure(false, code, `${message} Retry-After was negative: not retried.`);
    return { ok: false, retriable: true, code, message, ...(after !== undefined && { retryAfterMs: after }) };
  }
}
