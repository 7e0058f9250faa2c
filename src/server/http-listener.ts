import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/shared/clock.js';
import type { RequestContext } from '../core/shared/request-context.js';
import { ServiceError } from '../core/shared/service-error.js';
import { json11Error } from '../wire/json11/json11-protocol.js';
import type { WireResponse } from '../wire/service-handler.js';
import { parseAuthorization } from '../wire/sigv4/authorization.js';
import { authenticate, type AuthOptions } from '../wire/sigv4/authenticate.js';
import { isConsoleRequest, serveConsole } from './console-assets.js';
import type { ControlApi } from './control-api.js';
import { controlClass, decideControl } from './control-access.js';
import type { createDoor } from './request-door.js';
import type { ServiceRegistry } from './service-registry.js';

export interface ListenerOptions {
  readonly registry: ServiceRegistry;
  readonly control: ControlApi;
  readonly auth: AuthOptions;
  readonly bodyLimit: number;
  readonly clock: Clock;
  readonly log: (message: string) => void;
  /** Accounts that may use the server-wide control endpoints in credentials mode (control-access.ts). */
  readonly operatorAccounts: readonly string[];
  /** Host / Origin checks (request-door.ts). */
  readonly door: ReturnType<typeof createDoor>;
}

/**
 * The one HTTP port (node:http: the AWS protocols need raw bodies and nothing of a framework).
 * Order per request: control API (`/_amiwatch/…`) → read the body within the limit → route to a
 * service → authenticate (SigV4) → the service's handler. Every failure becomes an AWS-shaped
 * error in the routed service's protocol (JSON 1.1 when no service could be told); nothing
 * thrown escapes to crash the process.
 */
export function createListener(o: ListenerOptions): Server {
  const server = createServer((req, res) => {
    handle(o, req, res).catch((err: unknown) => {
      // A client that went away mid-request is not our error: nothing to answer, nothing to report.
      if (isDisconnect(err, req)) return void res.destroy();
      o.log(`internal error: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) send(res, json11Error(anonymous(o), new ServiceError('InternalException', 'An internal error occurred.', 500)));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

const anonymous = (o: ListenerOptions): RequestContext => ({ accountId: o.auth.defaultAccount, region: o.auth.defaultRegion, requestId: randomUUID() });

/** ECONNRESET / "aborted" / premature close on the request: the client hung up. */
function isDisconnect(err: unknown, req: IncomingMessage): boolean {
  const code = (err as { code?: string } | null)?.code;
  return req.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE' || (err as Error | null)?.message === 'aborted';
}

async function handle(o: ListenerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const headers = req.headers as Record<string, string | undefined>;
  const isControl = url.startsWith('/_amiwatch/');
  if (isControl || isConsoleRequest(req)) {
    // The control API and the console: one door (request-door.ts).
    const verdict = o.door.check(req.method ?? 'GET', req.headers, isControl);
    if (!verdict.ok) return reply(res, verdict.status, verdict.reason);
  } else if (!o.auth.credentials && !o.door.hostAllowed(headers.host)) {
    // Without credentials any signature is accepted, so a rebound page could drive the AWS APIs too.
    return reply(res, 421, `Host ${headers.host ?? '(none)'} is not a name this server answers to (see --allowed-hosts).`);
  }
  if (isConsoleRequest(req)) return serveConsole(req, res);
  if (isControl) return control(o, req, res, url, headers, await readBody(req, o.bodyLimit));
  const scope = parseAuthorization(headers.authorization);
  // A service that the headers name (target, credential scope) may take bodies beyond --body-limit.
  const named = o.registry.byHeaders(headers['x-amz-target'], scope?.service);
  const limit = Math.max(o.bodyLimit, named?.bodyLimit ?? 0);
  const body = await readBody(req, limit);
  const route = named ?? o.registry.byQueryVersion(body ?? Buffer.alloc(0), headers['content-type']);
  const fallback = anonymous(o);
  const render = (err: ServiceError, ctx: RequestContext = fallback) => (route ? route.renderError(ctx, err) : json11Error(ctx, err));
  if (body === null) {
    send(res, render(new ServiceError('RequestEntityTooLargeException', `Request body is larger than the ${limit}-byte limit.`, 413)), true);
    return;
  }
  if (!route) {
    send(res, render(new ServiceError('UnknownOperationException', 'amiwatch could not tell which AWS service this request is for (no X-Amz-Target, credential scope or Action/Version it serves).')));
    return;
  }
  const caller = await authenticate({ method: req.method ?? 'GET', url, headers, body }, o.auth);
  if (caller instanceof ServiceError) {
    send(res, render(caller));
    return;
  }
  const context: RequestContext = { accountId: caller.accountId, region: caller.region, requestId: fallback.requestId };
  send(res, await route.handler({ method: req.method ?? 'GET', url, headers, body, context }));
}

/**
 * The control API. Open on loopback without credentials (local development); with a credentials
 * file it asks for a SigV4 signature like the AWS APIs do (any service name, e.g.
 * `curl --aws-sigv4 aws:amz:us-east-1:amiwatch --user KEY:SECRET`), except for the health check
 * and SNS's public links.
 */
async function control(o: ListenerOptions, req: IncomingMessage, res: ServerResponse, url: string, headers: Record<string, string | undefined>, body: Buffer | null): Promise<void> {
  if (body === null) return reply(res, 413, `Request body is larger than the ${o.bodyLimit}-byte limit.`);
  const parsed = new URL(url, 'http://localhost');
  try {
    // Handlers decode path segments (function names, rule ids): malformed %-escapes stop here.
    decodeURIComponent(parsed.pathname);
  } catch {
    return reply(res, 400, `Malformed percent-encoding in the path ${parsed.pathname}.`);
  }
  const fallback = anonymous(o);
  let caller: RequestContext | null = null;
  // SNS links (confirm/unsubscribe pages, signing certificate) are followed by mail readers and
  // HTTP subscribers that cannot sign: the token or ARN in the link is the credential, as in AWS.
  if (o.auth.credentials && controlClass(parsed.pathname) !== 'open') {
    const signed = await authenticate({ method: req.method ?? 'GET', url, headers, body }, o.auth);
    if (signed instanceof ServiceError) return reply(res, signed.status === 400 ? 403 : signed.status, `${signed.code}: ${signed.message}`);
    caller = { accountId: signed.accountId, region: signed.region, requestId: fallback.requestId };
  } else if (o.auth.credentials) {
    caller = fallback;
  }
  const decision = decideControl(parsed.pathname, parsed.searchParams, caller, fallback, o.operatorAccounts);
  if (!decision.ok) return reply(res, decision.status, decision.error);
  return o.control.handle(req, res, body, decision.scope);
}

function reply(res: ServerResponse, status: number, error: string): void {
  const text = JSON.stringify({ error });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The body, or null when it exceeds `limit` (the rest is not read; the connection closes). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: WireResponse, close = false): void {
  for (const name in response.headers) res.setHeader(name, response.headers[name]!);
  res.setHeader('content-length', Buffer.byteLength(response.body));
  if (close) res.setHeader('connection', 'close');
  res.statusCode = response.status;
  res.end(response.body);
}
