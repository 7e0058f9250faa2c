import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHttp } from '../../bench/fuzz/seeds.js';
import { parseAuthorization } from '../../src/wire/sigv4/authorization.js';
import { renderAuthFailure } from '../../src/wire/sigv4/auth-dialect.js';
import { checkSigningTime, parseAmzDate, verifySigV4 } from '../../src/wire/sigv4/verify.js';

/** The failure as a JSON-protocol client reads it (code and message), or null. */
const asJson = (f: Awaited<ReturnType<typeof verifySigV4>>) => (f ? renderAuthFailure('json', f) : null);

/**
 * The wire captures (real CLI v1, CLI v2 and SDK v3 requests, ../shared/wire) verify with secret
 * `test`: every SigV4 and SigV4a (PutEvents with EndpointId) one must pass, and must fail once a
 * byte of the body, a signed header or the secret changes.
 */
const dir = new URL('../fixtures/wire/', import.meta.url).pathname;
const files = (() => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.http'));
  } catch {
    return [];
  }
})();

const parseCapture = parseHttp;

test('wire captures are present', { skip: files.length === 0 ? `no captures in ${dir}` : false }, () => {
  assert.ok(files.length >= 42);
});

for (const file of files) {
  const capture = parseCapture(readFileSync(join(dir, file)));
  const auth = parseAuthorization(capture.headers.authorization);
  if (!auth) continue;
  const now = parseAmzDate(capture.headers['x-amz-date']);
  const kind = auth.algorithm === 'AWS4-HMAC-SHA256' ? 'SigV4' : 'SigV4a';
  test(`${kind} vector ${file}: verifies, and tampering is detected`, async () => {
    assert.equal(checkSigningTime(auth, capture.headers, now, 5 * 60 * 1000), null);
    assert.equal(await verifySigV4(capture, auth, 'test'), null);
    const wrongSecret = asJson(await verifySigV4(capture, auth, 'nope'));
    assert.equal(wrongSecret?.code, 'InvalidSignatureException');
    const body = Buffer.concat([capture.body, Buffer.from(' ')]);
    assert.equal(asJson(await verifySigV4({ ...capture, body }, auth, 'test'))?.code, 'InvalidSignatureException');
    const headers = {
      ...capture.headers,
      'x-amz-date': capture.headers['x-amz-date']!.replace(/\dZ$/, (d) => `${(Number(d[0]) + 1) % 10}Z`),
    };
    assert.equal(asJson(await verifySigV4({ ...capture, headers }, auth, 'test'))?.code, 'InvalidSignatureException');
    const expired = asJson(checkSigningTime(auth, capture.headers, now + 6 * 60 * 1000, 5 * 60 * 1000));
    assert.match(expired?.message ?? '', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  });
}

test('the SigV4a vectors are among them (CLI v2 and SDK v3 with EndpointId)', {
  skip: files.length === 0 ? `no captures in ${dir}` : false,
}, () => {
  const v4a = files.filter(
    (f) => parseAuthorization(parseCapture(readFileSync(join(dir, f))).headers.authorization)?.algorithm === 'AWS4-ECDSA-P256-SHA256',
  );
  assert.deepEqual(v4a.sort(), ['cli-events-PutEvents-EndpointId.http', 'sdk-events-PutEvents-EndpointId.http']);
});

test("a SigV4a signature that is not DER, or signed by another key, is refused with AWS's text", async () => {
  const capture = parseCapture(readFileSync(join(dir, 'sdk-events-PutEvents-EndpointId.http')));
  const auth = parseAuthorization(capture.headers.authorization)!;
  for (const signature of ['zz', '3045', auth.signature.slice(0, -2) + (auth.signature.endsWith('00') ? '01' : '00')]) {
    const failure = asJson(await verifySigV4(capture, { ...auth, signature }, 'test'));
    assert.equal(failure?.code, 'InvalidSignatureException');
    assert.match(failure?.message ?? '', /^The request signature we calculated does not match/);
  }
  // Another access key id derives another key pair: the same signature no longer verifies.
  assert.equal(asJson(await verifySigV4(capture, { ...auth, accessKeyId: 'other' }, 'test'))?.code, 'InvalidSignatureException');
});
