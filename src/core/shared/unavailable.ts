import { DiskFullError, isDiskFull } from '../../storage/store-errors.js';
import { CommonErrors, type ErrorOf } from '../generated/errors.js';
import type { ServiceError } from './service-error.js';

/**
 * A storage failure that is the machine's state, not a bug: the disk is full. The request is
 * answered as AWS answers a temporary failure — `ServiceUnavailable`, HTTP 503 ("the request has
 * failed due to a temporary failure of the server", AWS's common errors; EC2 spells it
 * `Unavailable`) — which every AWS SDK retries with backoff, rather than as an internal error.
 * Nothing of the request was stored (each write is one transaction), so the retry is safe.
 * Returns null for anything else.
 */
export function unavailable(err: unknown, make: ErrorOf = CommonErrors.ServiceUnavailable): ServiceError | null {
  if (!(err instanceof DiskFullError) && !isDiskFull(err)) return null;
  return make("Service unavailable: amiwatch's disk is full, nothing of this request was stored. Try again once space is freed.");
}
