import { SnsErrors } from '../../generated/errors.js';
import type { Platform } from './push-model.js';

/** SetPlatformApplicationAttributes' attribute names (its API reference). */
const APPLICATION_ATTRIBUTES = new Set([
  'PlatformCredential',
  'PlatformPrincipal',
  'EventEndpointCreated',
  'EventEndpointDeleted',
  'EventEndpointUpdated',
  'EventDeliveryFailure',
  'SuccessFeedbackRoleArn',
  'FailureFeedbackRoleArn',
  'SuccessFeedbackSampleRate',
  'ApplePlatformTeamID',
  'ApplePlatformBundleID',
  'Enabled',
]);

/** The credentials attributes Get… never returns (AWS keeps them write-only). */
export const SECRET_ATTRIBUTES = new Set(['PlatformCredential', 'PlatformPrincipal']);

const bad = (reason: string) => SnsErrors.InvalidParameter(`Invalid parameter: Attributes Reason: ${reason}`);

/**
 * Checks a platform application's attributes. `merged` is what the application would hold: the
 * credentials rules apply to it. CreatePlatformApplication: "For GCM … there is no
 * PlatformPrincipal. The PlatformCredential is API key"; every other platform takes a principal
 * (client id, certificate, signing key ID, API key, package SID) and a credential. A principal
 * given without a credential, or the reverse, is refused in AWS's words.
 */
export function checkApplicationAttributes(
  platform: Platform,
  given: Readonly<Record<string, string>>,
  merged: Readonly<Record<string, string>>,
): void {
  for (const [k, v] of Object.entries(given)) {
    if (!APPLICATION_ATTRIBUTES.has(k)) throw bad(`Invalid attribute name: ${k}`);
    if (k === 'Enabled' && v !== 'true' && v !== 'false') throw bad('Invalid value for attribute: Enabled');
    if (k === 'SuccessFeedbackSampleRate' && !/^(100|[1-9]?\d)$/.test(v))
      throw bad('Invalid value for attribute: SuccessFeedbackSampleRate');
  }
  if (
    given.PlatformCredential !== undefined &&
    given.PlatformPrincipal === undefined &&
    platform !== 'GCM' &&
    merged.PlatformPrincipal === undefined
  )
    throw bad('PlatformCredential attribute provided without PlatformPrincipal');
  if (given.PlatformPrincipal !== undefined && given.PlatformCredential === undefined && merged.PlatformCredential === undefined)
    throw bad('PlatformPrincipal attribute provided without PlatformCredential');
  if (!merged.PlatformCredential) throw bad('PlatformCredential attribute is required');
  if (platform !== 'GCM' && !merged.PlatformPrincipal) throw bad('PlatformPrincipal attribute is required');
}

/** SetEndpointAttributes' three attributes (its API reference), with AWS's texts. */
export function checkEndpointAttributes(attrs: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (k !== 'Token' && k !== 'Enabled' && k !== 'CustomUserData') throw bad(`Invalid attribute name: ${k}`);
    if (k === 'Enabled' && v !== 'true' && v !== 'false') throw bad('Invalid value for attribute: Enabled');
    // "The data must be in UTF-8 format and less than 2KB" (CreatePlatformEndpoint).
    if (k === 'CustomUserData' && Buffer.byteLength(v) > 2048)
      throw bad('Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding');
    if (k === 'Token' && v.length === 0) throw SnsErrors.InvalidParameter('Invalid parameter: Token Reason: cannot be empty');
  }
}
