import type { Clock } from '../../core/shared/clock.js';
import { ServiceError } from '../../core/shared/service-error.js';
import { parseAuthorization, type SigV4Authorization } from './authorization.js';
import { accountForKey, type CredentialsLookup } from './credentials.js';
import { verifySigV4, type SignedRequest } from './verify.js';

export interface AuthOptions {
  /** null: accept any well-formed SigV4 (local development). */
  readonly credentials: CredentialsLookup | null;
  readonly defaultAccount: string;
  readonly defaultRegion: string;
  readonly clock: Clock;
}

export interface Caller {
  readonly accountId: string;
  readonly region: string;
  readonly auth: SigV4Authorization;
}

/**
 * Who is calling: the account from the access key (a configured key's account; without
 * credentials a 12-digit key is that account, else the default), the region from the credential
 * scope (SigV4a: the single region of X-Amz-Region-Set, else the default region).
 * Errors are AWS's: no Authorization → MissingAuthenticationTokenException; malformed →
 * IncompleteSignatureException; unknown key → UnrecognizedClientException; bad signature →
 * InvalidSignatureException.
 */
export async function authenticate(request: SignedRequest, options: AuthOptions): Promise<Caller | ServiceError> {
  const header = request.headers.authorization;
  if (!header) return new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  const auth = parseAuthorization(header);
  if (!auth) {
    return new ServiceError(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}`,
    );
  }
  const regionSet = request.headers['x-amz-region-set'];
  const region = auth.region || (regionSet && regionSet !== '*' && !regionSet.includes(',') ? regionSet : options.defaultRegion);
  if (!options.credentials) return { accountId: accountForKey(auth.accessKeyId, options.defaultAccount), region, auth };
  const credential = options.credentials.get(auth.accessKeyId);
  if (!credential) return new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
  const failure = await verifySigV4(request, auth, credential.secretAccessKey, options.clock.now());
  return failure ?? { accountId: credential.accountId, region, auth };
}
