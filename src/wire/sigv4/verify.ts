import { createHash, timingSafeEqual, verify as verifyEcdsa } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { ServiceError } from '../../core/shared/service-error.js';
import type { SigV4Authorization } from './authorization.js';
import { canonicalStringToSign, NodeSha256 } from './canonical-request.js';
import { SigV4aKeys } from './sigv4a-key.js';

/**
 * Verifies a SigV4 signature for real: recomputes it with the AWS SDK's own signer
 * (@smithy/signature-v4) over exactly the headers the client listed in SignedHeaders, the raw
 * body's SHA-256 and the client's X-Amz-Date, then compares. Failures are AWS's errors:
 *  - a body whose hash differs from a signed x-amz-content-sha256 → InvalidSignatureException
 *    ("The provided 'x-amz-content-sha256' header does not match what was computed.")
 *  - a wrong signature → InvalidSignatureException (AWS's text below)
 *  - X-Amz-Date more than 5 minutes away from now → InvalidSignatureException "Signature expired"
 *    (AWS's text for requests too old; amiwatch uses it for both directions).
 * SigV4a (`AWS4-ECDSA-P256-SHA256`, what the SDKs and the CLI send for PutEvents with an
 * EndpointId) cannot be recomputed — ECDSA signatures are randomized — so its string to sign is
 * built with the SDK's canonicalization and the DER signature checked against the public key
 * derived from the caller's secret (sigv4a-key.ts).
 */
export const MAX_SKEW_MS = 5 * 60 * 1000;

export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

const invalidSignature = (message: string) => new ServiceError('InvalidSignatureException', message, 403);

/** `20261124T233401Z` → ms, or NaN. */
export function parseAmzDate(text: string | undefined): number {
  const m = text && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

export async function verifySigV4(
  request: SignedRequest,
  auth: SigV4Authorization,
  secretAccessKey: string,
  now: number | null,
): Promise<ServiceError | null> {
  const amzDate = request.headers['x-amz-date'];
  const signingDate = parseAmzDate(amzDate);
  if (!Number.isFinite(signingDate)) return new ServiceError('IncompleteSignatureException', 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  if (now !== null && Math.abs(now - signingDate) > MAX_SKEW_MS) {
    return invalidSignature(`Signature expired: ${amzDate} is now earlier than ${compact(now - MAX_SKEW_MS)} (${compact(now)} - 5 min.)`);
  }
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const claimed = request.headers['x-amz-content-sha256'];
  if (claimed !== undefined && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== bodyHash) {
    return invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return invalidSignature(signatureMismatch);
    headers[name] = value;
  }
  // The path as sent (still percent-encoded): the signer encodes each segment once more, as AWS's
  // clients do for every service but S3 (a function ARN's `%3A` is signed as `%253A`).
  const [path, query = ''] = request.url.split('?', 2) as [string, string?];
  if (auth.algorithm === 'AWS4-ECDSA-P256-SHA256') {
    const stringToSign = await canonicalStringToSign(
      { method: request.method, path, query: parseQuery(query), headers, body: request.body },
      { algorithm: auth.algorithm, amzDate: amzDate!, scope: `${auth.date}/${auth.service}/aws4_request`, service: auth.service, payloadHash: claimed ?? bodyHash },
    );
    return ecdsaSignatureValid(stringToSign, auth, secretAccessKey) ? null : invalidSignature(signatureMismatch);
  }
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    sha256: NodeSha256,
    uriEscapePath: auth.service !== 's3',
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path,
      query: parseQuery(query),
      headers,
      body: request.body,
    },
    { signingDate: new Date(signingDate), signingRegion: auth.region, signingService: auth.service },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? signed.headers.Authorization))?.[1] ?? '';
  const ok = expected.length === auth.signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature));
  return ok ? null : invalidSignature(signatureMismatch);
}

const sigV4aKeys = new SigV4aKeys();

function ecdsaSignatureValid(stringToSign: string, auth: SigV4Authorization, secretAccessKey: string): boolean {
  if (!/^(?:[0-9a-f]{2})+$/.test(auth.signature)) return false;
  try {
    // ECDSA over SHA-256(string to sign), the signature DER-encoded in hex.
    return verifyEcdsa('sha256', Buffer.from(stringToSign, 'utf8'), sigV4aKeys.get(auth.accessKeyId, secretAccessKey), Buffer.from(auth.signature, 'hex'));
  } catch {
    return false; // not a DER signature at all
  }
}

const signatureMismatch =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const compact = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
