import type { DescribeImagesRequest, DescribeImagesResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { ImageRecord } from '../../storage/ports/ec2-store.js';
import { canSee } from './image-access.js';
import { compileImageFilters } from './image-filters.js';
import { toSdkImage } from './image-view.js';
import { checkAmiId } from './ids.js';
import { ec2Errors } from './errors.js';
import { checkMaxResults, paginate } from './paging.js';
import type { Ec2Deps } from './ec2-context.js';

/**
 * DescribeImages. Scope: the ImageIds asked for (each must exist and be visible, else
 * InvalidAMIID.NotFound naming the missing ones), else every image the caller can see, narrowed by
 * Owners (account ids, `self`; aliases such as `amazon` own nothing here), ExecutableUsers
 * (`all` = public, `self`/an account id = an explicit launch permission for it) and Filters. Disabled images appear
 * only with IncludeDisabled (or when asked for by id); deregistered ones for a short while after
 * DeregisterImage (AWS: "Recently deregistered images appear in the returned results for a short
 * interval").
 */
export async function describeImages(deps: Ec2Deps, ctx: RequestContext, input: DescribeImagesRequest): Promise<DescribeImagesResult> {
  const ids = input.ImageIds ?? [];
  ids.forEach(checkAmiId);
  if (ids.length > 0 && (input.MaxResults !== undefined || input.NextToken !== undefined)) {
    throw ec2Errors.invalidCombination('The parameter imageIdsSet cannot be used with the parameter maxResults');
  }
  const maxResults = checkMaxResults(input.MaxResults, 5, 1000);
  const matches = compileImageFilters(input.Filters);
  const inScope = scope(ctx, input);
  if (input.DryRun) throw ec2Errors.dryRun();

  const all = (await deps.store.listImages(ctx.region)).filter((i) => canSee(i, ctx.accountId));
  if (ids.length > 0) {
    const byId = new Map(all.map((i) => [i.imageId, i]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) throw ec2Errors.amiNotFound(missing);
    const chosen = [...new Set(ids)].map((id) => byId.get(id)!).filter((i) => inScope(i) && matches(i));
    return { Images: chosen.map(toSdkImage) };
  }
  const listed = all.filter((i) => (input.IncludeDisabled || i.state !== 'disabled') && inScope(i) && matches(i));
  const page = paginate(listed, (i) => i.imageId, maxResults, input.NextToken);
  return { Images: page.items.map(toSdkImage), ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
}

function scope(ctx: RequestContext, input: DescribeImagesRequest): (i: ImageRecord) => boolean {
  const owners = (input.Owners ?? []).map((o) => (o === 'self' ? ctx.accountId : o));
  const users = (input.ExecutableUsers ?? []).map((u) => (u === 'self' ? ctx.accountId : u));
  return (i) => {
    // `amazon` (and `aws-marketplace`) name an alias, not an account.
    if (owners.length > 0 && !owners.includes(i.accountId) && !(i.ownerAlias !== undefined && owners.includes(i.ownerAlias))) return false;
    if (users.length === 0) return true;
    return users.some((u) =>
      u === 'all' ? i.launchPermissions.some((p) => p.group === 'all') : i.launchPermissions.some((p) => p.userId === u),
    );
  };
}
