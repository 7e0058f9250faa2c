import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../core/shared/request-context.js';
import { ServiceError } from '../core/shared/service-error.js';
import { queryError } from '../wire/protocols/query.js';
import { eventsError } from '../wire/services/events.js';
import type { WireResponse } from '../wire/service-handler.js';
import { parseAuthorization } from '../wire/sigv4/authorization.js';
import { authenticate, type AuthOptions } from '../wire/sigv4/authenticate.js';
import type { ServiceRegistry } from './service-registry.js';
import { CommonErrors } from '../core/generated/errors.js';

/**
 * The socket-free core of the AWS endpoint (the idea of hono's `app.fetch`): a request in, a
 * response out. Order: route to a service by its headers → read the body within the service's
 * limit → route by the body (query `Version=`) → authenticate (SigV4) → the service's handler.
 * Every failure is an AWS-shaped error in the routed service's protocol (JSON 1.1 when no
 * service could be told). The node:http listener is a thin adapter over this; tests hand it
 * SDK requests directly (test/support/in-process.ts).
 */
export interface HandleRequest {
  readonly method: string;
  readonly url: string;
  /** Header names lowercased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body, or null when it is larger than `limit` (the rest is left unread). */
  readBody(limit: number): Promise<Buffer | null>;
}

export interface HandleResponse extends WireResponse {
  /** The connection should close (a body was refused unread). */
  readonly close?: boolean;
}

export interface HandleOptions {
  readonly registry: ServiceRegistry;
  readonly auth: AuthOptions;
  readonly bodyLimit: number;
}

export type Handle = (request: HandleRequest) => Promise<HandleResponse>;

export function createHandle(o: HandleOptions): Handle {
  return async (req) => {
    const { headers } = req;
    const scope = parseAuthorization(headers.authorization);
    // A service that the headers name (target, credential scope) may take bodies beyond --body-limit.
    const named = o.registry.byHeaders(headers['x-amz-target'], scope?.service);
    const limit = Math.max(o.bodyLimit, named?.bodyLimit ?? 0);
    const body = await req.readBody(limit);
    const route = named ?? o.registry.byQueryVersion(body ?? Buffer.alloc(0), headers['content-type']);
    const fallback = anonymousContext(o.auth);
    const render = (err: ServiceError, ctx: RequestContext = fallback) => (route ? route.renderError(ctx, err) : eventsError(ctx, err));
    if (body === null) return { ...render(CommonErrors.RequestEntityTooLargeException(`Request body is larger than the ${limit}-byte limit.`)), close: true };
    if (!route) {
      const action = queryAction(headers['content-type'], body, req.url);
      // A query-protocol client (form in, XML out) can only read an XML ErrorResponse: answer in its shape.
      if (action !== null) return queryError(QUERY_NAMESPACE, fallback.requestId, CommonErrors.InvalidAction(`The action ${action} is not valid for this web service.`));
      return render(CommonErrors.UnknownOperationException('amiwatch could not tell which AWS service this request is for (no X-Amz-Target, credential scope or Action/Version it serves).'));
    }
    const caller = await authenticate({ method: req.method, url: req.url, headers, body }, o.auth);
    if (caller instanceof ServiceError) return render(caller);
    const context: RequestContext = { accountId: caller.accountId, region: caller.region, requestId: fallback.requestId };
    return route.handler({ method: req.method, url: req.url, headers, body, context });
  };
}

/** The namespace of an error answer to a query request for a service amiwatch does not serve. */
const QUERY_NAMESPACE = 'https://amiwatch.invalid/doc/unknown-service/';

/** The `Action` of a query-protocol request (form body, or the URL's query), or null when it is not one. */
function queryAction(contentType: string | undefined, body: Buffer, url: string): string | null {
  const form = contentType?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body.toString('utf8')) : null;
  const query = new URL(url, 'http://localhost').searchParams;
  return form?.get('Action') ?? query.get('Action');
}

/** The context of a request not (yet) authenticated: default account and region, a fresh id. */
export const anonymousContext = (auth: AuthOptions): RequestContext => ({ accountId: auth.defaultAccount, region: auth.defaultRegion, requestId: randomUUID() });

/** A HandleRequest over a body already in memory (tests, embedders). */
export function bufferedRequest(method: string, url: string, headers: Readonly<Record<string, string | undefined>>, body: Buffer): HandleRequest {
  return { method, url, headers, readBody: async (limit) => (body.length > limit ? null : body) };
}
