import type { Clock } from '../../core/shared/clock.js';
import { AuthFailure } from './auth-failure.js';
import { dialects, type AuthDialect } from './auth-dialect.js';
import { requestAuthorization, type SigV4Authorization } from './authorization.js';
import { accountForKey, type CredentialsLookup } from './credentials.js';
import { checkSigningTime, verifySigV4, type SignedRequest } from './verify.js';

export interface AuthOptions {
  /** null: accept any well-formed SigV4 (local development). */
  readonly credentials: CredentialsLookup | null;
  readonly defaultAccount: string;
  readonly defaultRegion: string;
  readonly clock: Clock;
}

/** What the route a request goes to expects of its signature. */
export interface AuthExpectation {
  /** The service the credential scope must name (the route's signing name); null: any (control API). */
  readonly service: string | null;
  /** Whose rules (clock skew) apply and whose errors are rendered (auth-dialect.ts). */
  readonly dialect: AuthDialect;
}

export interface Caller {
  readonly accountId: string;
  readonly region: string;
  readonly auth: SigV4Authorization;
}

/** A caller identified from the request head; the signature still to be checked over the body. */
export interface Identified {
  readonly caller: Caller;
  /** The key's secret; null when signatures are not verified (no credentials configured). */
  readonly secret: string | null;
}

/** AWS's region names (`us-east-1`, `ap-southeast-3`, `us-gov-west-1`, `eu-isoe-west-1`). */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** A regional AWS host name (`sqs.eu-west-1.amazonaws.com`, behind a DNS override or a proxy) names its region. */
const REGIONAL_HOST = /^[a-z0-9-]+\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?(?::\d+)?$/;

/** amiwatch serves every region on one endpoint, unless the Host is one region's AWS endpoint. */
function regionServed(host: string | undefined, region: string): boolean {
  const named = host ? REGIONAL_HOST.exec(host.toLowerCase())?.[1] : undefined;
  return named === undefined || named === region;
}

/**
 * Everything about a request's authentication that needs no body — so that an unknown key, a
 * scope for another service or a stale date is refused before a byte of the body is read:
 * the authorization is there and well formed (header or presigned query), its scope names the
 * route's service and a real region (the Host's, when the Host is a regional AWS endpoint), the key is known, the signing time is within the
 * dialect's window. The account is the key's (without credentials a 12-digit key is that
 * account, else the default); the region the scope's (SigV4a: the single region of
 * X-Amz-Region-Set, else the default).
 */
export function identify(
  head: Pick<SignedRequest, 'url' | 'headers'>,
  options: AuthOptions,
  expect: AuthExpectation,
): Identified | AuthFailure {
  const auth = requestAuthorization(head.url, head.headers);
  if (auth instanceof AuthFailure) return auth;
  if (expect.service !== null && auth.service !== expect.service) {
    return new AuthFailure('mismatch', `Credential should be scoped to correct service: '${expect.service}'. `);
  }
  if (auth.algorithm === 'AWS4-HMAC-SHA256' && (!REGION.test(auth.region) || !regionServed(head.headers.host, auth.region))) {
    return new AuthFailure('mismatch', `Credential should be scoped to a valid region, not '${auth.region}'. `);
  }
  const regionSet = head.headers['x-amz-region-set'];
  const region = auth.region || (regionSet && REGION.test(regionSet) ? regionSet : options.defaultRegion);
  if (!options.credentials)
    return { caller: { accountId: accountForKey(auth.accessKeyId, options.defaultAccount), region, auth }, secret: null };
  const credential = options.credentials.get(auth.accessKeyId);
  if (!credential) return new AuthFailure('unknown-key');
  const late = checkSigningTime(auth, head.headers, options.clock.now(), dialects[expect.dialect].skewMs);
  return late ?? { caller: { accountId: credential.accountId, region, auth }, secret: credential.secretAccessKey };
}

/** The signature over the whole request, once the body is read; null when it holds (or is not checked). */
export async function verifyIdentified(request: SignedRequest, identified: Identified): Promise<AuthFailure | null> {
  return identified.secret === null ? null : verifySigV4(request, identified.caller.auth, identified.secret);
}

/** Both steps, for a request whose body is already at hand. */
export async function authenticate(request: SignedRequest, options: AuthOptions, expect: AuthExpectation): Promise<Caller | AuthFailure> {
  const identified = identify(request, options, expect);
  if (identified instanceof AuthFailure) return identified;
  return (await verifyIdentified(request, identified)) ?? identified.caller;
}
