/**
 * Why a request's SigV4 authentication failed, independent of the protocol that reports it.
 * Each protocol writes these with its own codes, statuses and texts (auth-dialect.ts): the same
 * unknown key is `UnrecognizedClientException` to a JSON client, `InvalidClientTokenId` to an
 * awsQuery client and `AuthFailure` to an EC2 client, as AWS answers.
 */
export type AuthFailureKind =
  /** No Authorization header and no presigned query parameters. */
  | 'missing'
  /** Authorization present but malformed, or a required part (date, expiry) missing. */
  | 'incomplete'
  /** The access key is not one the server knows. */
  | 'unknown-key'
  /** The signature, or what it must cover (host, scope, payload hash), does not check out. */
  | 'mismatch'
  /** X-Amz-Date is older than the protocol's clock-skew window. */
  | 'expired'
  /** X-Amz-Date is further in the future than the window. */
  | 'not-yet-current'
  /** A presigned request past X-Amz-Date + X-Amz-Expires. */
  | 'presign-expired';

export class AuthFailure {
  constructor(
    readonly kind: AuthFailureKind,
    /** AWS's own wording where the protocol shows it (JSON and awsQuery do; EC2 hides it). */
    readonly detail = '',
  ) {}
}

export const isAuthFailure = (v: unknown): v is AuthFailure => v instanceof AuthFailure;

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** `20261124T233401Z` from ms. */
export const amzDateOf = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
