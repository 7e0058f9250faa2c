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
import { anonymousContext, type Handle } from './handle.js';
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
      o.log(`internal error: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) send(res, eventsError(anonymousContext(o.auth), CommonErrors.InternalException('An internal error occurred.')));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(o: ListenerOptions, budget: BodyBudget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (isConsoleRequest(req)) return serveConsole(req, res);
  const headers = req.headers as Headers;
  if (url.startsWith('/_amiwatch/')) return control(o, budget, req, res, url, headers);
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
      const tooLarge = read.kind === 'too-large';
      reply(tooLarge ? 413 : 503, tooLarge ? `Request body is larger than the ${o.bodyLimit}-byte limit.` : 'Rate exceeded: too many request bodies in flight; retry shortly.');
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

function send(res: ServerResponse, response: WireResponse): void {
  for (const name in response.headers) res.setHeader(name, response.headers[name]!);
  res.setHeader('content-length', Buffer.byteLength(response.body));
  res.statusCode = response.status;
  res.end(response.body);
}
