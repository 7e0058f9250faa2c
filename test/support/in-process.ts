import { Readable } from 'node:stream';
import type { App } from '../../src/server/app.js';
import { bufferedRequest, type Handle, type HandleResponse } from '../../src/server/handle.js';

/**
 * An AWS SDK v3 `requestHandler` that hands each request to the server's socket-free `handle`
 * (src/server/handle.ts): the same routing, body limits, SigV4 check, protocols and services as
 * over HTTP, without a socket. For behaviour tests; tests about real clients (AWS CLI, wire
 * captures, SDK over a socket) keep using `app.url`.
 */
interface SdkHttpRequest {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

export function inProcessHandler(handle: Handle) {
  return {
    metadata: { handlerProtocol: 'in-process' },
    async handle(request: SdkHttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Readable } }> {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
      const response = await handle(bufferedRequest(request.method, pathWithQuery(request), headers, await bodyBytes(request.body)));
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(response.headers)) out[k.toLowerCase()] = v;
      const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
      return { response: { statusCode: response.status, headers: out, body: Readable.from(body.length > 0 ? [body] : []) } };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs: () => ({}),
    destroy(): void {},
  };
}

/**
 * `AMIWATCH_TEST_OVER_SOCKET=1` sends the same behaviour tests over the server's socket instead:
 * the baseline the in-process speed-up is measured against (BENCHMARKS.md, "In-process tests").
 */
const overSocket = process.env.AMIWATCH_TEST_OVER_SOCKET === '1';

/** SDK client options that talk to `app` in-process: endpoint, handler, test credentials. */
export function inProcess(app: App, region = 'us-east-1', credentials = { accessKeyId: 'test', secretAccessKey: 'test' }) {
  const base = { endpoint: app.url, region, credentials, maxAttempts: 1 };
  return overSocket ? base : { ...base, requestHandler: inProcessHandler(app.handle) };
}

function pathWithQuery(request: SdkHttpRequest): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(request.query ?? {})) {
    if (v === null) parts.push(encode(k));
    else for (const item of Array.isArray(v) ? v : [v]) parts.push(`${encode(k)}=${encode(item)}`);
  }
  return parts.length === 0 ? request.path : `${request.path}?${parts.join('&')}`;
}

/** RFC 3986 encoding, as the SDK's own handlers write query strings (SigV4 hashes them so). */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Readable || (typeof body === 'object' && Symbol.asyncIterator in body)) {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  throw new Error(`in-process handler: unsupported request body ${typeof body}`);
}

/**
 * A `fetch` that hands the request to the server's `handle` instead of a socket: the AWS
 * endpoint and the control API (`/_amiwatch/…`, its event streams as a streamed body); the
 * console's assets are the listener's. The Host/Origin door (request-door.ts) is not crossed.
 */
export function inProcessFetch(
  app: App,
): (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array; signal?: AbortSignal },
) => Promise<Response> {
  return async (url, init = {}) => {
    if (overSocket) return fetch(url, init);
    const { pathname, search } = new URL(url);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
    const body = init.body === undefined ? Buffer.alloc(0) : Buffer.from(init.body);
    if (body.length > 0) headers['content-length'] ??= String(body.length);
    const response = await app.handle(bufferedRequest(init.method ?? 'GET', pathname + search, headers, body));
    if (response.open) return new Response(eventBody(response.body, response.open, init.signal), response);
    return new Response(response.status === 204 || response.status === 304 ? null : response.body, {
      status: response.status,
      headers: response.headers,
    });
  };
}

/** An event stream's text as a fetch body: the first line, then what `open` writes until cancelled or aborted. */
function eventBody(first: string | Buffer, open: NonNullable<HandleResponse['open']>, signal?: AbortSignal): ReadableStream<Uint8Array> {
  let close = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(Buffer.from(first));
      close = open({
        write: (text) => controller.enqueue(Buffer.from(text)),
        end: () => {
          close(); // server shutdown: no write may follow
          controller.close();
        },
      });
      signal?.addEventListener('abort', () => {
        close();
        controller.error(signal.reason);
      });
    },
    cancel: () => close(),
  });
}
