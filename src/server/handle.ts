import { randomUUID } from 'node:crypto';
import type { ApiCallRecorder } from '../core/cloudtrail/api-call.js';
import { CommonErrors } from '../core/generated/errors.js';
import type { RequestContext } from '../core/shared/request-context.js';
import type { ServiceError } from '../core/shared/service-error.js';
import { queryError } from '../wire/protocols/query.js';
import { eventsError } from '../wire/services/events.js';
import type { WireResponse } from '../wire/service-handler.js';
import { renderAuthFailure, type AuthDialect } from '../wire/sigv4/auth-dialect.js';
import { AuthFailure } from '../wire/sigv4/auth-failure.js';
import { scopeService } from '../wire/sigv4/authorization.js';
import { identify, verifyIdentified, type AuthOptions, type Identified } from '../wire/sigv4/authenticate.js';
import type { BodyResult } from './request-body.js';
import type { EventStream } from './control-api.js';
import { authDialectOf, type ServiceRegistry, type ServiceRoute } from './service-registry.js';

/**
 * The socket-free core of the AWS endpoint (the idea of hono's `app.fetch`): a request in, a
 * response out. Order: route by the headers (X-Amz-Target, the credential scope) →
 * authenticate what the head allows (key known, scope, date) → read the body within the
 * routed service's limit → route by the body (query `Version=`) if not yet routed → verify the
 * signature over the body → the service's handler. An unknown key never gets a service's larger
 * body limit, nor a byte of its body read. Every failure is an AWS-shaped error in the routed
 * service's protocol (JSON 1.1 when no service could be told). The node:http listener is a thin
 * adapter over this; tests hand it SDK requests directly (test/support/in-process.ts). Paths
 * under `/_amiwatch/` are the control API's (control-handle.ts), behind the same function.
 */
export interface HandleRequest {
  readonly method: string;
  readonly url: string;
  /** Header names lowercased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body within `limit` (and the adapter's in-flight budget), or why it was not read. */
  readBody(limit: number): Promise<BodyResult>;
  /** The peer's address, when there is a socket (CloudTrail's sourceIPAddress). */
  readonly sourceIp?: string;
}

/**
 * A buffered answer, or (the control API's `/events/stream` and `/changes` only) a server-sent
 * event stream (control-api.ts `EventStream`: `open` feeds it).
 */
export interface HandleResponse extends WireResponse {
  /** Answered before the body was read: the adapter throws the rest of it away (or closes). */
  readonly bodyUnread?: boolean;
  readonly open?: EventStream['open'];
}

export interface HandleOptions {
  readonly registry: ServiceRegistry;
  readonly auth: AuthOptions;
  readonly bodyLimit: number;
  /** CloudTrail's recorder, handed to every service's dispatch (docs/cloudtrail.md). */
  readonly audit?: ApiCallRecorder;
  /** amiwatch's own API under `/_amiwatch/` (control-handle.ts). */
  readonly control?: Handle;
}

export type Handle = (request: HandleRequest) => Promise<HandleResponse>;

type Headers = Readonly<Record<string, string | undefined>>;

export function createHandle(o: HandleOptions): Handle {
  return async (req) => {
    if (o.control && req.url.startsWith('/_amiwatch/')) return o.control(req);
    const { headers, url, method } = req;
    const named = o.registry.byHeaders(headers['x-amz-target'], scopeService(url, headers));
    const fallback = anonymousContext(o.auth);
    const render = (route: ServiceRoute | undefined, err: ServiceError): WireResponse =>
      route ? route.renderError(fallback, err, headers) : eventsError(fallback, err);
    const dialect = (route: ServiceRoute): AuthDialect => authDialectOf(route, headers);
    // Before the body: a request the head already condemns is answered unread.
    let identified: Identified | AuthFailure | null = named
      ? identify({ url, headers }, o.auth, { service: named.signingName, dialect: dialect(named) })
      : null;
    if (identified instanceof AuthFailure) return { ...render(named, renderAuthFailure(dialect(named!), identified)), bodyUnread: true };
    // A service that the headers name may take bodies beyond --body-limit (Lambda's zips), once its caller is known.
    const limit = Math.max(o.bodyLimit, named?.bodyLimit ?? 0);
    const read = await req.readBody(limit);
    if (read.kind !== 'body') return { ...render(named, bodyRefusal(read, limit, named ? dialect(named) : 'json')), bodyUnread: true };
    const body = read.body;
    const route = named ?? o.registry.byQueryVersion(body, headers['content-type']);
    if (!route) {
      const action = queryAction(headers['content-type'], body, req.url);
      // A query-protocol client (form in, XML out) can only read an XML ErrorResponse: answer in its shape.
      if (action !== null)
        return queryError(
          QUERY_NAMESPACE,
          fallback.requestId,
          CommonErrors.InvalidAction(`The action ${action} is not valid for this web service.`),
        );
      return render(
        route,
        CommonErrors.UnknownOperationException(
          'amiwatch could not tell which AWS service this request is for (no X-Amz-Target, credential scope or Action/Version it serves).',
        ),
      );
    }
    identified ??= identify({ url, headers }, o.auth, { service: route.signingName, dialect: dialect(route) });
    const failure = identified instanceof AuthFailure ? identified : await verifyIdentified({ method, url, headers, body }, identified);
    if (failure) return render(route, renderAuthFailure(dialect(route), failure));
    const caller = (identified as Identified).caller;
    const context: RequestContext = { accountId: caller.accountId, region: caller.region, requestId: fallback.requestId };
    return route.handler({
      method,
      url,
      headers,
      body,
      context,
      ...(req.sourceIp !== undefined && { sourceIp: req.sourceIp }),
      ...(o.audit && { audit: o.audit }),
    });
  };
}

/** The error for a body that was not read: too large (413) or over the in-flight budget (throttled). */
function bodyRefusal(read: Exclude<BodyResult, { kind: 'body' }>, limit: number, dialect: AuthDialect): ServiceError {
  if (read.kind === 'too-large') return CommonErrors.RequestEntityTooLargeException(`Request body is larger than the ${limit}-byte limit.`);
  // Busy, not wrong: each protocol's throttling code, which the SDKs and CLIs retry with backoff.
  const message = 'Rate exceeded: the server holds as many request bodies as it is configured to; retry shortly.';
  if (dialect === 'json') return CommonErrors.ThrottlingException(message);
  return dialect === 'query' ? CommonErrors.Throttling(message) : CommonErrors.RequestLimitExceeded(message);
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
export const anonymousContext = (auth: AuthOptions): RequestContext => ({
  accountId: auth.defaultAccount,
  region: auth.defaultRegion,
  requestId: randomUUID(),
});

/** A HandleRequest over a body already in memory (tests, embedders). */
export function bufferedRequest(method: string, url: string, headers: Headers, body: Buffer): HandleRequest {
  return { method, url, headers, readBody: async (limit) => (body.length > limit ? { kind: 'too-large' } : { kind: 'body', body }) };
}
