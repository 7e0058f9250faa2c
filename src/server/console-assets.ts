import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseEncoding, compressedBody } from './compressed-assets.js';

/**
 * The web console's built files (`vite build` writes them to `dist/console/`). This module sits
 * two directories below the package root both as source (src/server) and compiled
 * (dist/server), so one relative path finds them either way.
 */
export const defaultConsoleDir = fileURLToPath(new URL('../../dist/console/', import.meta.url));

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Whether a request is for the console rather than an AWS API: a GET/HEAD with neither a SigV4
 * `Authorization` header nor an `X-Amz-Target` nor an `Action` parameter, for `/` or a file under
 * `/assets/`. AWS clients always sign, so they never land here.
 */
export function isConsoleRequest(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.headers.authorization || req.headers['x-amz-target']) return false;
  const [path = '/', query = ''] = (req.url ?? '/').split('?', 2);
  // EC2's query protocol also answers GET /?Action=…: such a request is an API call, even unsigned.
  if (new URLSearchParams(query).has('Action')) return false;
  return path === '/' || path === '/index.html' || path.startsWith('/assets/') || path === '/favicon.svg';
}

/**
 * Serves one console file. Vite names assets by content hash, so `/assets/*` is cached for a
 * year as immutable; index.html is revalidated every time so a rebuilt console shows at once.
 * Paths are normalised and must stay inside the console directory (no `..` escape). Text files
 * go out brotli- or gzip-compressed when the browser accepts it (compressed-assets.ts).
 */
export async function serveConsole(req: IncomingMessage, res: ServerResponse, dir: string = defaultConsoleDir): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
  } catch {
    return plain(res, 400, 'Bad path');
  }
  if (path === '/') path = '/index.html';
  const root = normalize(dir.endsWith(sep) ? dir : dir + sep);
  const file = normalize(join(root, path));
  if (!file.startsWith(root) || path.includes('\0')) return plain(res, 404, 'Not found');
  let body: Buffer;
  try {
    if (!(await stat(file)).isFile()) return plain(res, 404, 'Not found');
    body = await readFile(file);
  } catch {
    if (path === '/index.html') return plain(res, 404, 'The console is not built: run `npm run build`.');
    return plain(res, 404, 'Not found');
  }
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const packed = encoding && (await compressedBody(file, extname(file), body, encoding));
  if (packed) body = packed;
  res.writeHead(200, {
    'content-type': types[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    ...(packed && { 'content-encoding': encoding }),
    vary: 'accept-encoding',
    'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(path === '/index.html' && {
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    }),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
