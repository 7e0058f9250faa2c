import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Clock } from '../core/shared/clock.js';
import { ServiceError } from '../core/shared/service-error.js';
import { eventsError as json11Error } from '../wire/services/events.js';
import type { WireResponse } from '../wire/service-handler.js';
import { authenticate, type AuthOptions } from '../wire/sigv4/authenticate.js';
import { anonymousContext, type Handle } from './handle.js';
import { isConsoleRequest, serveConsole } from './console-assets.js';
import type { ControlApi } from './control-api.js';
import { CommonErrors } from '../core/generated/errors.js';

export interface ListenerOptions {
  /** The socket-free AWS endpoint (handle.ts). */
  readonly handle: Handle;
  readonly control: ControlApi;
  readonly auth: AuthOptions;
  readonly bodyLimit: number;
  readonly clock: Clock;
  readonly log: (message: string) => void;
}

/**
 * The one HTTP port (node:http: the AWS protocols need raw bodies and nothing of a framework), a
 * thin adapter: the console's assets and the control API (`/_amiwatch/…`) here, every AWS
 * request through the socket-free `handle` (handle.ts), its body read from the socket only as
 * far as the routed service's limit allows. Nothing thrown escapes to crash the process.
 */
export function createListener(o: ListenerOptions): Server {
  const server = createServer((req, res) => {
    handle(o, req, res).catch((err: unknown) => {
      o.log(`internal error: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) send(res, json11Error(anonymousContext(o.auth), CommonErrors.InternalException('An internal error occurred.')));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(o: ListenerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (isConsoleRequest(req)) return serveConsole(req, res);
  const headers = req.headers as Record<string, string | undefined>;
  if (url.startsWith('/_amiwatch/')) return control(o, req, res, url, headers, await readBody(req, o.bodyLimit));
  const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '');
  const response = await o.handle({ method: req.method ?? 'GET', url, headers, readBody: (limit) => readBody(req, limit), ...(sourceIp !== undefined && { sourceIp }) });
  send(res, response, response.close === true);
}

/**
 * The control API. Open on loopback without credentials (local development); with a credentials
 * file it asks for a SigV4 signature like the AWS APIs do (any service name, e.g.
 * `curl --aws-sigv4 aws:amz:us-east-1:amiwatch --user KEY:SECRET`), except for the health check
 * and SNS's public links.
 */
async function control(o: ListenerOptions, req: IncomingMessage, res: ServerResponse, url: string, headers: Record<string, string | undefined>, body: Buffer | null): Promise<void> {
  const reply = (status: number, error: string) => {
    const text = JSON.stringify({ error });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (body === null) return reply(413, `Request body is larger than the ${o.bodyLimit}-byte limit.`);
  // SNS links (confirm/unsubscribe pages, signing certificate) are followed by mail readers and
  // HTTP subscribers that cannot sign: the token or ARN in the link is the credential, as in AWS.
  if (o.auth.credentials && !url.startsWith('/_amiwatch/health') && !url.startsWith('/_amiwatch/sns/public/')) {
    const caller = await authenticate({ method: req.method ?? 'GET', url, headers, body }, o.auth);
    if (caller instanceof ServiceError) return reply(caller.status === 400 ? 403 : caller.status, `${caller.code}: ${caller.message}`);
  }
  return o.control.handle(req, res, body);
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
