import { createHash, timingSafeEqual, verify as verifyEcdsa } from 'node:crypto';
import { AuthFailure, amzDateOf, SIGNATURE_MISMATCH } from './auth-failure.js';
import type { SigV4Authorization } from './authorization.js';
import { canonicalStringToSign, hmacSignature, parseQuery } from './canonical-request.js';
import { SigV4aKeys } from './sigv4a-key.js';

/**
 * Verifies a SigV4 signature for real, as AWS does outside S3: the canonical request is rebuilt
 * with the SDK's own canonicalization (canonical-request.ts) over exactly the headers the client
 * listed in SignedHeaders, the path as sent, the query, and the SHA-256 of the body the server
 * received — never a hash the client merely claims. So:
 *  - `x-amz-content-sha256` other than the body's hash is refused ("… does not match what was
 *    computed."), `UNSIGNED-PAYLOAD` included: only S3 accepts it, and amiwatch serves no S3.
 *    The one exception is a presigned request without a body (botocore presigns with
 *    UNSIGNED-PAYLOAD): there is no body to swap.
 *  - a wrong signature → `mismatch` with AWS's text.
 * SigV4a (`AWS4-ECDSA-P256-SHA256`) cannot be recomputed — ECDSA signatures are randomized — so
 * its string to sign is checked against the public key derived from the secret (sigv4a-key.ts).
 * The signing time is checked separately, before the body is read (checkSigningTime).
 */
export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** `20261124T233401Z` → ms, or NaN. */
export function parseAmzDate(text: string | undefined): number {
  const m = text && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

/** The X-Amz-Date the signature covers: the presigned parameter or the header. */
export const signingDateText = (auth: SigV4Authorization, headers: Readonly<Record<string, string | undefined>>): string | undefined =>
  auth.location === 'query' ? auth.amzDate : headers['x-amz-date'];

/**
 * The signing time against the server's clock (`now`; null skips the check): within `skewMs`
 * either way, and for a presigned request not past X-Amz-Date + X-Amz-Expires. Also the scope's
 * date must be X-Amz-Date's day, as AWS insists.
 */
export function checkSigningTime(
  auth: SigV4Authorization,
  headers: Readonly<Record<string, string | undefined>>,
  now: number | null,
  skewMs: number,
): AuthFailure | null {
  const text = signingDateText(auth, headers);
  const signed = parseAmzDate(text);
  if (!Number.isFinite(signed)) {
    return new AuthFailure(
      'incomplete',
      auth.location === 'query'
        ? `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`
        : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (text!.slice(0, 8) !== auth.date) {
    return new AuthFailure(
      'mismatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${text!.slice(0, 8)}', from '${text}'.`,
    );
  }
  if (now === null) return null;
  const minutes = `${skewMs / 60_000} min.`;
  if (signed - now > skewMs) {
    return new AuthFailure(
      'not-yet-current',
      `Signature not yet current: ${text} is still later than ${amzDateOf(now + skewMs)} (${amzDateOf(now)} + ${minutes})`,
    );
  }
  if (auth.location === 'query') return now > signed + auth.expiresSeconds! * 1000 ? new AuthFailure('presign-expired') : null;
  if (now - signed > skewMs) {
    return new AuthFailure(
      'expired',
      `Signature expired: ${text} is now earlier than ${amzDateOf(now - skewMs)} (${amzDateOf(now)} - ${minutes})`,
    );
  }
  return null;
}

/** The signature against the secret; null when it holds. */
export async function verifySigV4(request: SignedRequest, auth: SigV4Authorization, secretAccessKey: string): Promise<AuthFailure | null> {
  if (!auth.signedHeaders.includes('host')) return new AuthFailure('mismatch', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const claimed = request.headers['x-amz-content-sha256'];
  const unsignedAllowed = auth.location === 'query' && request.body.length === 0;
  if (claimed !== undefined && claimed !== bodyHash && !(claimed === 'UNSIGNED-PAYLOAD' && unsignedAllowed)) {
    return new AuthFailure(
      'mismatch',
      claimed === 'UNSIGNED-PAYLOAD' ? SIGNATURE_MISMATCH : "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const headers = Object.create(null) as Record<string, string>;
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return new AuthFailure('mismatch');
    headers[name] = value;
  }
  const q = request.url.indexOf('?');
  const input = {
    method: request.method,
    path: q < 0 ? request.url : request.url.slice(0, q),
    query: parseQuery(q < 0 ? '' : request.url.slice(q + 1)),
    headers,
    body: request.body,
  };
  const amzDate = signingDateText(auth, request.headers)!;
  const scope =
    auth.algorithm === 'AWS4-ECDSA-P256-SHA256'
      ? `${auth.date}/${auth.service}/aws4_request`
      : `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const hashes = claimed === 'UNSIGNED-PAYLOAD' || unsignedAllowed ? [bodyHash, 'UNSIGNED-PAYLOAD'] : [bodyHash];
  for (const payloadHash of hashes) {
    const stringToSign = await canonicalStringToSign(input, {
      algorithm: auth.algorithm,
      amzDate,
      scope,
      service: auth.service,
      payloadHash,
    });
    if (
      auth.algorithm === 'AWS4-ECDSA-P256-SHA256'
        ? ecdsaSignatureValid(stringToSign, auth, secretAccessKey)
        : hmacValid(stringToSign, auth, secretAccessKey)
    )
      return null;
  }
  return new AuthFailure('mismatch');
}

function hmacValid(stringToSign: string, auth: SigV4Authorization, secretAccessKey: string): boolean {
  const expected = Buffer.from(hmacSignature(secretAccessKey, auth.date, auth.region, auth.service, stringToSign));
  // Compared as bytes: a signature with non-ASCII characters has as many characters but more bytes.
  const given = Buffer.from(auth.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const sigV4aKeys = new SigV4aKeys();

function ecdsaSignatureValid(stringToSign: string, auth: SigV4Authorization, secretAccessKey: string): boolean {
  if (!/^(?:[0-9a-f]{2})+$/.test(auth.signature)) return false;
  try {
    // ECDSA over SHA-256(string to sign), the signature DER-encoded in hex.
    return verifyEcdsa(
      'sha256',
      Buffer.from(stringToSign, 'utf8'),
      sigV4aKeys.get(auth.accessKeyId, secretAccessKey),
      Buffer.from(auth.signature, 'hex'),
    );
  } catch {
    return false; // not a DER signature at all
  }
}
