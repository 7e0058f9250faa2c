import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CommonErrors } from '../core/generated/errors.js';
import type { Clock } from '../core/shared/clock.js';
import type { WireResponse } from '../wire/service-handler.js';
import { eventsError } from '../wire/services/events.js';
import { renderAuthFailure } from '../wire/sigv4/auth-dialect.js';
import { AuthFailure } from '../wire/sigv4/auth-failure.js';
import { identify, verifyIdentified, type AuthOptions } from '../wire/sigv4/authenticate.js';
import { BodyBudget } from './body-budget.js';
import { isConsoleRequest, serveConsole } from './console-assets.js';
import type { ControlApi } from './control-api.js';
import { controlClass, decideControl } from './control-access.js';
import { anonymousContext, type Handle } from './handle.js';
import type { createDoor } from './request-door.js';
import { discardRest, readBody } from './request-body.js';

export interface ListenerOptions {
  /** The socket-free AWS endpoint (handle.ts). */
  readonly handle: Handle;
  readonly control: ControlApi;
  readonly auth: AuthOptions;
  readonly bodyLimit: number;
  /** In-flight body budgets (config: --body-budget, --connection-body-budget). */
  readonly bodyBudget: { readonly total: number; readonly perConnection: number };
  readonly clock: Clock;
  readonly log: (message: string) => void;
  /** Accounts that may use the server-wide control endpoints in credentials mode (control-access.ts). */
  readonly operatorAccounts: readonly string[];
  /** Host / Origin checks (request-door.ts). */
  readonly door: ReturnType<typeof createDoor>;
}

type Headers = Record<string, string | undefined>;

/**
 * The one HTTP port (node:http: the AWS protocols need raw bodies and nothing of a framework), a
 * thin adapter: the console's assets and the control API (`/_amiwatch/…`) here, every AWS
 * request through the socket-free `handle` (handle.ts). The body is read from the socket only
 * when `handle` asks, within the routed service's limit and the in-flight budgets; a request
 * answered unread has the rest of its body thrown away. Nothing thrown escapes to crash the process.
 */
export function createListener(o: ListenerOptions): Server {
  const budget = new BodyBudget(o.bodyBudget.total, o.bodyBudget.perConnection);
  const server = createServer((req, res) => {
    handle(o, budget, req, res).catch((err: unknown) => {
      // A client that went away mid-request is not our error: nothing to answer, nothing to report.
      if (isDisconnect(err, req)) return void res.destroy();
      o.log(`internal error: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) send(res, eventsError(anonymousContext(o.auth), CommonErrors.InternalException('An internal error occurred.')));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** ECONNRESET / "aborted" / premature close on the request: the client hung up. */
function isDisconnect(err: unknown, req: IncomingMessage): boolean {
  const code = (err as { code?: string } | null)?.code;
  return (
    req.destroyed ||
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    code === 'EPIPE' ||
    (err as Error | null)?.message === 'aborted'
  );
}

async function handle(o: ListenerOptions, budget: BodyBudget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const headers = req.headers as Headers;
  const isControl = url.startsWith('/_amiwatch/');
  if (isControl || isConsoleRequest(req)) {
    // The control API and the console: one door (request-door.ts).
    const verdict = o.door.check(req.method ?? 'GET', req.headers, isControl);
    if (!verdict.ok) {
      reply(res, verdict.status, verdict.reason);
      return discardRest(req);
    }
  } else if (!o.auth.credentials && !o.door.hostAllowed(headers.host)) {
    // Without credentials any signature is accepted, so a rebound page could drive the AWS APIs too.
    reply(res, 421, `Host ${headers.host ?? '(none)'} is not a name this server answers to (see --allowed-hosts).`);
    return discardRest(req);
  }
  if (isConsoleRequest(req)) return serveConsole(req, res);
  if (isControl) return control(o, budget, req, res, url, headers);
  // CloudTrail's sourceIPAddress.
  const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '');
  const releases: (() => void)[] = [];
  try {
    const response = await o.handle({
      method: req.method ?? 'GET',
      url,
      headers,
      readBody: (limit) => {
        const reading = readBody(req, limit, budget);
        releases.push(reading.release);
        return reading.result;
      },
      ...(sourceIp !== undefined && { sourceIp }),
    });
    send(res, response);
    if (response.bodyUnread) discardRest(req);
  } finally {
    for (const release of releases) release();
  }
}

/**
 * The control API. Open on loopback without credentials (local development); with a credentials
 * file it asks for a SigV4 signature like the AWS APIs do (any service name, e.g.
 * `curl --aws-sigv4 aws:amz:us-east-1:amiwatch --user KEY:SECRET`), except for the health check
 * and SNS's public links. As for the services, the key is checked before the body is read.
 */
async function control(
  o: ListenerOptions,
  budget: BodyBudget,
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  headers: Headers,
): Promise<void> {
  const replyAuth = (failure: AuthFailure) => {
    const err = renderAuthFailure('json', failure);
    reply(res, err.status === 400 ? 403 : err.status, `${err.code}: ${err.message}`);
  };
  const parsed = new URL(url, 'http://localhost');
  // A path whose %-escapes do not decode (`/_amiwatch/ec2/faults/%`) names nothing: said once
  // here, instead of each control handler's decodeURIComponent failing with a URIError (a 500).
  if (!decodable(parsed.pathname)) {
    reply(res, 400, 'The path has a malformed %-escape.');
    return discardRest(req);
  }
  // SNS links (confirm/unsubscribe pages, signing certificate) are followed by mail readers and
  // HTTP subscribers that cannot sign: the token or ARN in the link is the credential, as in AWS.
  const signed = o.auth.credentials !== null && controlClass(parsed.pathname) !== 'open';
  const identified = signed ? identify({ url, headers }, o.auth, { service: null, dialect: 'json' }) : null;
  if (identified instanceof AuthFailure) {
    replyAuth(identified);
    return discardRest(req);
  }
  const reading = readBody(req, o.bodyLimit, budget);
  try {
    const read = await reading.result;
    if (read.kind !== 'body') {
      const tooLarge = read.kind === 'too-large';
      reply(
        res,
        tooLarge ? 413 : 503,
        tooLarge
          ? `Request body is larger than the ${o.bodyLimit}-byte limit.`
          : 'Rate exceeded: too many request bodies in flight; retry shortly.',
      );
      return discardRest(req);
    }
    const failure = identified ? await verifyIdentified({ method: req.method ?? 'GET', url, headers, body: read.body }, identified) : null;
    if (failure) return replyAuth(failure);
    // Who may use which endpoint, in which account (control-access.ts): the signer's account in
    // credentials mode (an unsigned open endpoint acts as the default account), anyone without.
    const fallback = anonymousContext(o.auth);
    const caller = identified
      ? { accountId: identified.caller.accountId, region: identified.caller.region, requestId: fallback.requestId }
      : o.auth.credentials
        ? fallback
        : null;
    const decision = decideControl(parsed.pathname, parsed.searchParams, caller, fallback, o.operatorAccounts);
    if (!decision.ok) return reply(res, decision.status, decision.error);
    await o.control.handle(req, res, read.body, decision.scope);
  } finally {
    reading.release();
  }
}

function reply(res: ServerResponse, status: number, error: string): void {
  const text = JSON.stringify({ error });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function send(res: ServerResponse, response: WireResponse): void {
  for (const name in response.headers) res.setHeader(name, response.headers[name]!);
  res.setHeader('content-length', Buffer.byteLength(response.body));
  res.statusCode = response.status;
  res.end(response.body);
}
