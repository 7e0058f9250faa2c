import { ServiceError } from '../../core/shared/service-error.js';
import { AuthFailure, SIGNATURE_MISMATCH } from './auth-failure.js';

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
  readonly render: (failure: AuthFailure) => ServiceError;
}

const MINUTE = 60_000;

const json: DialectRules = {
  skewMs: 5 * MINUTE,
  render: (f) => {
    switch (f.kind) {
      case 'missing': return new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      case 'incomplete': return new ServiceError('IncompleteSignatureException', f.detail, 400);
      case 'unknown-key': return new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
      case 'presign-expired': return new ServiceError('InvalidSignatureException', 'Request has expired.', 403);
      default: return new ServiceError('InvalidSignatureException', f.detail || SIGNATURE_MISMATCH, 403);
    }
  },
};

const query: DialectRules = {
  skewMs: 15 * MINUTE,
  render: (f) => {
    switch (f.kind) {
      case 'missing': return new ServiceError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      case 'incomplete': return new ServiceError('IncompleteSignature', f.detail, 400);
      case 'unknown-key': return new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
      case 'presign-expired': return new ServiceError('RequestExpired', 'Request has expired.', 400);
      default: return new ServiceError('SignatureDoesNotMatch', f.detail || SIGNATURE_MISMATCH, 403);
    }
  },
};

const ec2: DialectRules = {
  skewMs: 15 * MINUTE,
  render: (f) => {
    switch (f.kind) {
      case 'missing': return new ServiceError('MissingAuthenticationToken', 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.', 401);
      case 'incomplete': return new ServiceError('IncompleteSignature', f.detail, 400);
      case 'expired': case 'not-yet-current': case 'presign-expired': return new ServiceError('RequestExpired', 'Request has expired.', 400);
      default: return new ServiceError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
    }
  },
};

export const dialects: Readonly<Record<AuthDialect, DialectRules>> = { json, query, ec2 };

export const renderAuthFailure = (dialect: AuthDialect, failure: AuthFailure): ServiceError => dialects[dialect].render(failure);
