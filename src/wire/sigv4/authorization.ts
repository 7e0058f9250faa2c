/**
 * The `Authorization` header of a SigV4 request:
 * `AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request,
 *  SignedHeaders=<a;b;c>, Signature=<hex>`. SigV4a (`AWS4-ECDSA-P256-SHA256`, sent by PutEvents
 * with an EndpointId) has a credential scope without a region.
 */
export interface SigV4Authorization {
  readonly algorithm: 'AWS4-HMAC-SHA256' | 'AWS4-ECDSA-P256-SHA256';
  readonly accessKeyId: string;
  readonly date: string;
  /** Empty for SigV4a (its scope has no region; `X-Amz-Region-Set` names them). */
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export function parseAuthorization(header: string | undefined): SigV4Authorization | null {
  if (!header) return null;
  const m = /^(AWS4-HMAC-SHA256|AWS4-ECDSA-P256-SHA256)\s+(.*)$/.exec(header.trim());
  if (!m) return null;
  const algorithm = m[1] as SigV4Authorization['algorithm'];
  const parts = new Map<string, string>();
  for (const piece of m[2]!.split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = parts.get('Credential')?.split('/');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!credential || !signedHeaders || !signature) return null;
  const sigv4a = algorithm === 'AWS4-ECDSA-P256-SHA256';
  if (credential.length !== (sigv4a ? 4 : 5) || credential[credential.length - 1] !== 'aws4_request') return null;
  const [accessKeyId, date] = credential as [string, string];
  const region = sigv4a ? '' : credential[2]!;
  const service = credential[credential.length - 2]!;
  // The region and service end up in ARNs and event envelopes: only AWS's alphabet is accepted.
  if (!accessKeyId || !/^\d{8}$/.test(date) || !/^[a-z0-9-]{1,64}$/.test(service) || (!sigv4a && !/^[a-z0-9-]{1,32}$/.test(region))) return null;
  return { algorithm, accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}
