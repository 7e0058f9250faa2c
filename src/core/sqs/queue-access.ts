import { authorize } from '../shared/resource-access.js';
import type { RequestContext } from '../shared/request-context.js';
import { policyStatements } from '../shared/resource-policy.js';
import { SqsErrors } from '../generated/errors.js';
import type { QueueEntry } from './sqs-state.js';

export const queueNotFound = () => SqsErrors.QueueDoesNotExist('The specified queue does not exist.');

/**
 * Every SQS operation that names a queue passes here (resource-access.ts does the deciding): the
 * owner may do anything; another account what the queue's `Policy` attribute grants it, else
 * AWS's answer to a queue it may not use: `AccessDenied` (403), "Access to the resource <queue
 * URL> is denied." (awsQuery and JSON alike; the JSON protocol carries it as the
 * x-amzn-query-error code too). A queue of another Region does not exist for the caller.
 */
export function authorizeQueue(ctx: RequestContext, q: QueueEntry, operation: string, url: (arn: string) => string): QueueEntry {
  authorize(
    ctx,
    q.doc,
    { action: `sqs:${operation}`, policy: policyStatements(q.doc.attributes.Policy) },
    { notFound: queueNotFound, denied: () => SqsErrors.AccessDenied(`Access to the resource ${url(q.doc.arn)} is denied.`) },
  );
  return q;
}
