import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Issue 22, finding 4: with signatures verified, bodies were read whole before the access key
 * was checked — up to ~68 MB each when the unverified scope named `lambda` — so ten concurrent
 * unauthenticated 60 MB requests took the server from 95 to 620 MB. Now the key is checked
 * before a byte of the body is read: the server runs in a child process and its RSS is sampled
 * from /proc while the requests stream in.
 */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-rss-'));
const credentialsFile = join(dir, 'credentials.json');
writeFileSync(
  credentialsFile,
  JSON.stringify({ credentials: [{ accessKeyId: 'test', secretAccessKey: 'test', accountId: '222233334444' }] }),
);
let child: ChildProcess;
let port = 0;

before(async () => {
  child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('../support/child-server.ts', import.meta.url).pathname, JSON.stringify({ credentialsFile })],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
});
after(() => {
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

const rssBytes = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

const SIZE = 60 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 0x41);

/**
 * Sends a request head declaring a 60 MB body, then the body a megabyte at a time until the
 * server answers (a client that reads while it writes, as curl and the SDKs do); the answer.
 */
function bigRequest(head: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answered = false;
    let data = '';
    let sent = 0;
    const pump = () => {
      while (!answered && sent < SIZE) {
        sent += CHUNK.length;
        if (!socket.write(CHUNK)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(`${head}Content-Length: ${SIZE}\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      pump();
    });
    socket.on('data', (c: Buffer) => {
      data += c.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(data)?.[1] ?? NaN);
      if (end >= 0 && data.length >= end + 4 + length) {
        answered = true;
        socket.destroy();
        resolve({ status: Number(data.split(' ')[1]), headers: data.slice(0, end), body: data.slice(end + 4, end + 4 + length) });
      }
    });
    socket.on('error', (e) => (answered ? undefined : reject(e)));
  });
}

async function measure(heads: string[]): Promise<{ growth: number; answers: Awaited<ReturnType<typeof bigRequest>>[] }> {
  const baseline = rssBytes(child.pid!);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(child.pid!))), 10);
  try {
    const answers = await Promise.all(heads.map(bigRequest));
    return { growth: peak - baseline, answers };
  } finally {
    clearInterval(sampler);
  }
}

const unknownKeyLambda =
  'POST /2015-03-31/functions HTTP/1.1\r\nContent-Type: application/json\r\nX-Amz-Date: 20261207T000000Z\r\n' +
  'Authorization: AWS4-HMAC-SHA256 Credential=AKIDUNKNOWN/20261207/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\n';

test('10 concurrent unauthenticated 60 MB requests (unknown key, scope lambda) are refused unread: RSS stays flat', async (t) => {
  const { growth, answers } = await measure(Array.from({ length: 10 }, () => unknownKeyLambda));
  t.diagnostic(`RSS growth: ${(growth / 1048576).toFixed(1)} MB`);
  for (const a of answers) {
    assert.equal(a.status, 403);
    assert.match(a.headers, /x-amzn-errortype: UnrecognizedClientException/i);
    assert.equal((JSON.parse(a.body) as { Message: string }).Message, 'The security token included in the request is invalid.');
  }
  // Before the fix this grew by ~525 MB (10 × 60 MB buffered); a few MB of socket buffers remain.
  assert.ok(growth < 40 * 1024 * 1024, `RSS grew by ${(growth / 1048576).toFixed(1)} MB`);
});

test('no Authorization at all, and a JSON target or a query scope: refused unread in each protocol', async () => {
  const noAuthEvents = 'POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSEvents.PutEvents\r\n';
  const snsUnknown =
    'POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Amz-Date: 20261207T000000Z\r\n' +
    'Authorization: AWS4-HMAC-SHA256 Credential=AKIDUNKNOWN/20261207/us-east-1/sns/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\n';
  const { growth, answers } = await measure([
    ...Array.from({ length: 5 }, () => noAuthEvents),
    ...Array.from({ length: 5 }, () => snsUnknown),
  ]);
  for (const a of answers.slice(0, 5)) {
    assert.equal(a.status, 403);
    assert.equal((JSON.parse(a.body) as { __type: string }).__type, 'MissingAuthenticationTokenException');
  }
  for (const a of answers.slice(5)) {
    assert.equal(a.status, 403);
    assert.match(a.body, /<Code>InvalidClientTokenId<\/Code>/);
  }
  assert.ok(growth < 40 * 1024 * 1024, `RSS grew by ${(growth / 1048576).toFixed(1)} MB`);
});

test('a refused client that keeps sending is cut off after 8 MiB of discarded body, not read to the end', async () => {
  const answer = await new Promise<{ status: number; closedAfter: number }>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let sent = 0;
    // Unlike bigRequest, this client ignores the answer and keeps writing.
    const pump = () => {
      while (sent < SIZE) {
        sent += CHUNK.length;
        if (!socket.write(CHUNK)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(`${unknownKeyLambda}Content-Length: ${SIZE}\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      pump();
    });
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    const done = () => resolve({ status: Number(data.split(' ')[1]), closedAfter: sent });
    socket.on('close', done);
    socket.on('error', () => undefined);
    setTimeout(() => reject(new Error('the server never closed the connection')), 20_000).unref();
  });
  assert.equal(answer.status, 403);
  assert.ok(answer.closedAfter < SIZE, `the whole ${SIZE} bytes were taken`);
});
