import type { CreateConnectionAuthRequestParameters } from '@aws-sdk/client-eventbridge';
import type { OAuthToken, TokenFetcher } from '../../../core/events/connections.js';
import type { Clock } from '../../../core/shared/clock.js';

/**
 * The client-credentials grant against a connection's AuthorizationEndpoint, with its
 * OAuthHttpParameters (headers, query string, body) as the connection defines them. The client id
 * and secret go as HTTP Basic credentials and `grant_type=client_credentials` in the form body
 * (RFC 6749 §4.4); the answer must be JSON with `access_token` (and usually `expires_in`).
 */
export class OAuthTokenFetcher implements TokenFetcher {
  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = 5_000,
  ) {}

  async fetchToken(auth: CreateConnectionAuthRequestParameters): Promise<OAuthToken> {
    const o = auth.OAuthParameters;
    if (!o?.AuthorizationEndpoint || !o.ClientParameters) throw new Error('the connection has no OAuth parameters');
    const url = new URL(o.AuthorizationEndpoint);
    for (const q of o.OAuthHttpParameters?.QueryStringParameters ?? []) if (q.Key) url.searchParams.append(q.Key, q.Value ?? '');
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${o.ClientParameters.ClientID}:${o.ClientParameters.ClientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    for (const h of o.OAuthHttpParameters?.HeaderParameters ?? []) if (h.Key) headers[h.Key.toLowerCase()] = h.Value ?? '';
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    for (const b of o.OAuthHttpParameters?.BodyParameters ?? []) if (b.Key) form.append(b.Key, b.Value ?? '');
    const method = o.HttpMethod ?? 'POST';
    const res = await fetch(url, {
      method,
      headers,
      ...(method !== 'GET' && { body: form.toString() }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url.origin}${url.pathname}`);
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error('the authorization endpoint did not answer JSON');
    }
    if (typeof body.access_token !== 'string') throw new Error('the authorization endpoint answered no access_token');
    const expiresIn = Number(body.expires_in);
    return {
      accessToken: body.access_token,
      expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? this.clock.now() + expiresIn * 1000 : null,
    };
  }
}
