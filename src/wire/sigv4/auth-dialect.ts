import { ServiceError } from '../../core/shared/service-error.js';
import { SIGNATURE_MISMATCH, type AuthFailure, type AuthFailureKind } from './auth-failure.js';

/**
 * How each AWS protocol reports an authentication failure (docs/sigv4.md lists the sources):
 *  - `json` (JSON 1.0/1.1, REST-JSON: EventBridge, SQS JSON, Lambda): the `…Exception` shapes,
 *    a 5-minute clock-skew window ("Signature expired: … (… - 5 min.)").
 *  - `query` (awsQuery: SNS, SQS query): `MissingAuthenticationToken`, `IncompleteSignature`,
 *    `InvalidClientTokenId`, `SignatureDoesNotMatch`, `RequestExpired`; 15 minutes of skew
 *    (AWS's common errors: "more than 15 minutes after the date stamp").
 *  - `ec2`: `AuthFailure` (401, one text for an unknown key and a bad signature: EC2 says no
 *    more), `RequestExpired`, `MissingAuthenticationToken`; 15 minutes of skew.
 */
export type AuthDialect = 'json' | 'query' | 'ec2';

export interface DialectRules {
  /** How far X-Amz-Date may be from the server's clock, either way. */
  readonly skewMs: number;
  /** Code, status and text per failure; no text: the failure's own detail (AWS's words for it). */
  readonly errors: Readonly<Record<AuthFailureKind, readonly [code: string, status: number, text?: string]>>;
}

const MINUTE = 60_000;
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED = 'Request has expired.';
const EC2_AUTH_FAILURE = 'AWS was not able to validate the provided access credentials';

export const dialects: Readonly<Record<AuthDialect, DialectRules>> = {
  json: {
    skewMs: 5 * MINUTE,
    errors: {
      missing: ['MissingAuthenticationTokenException', 403, 'Missing Authentication Token'],
      incomplete: ['IncompleteSignatureException', 400],
      'unknown-key': ['UnrecognizedClientException', 403, INVALID_TOKEN],
      mismatch: ['InvalidSignatureException', 403],
      expired: ['InvalidSignatureException', 403],
      'not-yet-current': ['InvalidSignatureException', 403],
      'presign-expired': ['InvalidSignatureException', 403, EXPIRED],
    },
  },
  query: {
    skewMs: 15 * MINUTE,
    errors: {
      missing: ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
      incomplete: ['IncompleteSignature', 400],
      'unknown-key': ['InvalidClientTokenId', 403, INVALID_TOKEN],
      mismatch: ['SignatureDoesNotMatch', 403],
      expired: ['SignatureDoesNotMatch', 403],
      'not-yet-current': ['SignatureDoesNotMatch', 403],
      'presign-expired': ['RequestExpired', 400, EXPIRED],
    },
  },
  ec2: {
    skewMs: 15 * MINUTE,
    errors: {
      missing: [
        'MissingAuthenticationToken',
        401,
        'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
      ],
      incomplete: ['IncompleteSignature', 400],
      'unknown-key': ['AuthFailure', 401, EC2_AUTH_FAILURE],
      mismatch: ['AuthFailure', 401, EC2_AUTH_FAILURE],
      expired: ['RequestExpired', 400, EXPIRED],
      'not-yet-current': ['RequestExpired', 400, EXPIRED],
      'presign-expired': ['RequestExpired', 400, EXPIRED],
    },
  },
};

export function renderAuthFailure(dialect: AuthDialect, failure: AuthFailure): ServiceError {
  const [code, status, text] = dialects[dialect].errors[failure.kind];
  return new ServiceError(code, text ?? (failure.detail || SIGNATURE_MISMATCH), status);
}
