import type { RequestContext } from '../shared/request-context.js';
import type { InstanceRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { checkInstanceId } from './ids.js';

/**
 * The caller's instances with these ids, in the order asked. Every id is checked before any is
 * used: a malformed one is InvalidInstanceID.Malformed, and all that do not exist in the caller's
 * account and region are named together in one InvalidInstanceID.NotFound, as AWS answers.
 */
export async function ownInstances(
  deps: Pick<Ec2Deps, 'store'>,
  ctx: RequestContext,
  ids: readonly string[] | undefined,
): Promise<InstanceRecord[]> {
  if (!ids || ids.length === 0) throw ec2Errors.missingParameter('InstanceId');
  for (const id of ids) checkInstanceId(id);
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => deps.store.getInstance(ctx.region, id)));
  const missing = unique.filter((_, n) => !found[n] || found[n]!.accountId !== ctx.accountId);
  if (missing.length > 0) throw ec2Errors.instanceNotFound(missing);
  return found as InstanceRecord[];
}

export async function ownInstance(deps: Pick<Ec2Deps, 'store'>, ctx: RequestContext, id: string | undefined): Promise<InstanceRecord> {
  return (await ownInstances(deps, ctx, id === undefined ? undefined : [id]))[0]!;
}
