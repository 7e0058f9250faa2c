import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/wire/sigv4/canonical-request.js';
import { expectedShape, shapeProblem } from './judge.js';
import { fuzzRequests, type FuzzRequest } from './mutations.js';
import type { WireSeed } from './seeds.js';

/**
 * The wire fuzzer: random and mutated requests (seeds from real clients' captures and the
 * protocols they do not cover), sent over HTTP to a running server, each answer judged:
 *  - crash: no answer (reset, hang-up, timeout) or an "internal error" logged;
 *  - 5xx: any status ≥ 500;
 *  - not AWS-shaped: a 4xx whose body is not its protocol's error shape (judge.ts).
 * With `keys`, half the requests are re-signed after mutation so that they get past SigV4
 * verification into the parsers; the rest exercise verification itself.
 */
export interface FuzzTarget {
  readonly url: string;
  /** The server's log so far (checked for "internal error"). */
  readonly log: readonly string[];
  readonly keys?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface Finding {
  readonly why: string;
  readonly request: FuzzRequest;
  readonly status?: number;
  readonly body?: string;
}

export interface FuzzReport {
  sent: number;
  readonly statuses: Record<string, number>;
  readonly crashes: Finding[];
  readonly serverErrors: Finding[];
  readonly notAwsShaped: Finding[];
}

/** Path and header values as an HTTP client can send them (node refuses control characters). */
const sendablePath = (p: string) =>
  (p.startsWith('/') ? p : `/${p}`).replace(/[\ud800-\udfff]/g, '\ufffd').replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
const sendableHeader = (v: string) => v.replace(/[^\x20-\x7e]/g, '?');

async function signed(r: FuzzRequest, target: FuzzTarget, host: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = { host };
  for (const [k, v] of Object.entries(r.headers)) if (k !== 'authorization') headers[k] = sendableHeader(v);
  if (!target.keys || !r.resign)
    return { ...headers, ...(r.headers.authorization !== undefined && { authorization: sendableHeader(r.headers.authorization) }) };
  const service = /\/\d{8}\/[^/]*\/([a-z0-9-]+)\/aws4_request/.exec(r.headers.authorization ?? '')?.[1] ?? 'events';
  const [path, query = ''] = sendablePath(r.path).split('?', 2) as [string, string?];
  const q: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) q[k] = v;
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: target.keys, sha256: NodeSha256 });
  const out = await signer.sign({
    method: r.method,
    protocol: 'http:',
    hostname: host.split(':')[0]!,
    path,
    query: q,
    headers,
    body: r.body,
  });
  return out.headers as Record<string, string>;
}

type Answer = { status: number; headers: Record<string, string>; body: string; sent: Record<string, string> } | { error: string };

function send(target: FuzzTarget, r: FuzzRequest): Promise<Answer> {
  const url = new URL(target.url);
  return signed(r, target, url.host).then(
    (headers) =>
      new Promise((resolve) => {
        const body = Buffer.from(r.body, 'utf8');
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            method: r.method,
            path: sendablePath(r.path),
            headers: { ...headers, 'content-length': body.length },
            timeout: 10_000,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers as Record<string, string>,
                body: Buffer.concat(chunks).toString('utf8'),
                sent: headers,
              }),
            );
            res.on('error', (e) => resolve({ error: String(e) }));
          },
        );
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', (e) => resolve({ error: String(e) }));
        req.end(r.method === 'GET' || r.method === 'HEAD' ? (body.length ? body : undefined) : body);
      }),
    (e: unknown) => ({ error: `could not sign: ${String(e)}` }),
  );
}

/** Sends `runs` requests drawn with `seed`, in order, and judges each answer. */
export async function fuzzWire(target: FuzzTarget, seeds: readonly WireSeed[], runs: number, seed: number): Promise<FuzzReport> {
  const report: FuzzReport = { sent: 0, statuses: {}, crashes: [], serverErrors: [], notAwsShaped: [] };
  const requests = fc.sample(fuzzRequests(seeds), { numRuns: runs, seed });
  for (const r of requests) {
    const logged = target.log.length;
    const res = await send(target, r);
    report.sent++;
    if ('error' in res) {
      report.crashes.push({ why: res.error, request: r });
      continue;
    }
    report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
    const internal = target.log.slice(logged).find((m) => /internal error/i.test(m));
    if (internal) report.crashes.push({ why: internal.split('\n')[0]!, request: r, status: res.status, body: res.body.slice(0, 500) });
    if (res.status >= 500)
      report.serverErrors.push({ why: `status ${res.status}`, request: r, status: res.status, body: res.body.slice(0, 500) });
    else {
      // HEAD answers carry no body: only their status is judged.
      // Judged by the headers as sent (a re-signed request has a new Authorization).
      const problem =
        r.method === 'HEAD' ? null : shapeProblem(expectedShape({ ...r, headers: res.sent }), res.status, res.headers, res.body);
      if (problem) report.notAwsShaped.push({ why: problem, request: r, status: res.status, body: res.body.slice(0, 500) });
    }
  }
  return report;
}
