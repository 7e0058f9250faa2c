import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { ServiceError } from '../../core/shared/service-error.js';
import type { SigV4Authorization } from './authorization.js';

/**
 * Verifies a SigV4 signature for real: recomputes it with the AWS SDK's own signer
 * (@smithy/signature-v4) over exactly the headers the client listed in SignedHeaders, the raw
 * body's SHA-256 and the client's X-Amz-Date, then compares. Failures are AWS's errors:
 *  - a body whose hash differs from a signed x-amz-content-sha256 → InvalidSignatureException
 *    ("The provided 'x-amz-content-sha256' header does not match what was computed.")
 *  - a wrong signature → InvalidSignatureException (AWS's text below)
 *  - X-Amz-Date more than 5 minutes away from now → InvalidSignatureException "Signature expired"
 *    (AWS's text for requests too old; amiwatch uses it for both directions).
 */
export const MAX_SKEW_MS = 5 * 60 * 1000;

export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {}
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
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
  if (auth.algorithm !== 'AWS4-HMAC-SHA256') {
    return new ServiceError('IncompleteSignatureException', 'SigV4a (AWS4-ECDSA-P256-SHA256) signatures cannot be verified by amiwatch; sign with SigV4 (omit EndpointId).');
  }
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
  const [path, query = ''] = request.url.split('?', 2) as [string, string?];
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
      path: decodeURIComponent(path),
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
