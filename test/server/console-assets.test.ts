import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { isConsoleRequest, serveConsole } from '../../src/server/console-assets.js';

/** Static serving of the console: content types, caching, compression, and no way out of its directory. */
const bigScript = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word-${i % 37}`))};\n`;
let dir: string;
let server: Server;
let base: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'big-abc123.js'), bigScript);
  writeFileSync(join(dir, 'assets', 'pre-abc123.js'), bigScript);
  // A precompressed copy (as the build writes): sent as it is, so its content proves it was used.
  writeFileSync(join(dir, 'assets', 'pre-abc123.js.gz'), gzipSync('/* the precompressed copy */'));
  writeFileSync(join(tmpdir(), 'console-secret.txt'), 'secret');
  server = createServer((req, res) => void (isConsoleRequest(req) ? serveConsole(req, res, dir) : res.writeHead(418).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('index.html is revalidated, hashed assets are immutable, each with its content type', async () => {
  const index = await fetch(`${base}/`);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  assert.match(index.headers.get('content-security-policy')!, /default-src 'self'/);
  const js = await fetch(`${base}/assets/index-abc123.js`);
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(await js.text(), 'console.log(1)');
  assert.equal((await fetch(`${base}/assets/index-abc123.css`)).headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal((await fetch(`${base}/assets/missing.js`)).status, 404);
});

test('no directory traversal, raw or percent-encoded', async () => {
  for (const path of [
    '/assets/../../console-secret.txt',
    '/assets/%2e%2e/%2e%2e/console-secret.txt',
    '/assets/..%2f..%2fconsole-secret.txt',
    '/assets/%00',
  ]) {
    const status = await new Promise<number>((resolve, reject) => {
      // fetch would normalise `..` away; a raw request sends the path as written.
      const req = request(
        { host: '127.0.0.1', port: Number(new URL(base).port), path, method: 'GET' },
        (res) => (res.resume(), resolve(res.statusCode!)),
      );
      req.on('error', reject);
      req.end();
    });
    assert.ok(status === 404 || status === 400, `${path} → ${status}`);
  }
});

test('signed AWS calls and X-Amz-Target requests never reach the console', async () => {
  assert.equal(
    (
      await fetch(`${base}/`, {
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0' },
      })
    ).status,
    418,
  );
  assert.equal((await fetch(`${base}/`, { headers: { 'x-amz-target': 'AWSEvents.ListRules' } })).status, 418);
  assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 418);
  assert.equal((await fetch(`${base}/2015-03-31/functions`)).status, 418);
  assert.equal((await fetch(`${base}/?Action=DescribeImages&Version=2016-11-15`)).status, 418);
  assert.equal((await fetch(`${base}/?lang=en`)).status, 200);
});

/** A raw GET: the body's bytes as sent (fetch would decompress them) and the headers. */
function raw(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(new URL(base).port), path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('text assets go out compressed with what the browser accepts, brotli first; small ones and refusals as they are', async () => {
  const br = await raw('/assets/big-abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers.vary, 'accept-encoding');
  assert.equal(Number(br.headers['content-length']), br.body.length);
  assert.ok(br.body.length < bigScript.length / 4, `${br.body.length} bytes of ${bigScript.length}`);
  assert.equal(brotliDecompressSync(br.body).toString(), bigScript);
  const gz = await raw('/assets/big-abc123.js', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.body).toString(), bigScript);
  const refused = await raw('/assets/big-abc123.js', { 'accept-encoding': 'br;q=0, gzip;q=0' });
  assert.equal(refused.headers['content-encoding'], undefined);
  assert.equal(refused.body.toString(), bigScript);
  const none = await raw('/assets/big-abc123.js', {});
  assert.equal(none.body.toString(), bigScript);
  const small = await raw('/assets/index-abc123.js', { 'accept-encoding': 'br' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(small.body.toString(), 'console.log(1)');
});

test('a precompressed copy beside the file is sent instead of compressing again', async () => {
  const gz = await raw('/assets/pre-abc123.js', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.body).toString(), '/* the precompressed copy */');
  // No .br copy: compressed on the fly.
  const br = await raw('/assets/pre-abc123.js', { 'accept-encoding': 'br' });
  assert.equal(brotliDecompressSync(br.body).toString(), bigScript);
});
