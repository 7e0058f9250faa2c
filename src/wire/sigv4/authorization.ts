import { AuthFailure } from './auth-failure.js';

/**
 * Where a request carries its SigV4 signature: the `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request,
 *  SignedHeaders=<a;b;c>, Signature=<hex>`), or presigned query parameters (`X-Amz-Algorithm`,
 * `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`).
 * SigV4a (`AWS4-ECDSA-P256-SHA256`, sent by PutEvents with an EndpointId) has a credential scope
 * without a region, and only comes in the header.
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
  readonly location: 'header' | 'query';
  /** X-Amz-Date of a presigned request (a header-signed one has it in the X-Amz-Date header). */
  readonly amzDate?: string;
  /** X-Amz-Expires of a presigned request, seconds. */
  readonly expiresSeconds?: number;
}

type Credential = Pick<SigV4Authorization, 'accessKeyId' | 'date' | 'region' | 'service'>;

function parseCredential(text: string | undefined, sigv4a: boolean): Credential | null {
  const parts = text?.split('/');
  if (!parts || parts.length !== (sigv4a ? 4 : 5) || parts[parts.length - 1] !== 'aws4_request') return null;
  const [accessKeyId, date] = parts as [string, string];
  const region = sigv4a ? '' : parts[2]!;
  const service = parts[parts.length - 2]!;
  // The region and service end up in ARNs and event envelopes: only AWS's alphabet is accepted.
  if (!accessKeyId || !/^\d{8}$/.test(date) || !/^[a-z0-9-]{1,64}$/.test(service) || (!sigv4a && !/^[a-z0-9-]{1,32}$/.test(region)))
    return null;
  return { accessKeyId, date, region, service };
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
  const credential = parseCredential(parts.get('Credential'), algorithm === 'AWS4-ECDSA-P256-SHA256');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!credential || !signedHeaders || !signature) return null;
  return { algorithm, ...credential, signedHeaders: signedHeaders.split(';'), signature, location: 'header' };
}

const PRESIGN_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;
/** A week: the longest a presigned SigV4 request may be valid (the signing key's own lifetime). */
export const MAX_PRESIGN_SECONDS = 604_800;

/** A presigned request's authorization, a failure when its parameters are malformed, null when it has none. */
export function parsePresigned(query: URLSearchParams): SigV4Authorization | AuthFailure | null {
  if (!PRESIGN_PARAMS.some((p) => query.has(p))) return null;
  const [algorithm, credentialText, signature, amzDate, signedHeaders, expires] = PRESIGN_PARAMS.map((p) => query.get(p));
  if (!algorithm || !credentialText || !signature || !amzDate || !signedHeaders || !expires) {
    return new AuthFailure(
      'incomplete',
      `AWS query-string parameters must include ${PRESIGN_PARAMS.map((p) => `'${p}'`).join(', ')}. Re-examine the query-string parameters.`,
    );
  }
  if (algorithm !== 'AWS4-HMAC-SHA256') return new AuthFailure('incomplete', `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256".`);
  if (!/^\d{1,7}$/.test(expires)) return new AuthFailure('incomplete', 'X-Amz-Expires should be a number');
  const expiresSeconds = Number(expires);
  if (expiresSeconds < 1) return new AuthFailure('incomplete', 'X-Amz-Expires must be non-negative');
  if (expiresSeconds > MAX_PRESIGN_SECONDS)
    return new AuthFailure('incomplete', `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGN_SECONDS}`);
  const credential = parseCredential(credentialText, false);
  if (!credential)
    return new AuthFailure(
      'incomplete',
      `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    );
  return { algorithm, ...credential, signedHeaders: signedHeaders.split(';'), signature, location: 'query', amzDate, expiresSeconds };
}

/** The request's authorization, wherever it is; `missing` when it has none. */
export function requestAuthorization(url: string, headers: Readonly<Record<string, string | undefined>>): SigV4Authorization | AuthFailure {
  const q = url.indexOf('?');
  const presigned = q < 0 ? null : parsePresigned(new URLSearchParams(url.slice(q + 1)));
  const header = headers.authorization;
  if (header !== undefined && presigned !== null) {
    return new AuthFailure(
      'incomplete',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified',
    );
  }
  if (presigned) return presigned;
  if (header === undefined || header === '') return new AuthFailure('missing');
  return (
    parseAuthorization(header) ??
    new AuthFailure(
      'incomplete',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}`,
    )
  );
}

/**
 * The service a request's credential scope names, wherever the scope is (header first), for
 * routing — even when the authorization as a whole is refused (both header and query, say), so
 * that the refusal is written in the right protocol.
 */
export function scopeService(url: string, headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const fromHeader = parseAuthorization(headers.authorization)?.service;
  if (fromHeader) return fromHeader;
  const q = url.indexOf('?');
  const presigned = q < 0 ? null : parsePresigned(new URLSearchParams(url.slice(q + 1)));
  return presigned && !(presigned instanceof AuthFailure) ? presigned.service : undefined;
}
