import type { FunctionRecord } from '../../storage/ports/lambda-store.js';
import { authorize } from '../shared/resource-access.js';
import type { RequestContext } from '../shared/request-context.js';
import { LambdaErrors } from '../generated/errors.js';
import { notFound } from './errors.js';

/**
 * Every Lambda operation that names a function passes here (resource-access.ts decides): the
 * owner may do anything; another account what the function's policy (AddPermission) grants it,
 * else Lambda's `AccessDeniedException` (403): "User: <principal> is not authorized to perform:
 * lambda:<Action> on resource: <function ARN> because no resource-based policy allows the
 * lambda:<Action> action". A function of another Region is not found there.
 */
export function authorizeFunction(
  ctx: Pick<RequestContext, 'accountId' | 'region'>,
  r: FunctionRecord,
  action: string,
  qualifier?: string,
): FunctionRecord {
  // A qualified ARN (version or alias) is its own resource: Lambda checks the statements added
  // with that Qualifier (AddPermission's "Qualifier"), and names the qualified ARN when it refuses.
  const qualified = qualifier !== undefined && qualifier !== '$LATEST';
  const arn = qualified ? `${r.arn}:${qualifier}` : r.arn;
  authorize(
    ctx,
    { arn, account: r.accountId, region: r.region },
    { action: `lambda:${action}`, policy: qualified ? (r.qualifierPolicies?.[qualifier] ?? []) : r.policy },
    {
      notFound: () => notFound(arn),
      denied: (principal, a) =>
        LambdaErrors.AccessDeniedException(
          `User: ${principal} is not authorized to perform: ${a} on resource: ${arn} because no resource-based policy allows the ${a} action`,
        ),
    },
  );
  return r;
}
