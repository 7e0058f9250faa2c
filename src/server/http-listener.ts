import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/shared/clock.js';
import type { RequestContext } from '../core/shared/request-context.js';
import { ServiceError } from '../core/shared/service-error.js';
import { json11Error } from '../wire/json11/json11-protocol.js';
import type { WireResponse } from '../wire/service-handler.js';
import { renderAuthFailure, type AuthDialect } from '../wire/sigv4/auth-dialect.js';
import { AuthFailure } from '../wire/sigv4/auth-failure.js';
import { scopeService } from '../wire/sigv4/authorization.js';
import { identify, verifyIdentified, type AuthOptions, type Identified } from '../wire/sigv4/authenticate.js';
import { BodyBudget } from './body-budget.js';
import { isConsoleRequest, serveConsole } from './console-assets.js';
import type { ControlApi } from './control-api.js';
import { discardRest, readBody, type BodyResult } from './request-body.js';
import { authDialectOf, type ServiceRoute, type ServiceRegistry } from './service-registry.js';

export interface ListenerOptions {
  readonly registry: ServiceRegistry;
  readonly control: ControlApi;
  readonly auth: AuthOptions;
  readonly bodyLimit: number;
  /** In-flight body budgets (config: --body-budget, --connection-body-budget). */
  readonly bodyBudget: { readonly total: number; readonly perConnection: number };
  readonly clock: Clock;
  readonly log: (message: string) => void;
}

type Headers = Record<string, string | undefined>;

/**
 * The one HTTP port (node:http: the AWS protocols need raw bodies and nothing of a framework).
 * Order per request: control API (`/_amiwatch/…`) → route by the headers (X-Amz-Target, the
 * credential scope) → authenticate what the head allows (key known, scope, date) → read the
 * body within the limit and the in-flight budget → route by the body if not yet routed →
 * verify the signature over the body → the service's handler. An unknown key never gets a
 * service's larger body limit, nor a byte of its body read. Every failure becomes an AWS-shaped
 * error in the routed service's protocol (JSON 1.1 when no service could be told); nothing
 * thrown escapes to crash the process.
 */
export function createListener(o: ListenerOptions): Server {
  const budget = new BodyBudget(o.bodyBudget.total, o.bodyBudget.perConnection);
  const server = createServer((req, res) => {
    handle(o, budget, req, res).catch((err: unknown) => {
      o.log(`internal error: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) send(res, json11Error(anonymous(o), new ServiceError('InternalException', 'An internal error occurred.', 500)));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

const anonymous = (o: ListenerOptions): RequestContext => ({ accountId: o.auth.defaultAccount, region: o.auth.defaultRegion, requestId: randomUUID() });

async function handle(o: ListenerOptions, budget: BodyBudget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (isConsoleRequest(req)) return serveConsole(req, res);
  const headers = req.headers as Headers;
  if (url.startsWith('/_amiwatch/')) return control(o, budget, req, res, url, headers);
  const named = o.registry.byHeaders(headers['x-amz-target'], scopeService(url, headers));
  const fallback = anonymous(o);
  const render = (route: ServiceRoute | undefined, err: ServiceError, ctx: RequestContext = fallback) =>
    route ? route.renderError(ctx, err, headers) : json11Error(ctx, err);
  const dialect = (route: ServiceRoute): AuthDialect => authDialectOf(route, headers);
  // Before the body: a request the head already condemns is answered unread.
  let identified: Identified | AuthFailure | null = named ? identify({ url, headers }, o.auth, { service: named.signingName, dialect: dialect(named) }) : null;
  if (identified instanceof AuthFailure) return refuse(req, res, render(named, renderAuthFailure(dialect(named!), identified)));
  // A service that the headers name may take bodies beyond --body-limit (Lambda's zips), once its caller is known.
  const limit = Math.max(o.bodyLimit, named?.bodyLimit ?? 0);
  const reading = readBody(req, limit, budget);
  try {
    const read = await reading.result;
    if (read.kind !== 'body') return refuse(req, res, render(named, bodyRefusal(read, limit, named ? dialect(named) : 'json')));
    const body = read.body;
    const route = named ?? o.registry.byQueryVersion(body, headers['content-type']);
    if (!route) {
      return send(res, render(route, new ServiceError('UnknownOperationException', 'amiwatch could not tell which AWS service this request is for (no X-Amz-Target, credential scope or Action/Version it serves).')));
    }
    identified ??= identify({ url, headers }, o.auth, { service: route.signingName, dialect: dialect(route) });
    const failure = identified instanceof AuthFailure ? identified : await verifyIdentified({ method: req.method ?? 'GET', url, headers, body }, identified);
    if (failure) return send(res, render(route, renderAuthFailure(dialect(route), failure)));
    const caller = (identified as Identified).caller;
    const context: RequestContext = { accountId: caller.accountId, region: caller.region, requestId: fallback.requestId };
    send(res, await route.handler({ method: req.method ?? 'GET', url, headers, body, context }));
  } finally {
    reading.release();
  }
}

/** The error for a body that was not read: too large (413) or over the in-flight budget (throttled). */
function bodyRefusal(read: Exclude<BodyResult, { kind: 'body' }>, limit: number, dialect: AuthDialect): ServiceError {
  if (read.kind === 'too-large') return new ServiceError('RequestEntityTooLargeException', `Request body is larger than the ${limit}-byte limit.`, 413);
  // Busy, not wrong: each protocol's throttling code, which the SDKs and CLIs retry with backoff.
  const code = dialect === 'json' ? 'ThrottlingException' : dialect === 'query' ? 'Throttling' : 'RequestLimitExceeded';
  return new ServiceError(code, 'Rate exceeded: the server holds as many request bodies as it is configured to; retry shortly.', 503);
}

/**
 * The control API. Open on loopback without credentials (local development); with a credentials
 * file it asks for a SigV4 signature like the AWS APIs do (any service name, e.g.
 * `curl --aws-sigv4 aws:amz:us-east-1:amiwatch --user KEY:SECRET`), except for the health check
 * and SNS's public links. As for the services, the key is checked before the body is read.
 */
async function control(o: ListenerOptions, budget: BodyBudget, req: IncomingMessage, res: ServerResponse, url: string, headers: Headers): Promise<void> {
  const reply = (status: number, error: string) => {
    const text = JSON.stringify({ error });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const replyAuth = (failure: AuthFailure) => {
    const err = renderAuthFailure('json', failure);
    reply(err.status === 400 ? 403 : err.status, `${err.code}: ${err.message}`);
  };
  // A path whose %-escapes do not decode (`/_amiwatch/ec2/faults/%`) names nothing: said once
  // here, instead of each control handler's decodeURIComponent failing with a URIError (a 500).
  if (!decodable(url.split('?')[0]!)) return reply(400, 'The path has a malformed %-escape.');
  // SNS links (confirm/unsubscribe pages, signing certificate) are followed by mail readers and
  // HTTP subscribers that cannot sign: the token or ARN in the link is the credential, as in AWS.
  const signed = o.auth.credentials !== null && !url.startsWith('/_amiwatch/health') && !url.startsWith('/_amiwatch/sns/public/');
  const identified = signed ? identify({ url, headers }, o.auth, { service: null, dialect: 'json' }) : null;
  if (identified instanceof AuthFailure) {
    replyAuth(identified);
    return discardRest(req);
  }
  const reading = readBody(req, o.bodyLimit, budget);
  try {
    const read = await reading.result;
    if (read.kind !== 'body') {
      reply(read.kind === 'too-large' ? 413 : 503, read.kind === 'too-large' ? `Request body is larger than the ${o.bodyLimit}-byte limit.` : 'Rate exceeded: too many request bodies in flight; retry shortly.');
      return discardRest(req);
    }
    const failure = identified ? await verifyIdentified({ method: req.method ?? 'GET', url, headers, body: read.body }, identified) : null;
    if (failure) return replyAuth(failure);
    await o.control.handle(req, res, read.body);
  } finally {
    reading.release();
  }
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Answers a request whose body was not (fully) read, then throws the rest of it away. */
function refuse(req: IncomingMessage, res: ServerResponse, response: WireResponse): void {
  send(res, response);
  discardRest(req);
}

function send(res: ServerResponse, response: WireResponse): void {
  for (const name in response.headers) res.setHeader(name, response.headers[name]!);
  res.setHeader('content-length', Buffer.byteLength(response.body));
  res.statusCode = response.status;
  res.end(response.body);
}
