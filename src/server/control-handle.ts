import { renderAuthFailure } from '../wire/sigv4/auth-dialect.js';
import { AuthFailure } from '../wire/sigv4/auth-failure.js';
import { identify, verifyIdentified, type AuthOptions } from '../wire/sigv4/authenticate.js';
import type { WireResponse } from '../wire/service-handler.js';
import type { ControlApi } from './control-api.js';
import { controlClass, decideControl } from './control-access.js';
import { anonymousContext, type Handle } from './handle.js';

/**
 * The control API (`/_amiwatch/…`) without a socket, as `handle` serves the AWS endpoint: open on
 * loopback without credentials (local development); with a credentials file it asks for a SigV4
 * signature like the AWS APIs do (any service name, e.g.
 * `curl --aws-sigv4 aws:amz:us-east-1:amiwatch --user KEY:SECRET`), except for the health check
 * and SNS's public links. As for the services, the key is checked before the body is read.
 * The Host/Origin door (request-door.ts) is the HTTP listener's: it is about browsers.
 */
export interface ControlHandleOptions {
  readonly control: ControlApi;
  readonly auth: AuthOptions;
  readonly bodyLimit: number;
  /** Accounts that may use the server-wide endpoints in credentials mode (control-access.ts). */
  readonly operatorAccounts: readonly string[];
}

export function createControlHandle(o: ControlHandleOptions): Handle {
  return async (req) => {
    const { url, headers } = req;
    const parsed = new URL(url, 'http://localhost');
    // A path whose %-escapes do not decode (`/_amiwatch/ec2/faults/%`) names nothing: said once
    // here, instead of each control handler's decodeURIComponent failing with a URIError (a 500).
    if (!decodable(parsed.pathname)) return { ...reply(400, 'The path has a malformed %-escape.'), bodyUnread: true };
    // SNS links (confirm/unsubscribe pages, signing certificate) are followed by mail readers and
    // HTTP subscribers that cannot sign: the token or ARN in the link is the credential, as in AWS.
    const signed = o.auth.credentials !== null && controlClass(parsed.pathname) !== 'open';
    const identified = signed ? identify({ url, headers }, o.auth, { service: null, dialect: 'json' }) : null;
    if (identified instanceof AuthFailure) return { ...authReply(identified), bodyUnread: true };
    const read = await req.readBody(o.bodyLimit);
    if (read.kind !== 'body') {
      const tooLarge = read.kind === 'too-large';
      const message = tooLarge
        ? `Request body is larger than the ${o.bodyLimit}-byte limit.`
        : 'Rate exceeded: too many request bodies in flight; retry shortly.';
      return { ...reply(tooLarge ? 413 : 503, message), bodyUnread: true };
    }
    const failure = identified ? await verifyIdentified({ method: req.method, url, headers, body: read.body }, identified) : null;
    if (failure) return authReply(failure);
    // Who may use which endpoint, in which account (control-access.ts): the signer's account in
    // credentials mode (an unsigned open endpoint acts as the default account), anyone without.
    const fallback = anonymousContext(o.auth);
    const caller = identified
      ? { accountId: identified.caller.accountId, region: identified.caller.region, requestId: fallback.requestId }
      : o.auth.credentials
        ? fallback
        : null;
    const decision = decideControl(parsed.pathname, parsed.searchParams, caller, fallback, o.operatorAccounts);
    if (!decision.ok) return reply(decision.status, decision.error);
    return o.control.respond({ method: req.method, url, headers, body: read.body }, decision.scope);
  };
}

/** The control API's error shape: `{"error": "…"}`. */
export function reply(status: number, error: string): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error }) };
}

function authReply(failure: AuthFailure): WireResponse {
  const err = renderAuthFailure('json', failure);
  return reply(err.status === 400 ? 403 : err.status, `${err.code}: ${err.message}`);
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
