import { formatArn, parseArn } from '../shared/arn.js';
import type { RequestContext } from '../shared/request-context.js';
import { SqsErrors } from '../generated/errors.js';

/** Queue names: 1–80 of `[A-Za-z0-9_-]`, `.fifo` suffix for FIFO (CreateQueue API reference). */
export function checkQueueName(name: string | undefined): string {
  if (!name) throw SqsErrors.MissingParameter('The request must contain the parameter QueueName.');
  if (!/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name) || name.length > 80) {
    throw SqsErrors.InvalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
  return name;
}

export const queueArn = (ctx: Pick<RequestContext, 'region' | 'accountId'>, name: string): string =>
  formatArn({ service: 'sqs', region: ctx.region, account: ctx.accountId, resource: name });

/**
 * The queue a QueueUrl names. The URL's last two path segments are account and name (AWS's form
 * `https://sqs.<region>.amazonaws.com/<account>/<name>`, and amiwatch's own `http://host/<account>/<name>`);
 * the host is not checked, so URLs from before a port change keep working.
 */
export function arnFromUrl(url: string | undefined, ctx: Pick<RequestContext, 'region' | 'accountId'>): string {
  if (!url) throw SqsErrors.MissingParameter('The request must contain the parameter QueueUrl.');
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not absolute: treated as a path.
  }
  const parts = path.split('/').filter((p) => p.length > 0);
  const name = parts[parts.length - 1];
  const account = parts[parts.length - 2] ?? ctx.accountId;
  if (!name || !/^\d{12}$/.test(account)) throw SqsErrors.QueueDoesNotExist('The specified queue does not exist.');
  return formatArn({ service: 'sqs', region: ctx.region, account, resource: name });
}

export function nameFromArn(arn: string): { account: string; region: string; name: string } | null {
  const a = parseArn(arn);
  if (!a || a.service !== 'sqs') return null;
  return { account: a.account, region: a.region, name: a.resource };
}
