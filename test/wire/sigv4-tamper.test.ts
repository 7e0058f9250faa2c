import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseAuthorization } from '../../src/wire/sigv4/authorization.js';
import { NodeSha256 } from '../../src/wire/sigv4/canonical-request.js';
import { verifySigV4, type SignedRequest } from '../../src/wire/sigv4/verify.js';

/**
 * A property of SigV4 as amiwatch checks it: whatever the SDK's signer signs — any method, path
 * (escapes, ARNs, dots), query, headers and body — verifies; and any change after signing to
 * what the signature covers (a path or query character, a signed header, a byte of the body,
 * the method) is refused.
 */
const segment = fc.oneof(
  fc.constantFrom('2015-03-31', 'functions', 'arn:aws:lambda:us-east-1:000000000000:function:f', 'a b', '%', 'é', '.', '..', ''),
  fc.string({ maxLength: 12 }),
);
const arbitraryRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  // Paths as a client sends them: each segment %-encoded once.
  path: fc
    .array(segment, { minLength: 1, maxLength: 4 })
    .map((s) => `/${s.map((x) => encodeURIComponent(x.replace(/[\ud800-\udfff]/g, '?'))).join('/')}`),
  query: fc.dictionary(
    fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !k.startsWith('X-Amz-')),
    fc.string({ maxLength: 8 }),
    { maxKeys: 3 },
  ),
  target: fc.option(fc.constantFrom('AWSEvents.PutEvents', 'AmazonSQS.SendMessage'), { nil: undefined }),
  body: fc.string({ maxLength: 64 }),
});

const keys = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
const signer = new SignatureV4({ service: 'events', region: 'us-east-1', credentials: keys, sha256: NodeSha256 });

type Drawn = { method: string; path: string; query: Record<string, string>; target?: string | undefined; body: string };

async function signedRequest(r: Drawn): Promise<SignedRequest> {
  const headers: Record<string, string> = {
    host: '127.0.0.1:4566',
    'content-type': 'application/x-amz-json-1.1',
    ...(r.target && { 'x-amz-target': r.target }),
  };
  const query = Object.fromEntries(
    Object.entries(r.query).map(([k, v]) => [k.replace(/[\ud800-\udfff]/g, '?'), v.replace(/[\ud800-\udfff]/g, '?')]),
  );
  const out = await signer.sign(
    { method: r.method, protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: r.path, query, headers, body: r.body },
    { signingDate: new Date() },
  );
  const qs = new URLSearchParams(query).toString();
  const lower = Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { method: r.method, url: qs ? `${r.path}?${qs}` : r.path, headers: lower, body: Buffer.from(r.body) };
}

const tampers: readonly [string, (s: SignedRequest) => SignedRequest | null][] = [
  ['method', (s) => ({ ...s, method: s.method === 'POST' ? 'PUT' : 'POST' })],
  ['path', (s) => ({ ...s, url: s.url.replace(/^\/[^?]*/, (p) => `${p}x`) })],
  ['query', (s) => ({ ...s, url: `${s.url}${s.url.includes('?') ? '&' : '?'}extra=1` })],
  ['body', (s) => ({ ...s, body: Buffer.concat([s.body, Buffer.from('!')]) })],
  ['content-type', (s) => ({ ...s, headers: { ...s.headers, 'content-type': 'text/plain' } })],
  ['host', (s) => ({ ...s, headers: { ...s.headers, host: 'other:4566' } })],
  [
    'x-amz-date',
    (s) => ({
      ...s,
      headers: { ...s.headers, 'x-amz-date': s.headers['x-amz-date']!.replace(/\dZ$/, (d) => `${(Number(d[0]) + 1) % 10}Z`) },
    }),
  ],
  [
    'target',
    (s) => (s.headers['x-amz-target'] ? { ...s, headers: { ...s.headers, 'x-amz-target': `${s.headers['x-amz-target']}X` } } : null),
  ],
];

test('what the SDK signs verifies; any change to what it covers is refused', async () => {
  await fc.assert(
    fc.asyncProperty(arbitraryRequest, async (r) => {
      const signed = await signedRequest(r);
      const auth = parseAuthorization(signed.headers.authorization)!;
      assert.equal(await verifySigV4(signed, auth, keys.secretAccessKey), null, `signed ${signed.method} ${signed.url} did not verify`);
      assert.notEqual(await verifySigV4(signed, auth, 'other-secret'), null);
      for (const [what, tamper] of tampers) {
        const changed = tamper(signed);
        if (changed)
          assert.notEqual(
            await verifySigV4(changed, auth, keys.secretAccessKey),
            null,
            `${what} changed after signing was accepted: ${changed.method} ${changed.url}`,
          );
      }
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 200), ...(process.env.FUZZ_RUNS ? {} : { seed: 20261209 }) },
  );
});
