import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CommonErrors } from '../core/generated/errors.js';
import type { Clock } from '../core/shared/clock.js';
import type { WireResponse } from '../wire/service-handler.js';
import { eventsError } from '../wire/services/events.js';
import type { AuthOptions } from '../wire/sigv4/authenticate.js';
import { BodyBudget } from './body-budget.js';
import { isConsoleRequest, serveConsole } from './console-assets.js';
import type { EventStream } from './control-api.js';
import { anonymousContext, type Handle } from './handle.js';
import type { createDoor } from './request-door.js';
import { discardRest, readBody } from './request-body.js';

export interface ListenerOptions {
  /** The socket-free AWS endpoint and control API (handle.ts). */
  readonly handle: Handle;
  readonly auth: AuthOptions;
  /** In-flight body budgets (config: --body-budget, --connection-body-budget). */
  readonly bodyBudget: { readonly total: number; readonly perConnection: number };
  readonly clock: Clock;
  readonly log: (message: string) => void;
  /** Host / Origin checks (request-door.ts). */
  readonly door: ReturnType<typeof createDoor>;
}

type Headers = Record<string, string | undefined>;
type EventOpen = EventStream['open'];

/**
 * The one HTTP port (node:http: the AWS protocols need raw bodies and nothing of a framework), a
 * thin adapter: the console's assets here, every AWS and control API (`/_amiwatch/…`) request
 * through the socket-free `handle` (handle.ts), behind the Host/Origin door. The body is read from the socket only
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
    if (response.open) stream(res, response.status, response.headers, response.body, response.open);
    else send(res, response);
    if (response.bodyUnread) discardRest(req);
  } finally {
    for (const release of releases) release();
  }
}

function reply(res: ServerResponse, status: number, error: string): void {
  const text = JSON.stringify({ error });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A server-sent-event stream (the control API's): written as it comes, a keep-alive comment every
 * 15 s; a client that stops reading is cut off rather than buffered without bound.
 */
function stream(res: ServerResponse, status: number, headers: WireResponse['headers'], first: string | Buffer, open: EventOpen): void {
  res.writeHead(status, headers);
  res.write(first);
  const write = (text: string) => {
    if (res.writableLength > 8 * 1024 * 1024) res.destroy();
    else res.write(text);
  };
  const close = open({ write, end: () => res.end() });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  heartbeat.unref();
  res.on('close', () => {
    clearInterval(heartbeat);
    close();
  });
}

function send(res: ServerResponse, response: WireResponse): void {
  for (const name in response.headers) res.setHeader(name, response.headers[name]!);
  res.setHeader('content-length', Buffer.byteLength(response.body));
  res.statusCode = response.status;
  res.end(response.body);
}
