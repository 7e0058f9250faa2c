import type {
  CreateTagsRequest,
  DeleteTagsRequest,
  DescribeTagsRequest,
  DescribeTagsResult,
  TagDescription,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { ImageRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { ownImage } from './image-access.js';
import { checkMaxResults, paginate } from './paging.js';
import { compileFilters } from './simple-filters.js';
import { checkTag, mergeTags, required } from './validation.js';

/**
 * CreateTags / DeleteTags / DescribeTags for images (the only taggable resource modelled here).
 * Every resource is checked before any is changed, so a bad id changes nothing.
 */
async function imagesFor(deps: Ec2Deps, ctx: RequestContext, resources: readonly string[] | undefined): Promise<ImageRecord[]> {
  const ids = resources ?? [];
  if (ids.length === 0) throw ec2Errors.missingParameter('ResourceId');
  const images: ImageRecord[] = [];
  for (const id of ids) {
    if (!id.startsWith('ami-')) throw ec2Errors.invalidId(id);
    images.push(await ownImage(deps, ctx, id, 'ResourceId'));
  }
  return images;
}

export async function createTags(deps: Ec2Deps, ctx: RequestContext, input: CreateTagsRequest): Promise<void> {
  const tags = (input.Tags ?? []).map((t) => checkTag(t.Key, t.Value));
  if (tags.length === 0) throw ec2Errors.missingParameter('Tag');
  const images = await imagesFor(deps, ctx, input.Resources);
  const updated = images.map((i) => ({ ...i, tags: mergeTags(i.tags, tags) }));
  if (input.DryRun) throw ec2Errors.dryRun();
  for (const image of updated) await deps.store.putImage(image);
}

/** A tag given with a Value is deleted only if the value matches; without one, whatever its value. */
export async function deleteTags(deps: Ec2Deps, ctx: RequestContext, input: DeleteTagsRequest): Promise<void> {
  const images = await imagesFor(deps, ctx, input.Resources);
  const wanted = (input.Tags ?? []).map((t) => ({ key: required(t.Key, 'Tag.Key'), value: t.Value }));
  if (input.DryRun) throw ec2Errors.dryRun();
  for (const image of images) {
    const tags =
      wanted.length === 0
        ? []
        : image.tags.filter((t) => !wanted.some((w) => w.key === t.key && (w.value === undefined || w.value === t.value)));
    await deps.store.putImage({ ...image, tags });
  }
}

const tagFilters = {
  key: (d: TagDescription) => [d.Key],
  value: (d: TagDescription) => [d.Value],
  'resource-id': (d: TagDescription) => [d.ResourceId],
  'resource-type': (d: TagDescription) => [d.ResourceType],
};

export async function describeTags(deps: Ec2Deps, ctx: RequestContext, input: DescribeTagsRequest): Promise<DescribeTagsResult> {
  const maxResults = checkMaxResults(input.MaxResults, 5, 1000);
  const matches = compileFilters(input.Filters, tagFilters, (name) =>
    name.startsWith('tag:') ? (d: TagDescription) => (d.Key === name.slice(4) ? [d.Value] : []) : undefined,
  );
  if (input.DryRun) throw ec2Errors.dryRun();
  const all = (await deps.store.listImages(ctx.region))
    .filter((i) => i.accountId === ctx.accountId)
    .flatMap((i) => i.tags.map((t): TagDescription => ({ ResourceId: i.imageId, ResourceType: 'image', Key: t.key, Value: t.value })))
    .filter(matches)
    .sort((a, b) => (tagKey(a) < tagKey(b) ? -1 : tagKey(a) > tagKey(b) ? 1 : 0));
  const page = paginate(all, tagKey, maxResults, input.NextToken);
  return { Tags: page.items, ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
}

const tagKey = (d: TagDescription): string => `${d.ResourceId}\u0000${d.Key}`;
