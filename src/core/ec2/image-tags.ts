import type { CreateTagsRequest, DeleteTagsRequest, DescribeTagsRequest, DescribeTagsResult, TagDescription } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { ImageRecord, InstanceRecord, SnapshotRecord, TagRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { ownImage } from './image-access.js';
import { ownInstance } from './instance-access.js';
import { checkMaxResults, paginate } from './paging.js';
import { ownSnapshot } from './snapshots.js';
import { compileFilters } from './simple-filters.js';
import { checkTag, mergeTags, required } from './validation.js';

/**
 * CreateTags / DeleteTags / DescribeTags for images, instances and snapshots. Every resource is
 * checked before any is changed, so a bad id changes nothing.
 */
type Taggable =
  | { kind: 'image'; record: ImageRecord }
  | { kind: 'instance'; record: InstanceRecord }
  | { kind: 'snapshot'; record: SnapshotRecord };

async function resourcesFor(deps: Ec2Deps, ctx: RequestContext, resources: readonly string[] | undefined): Promise<Taggable[]> {
  const ids = resources ?? [];
  if (ids.length === 0) throw ec2Errors.missingParameter('ResourceId');
  const found: Taggable[] = [];
  for (const id of ids) {
    if (id.startsWith('ami-')) found.push({ kind: 'image', record: await ownImage(deps, ctx, id, 'ResourceId') });
    else if (id.startsWith('i-')) found.push({ kind: 'instance', record: await ownInstance(deps, ctx, id) });
    else if (id.startsWith('snap-'))
      found.push({ kind: 'snapshot', record: await ownSnapshot(deps, ctx.accountId, ctx.region, id, 'ResourceId') });
    else throw ec2Errors.invalidId(id);
  }
  return found;
}

async function saveTags(deps: Ec2Deps, resource: Taggable, tags: TagRecord[]): Promise<void> {
  if (resource.kind === 'image') await deps.store.putImage({ ...resource.record, tags });
  else if (resource.kind === 'instance') await deps.store.putInstancesWithEvents([{ ...resource.record, tags }], []);
  else await deps.store.putSnapshotsWithEvents([{ ...resource.record, tags }], []);
}

export async function createTags(deps: Ec2Deps, ctx: RequestContext, input: CreateTagsRequest): Promise<void> {
  const tags = (input.Tags ?? []).map((t) => checkTag(t.Key, t.Value));
  if (tags.length === 0) throw ec2Errors.missingParameter('Tag');
  const resources = await resourcesFor(deps, ctx, input.Resources);
  const updated = resources.map((r) => ({ resource: r, tags: mergeTags(r.record.tags, tags) }));
  if (input.DryRun) throw ec2Errors.dryRun();
  for (const u of updated) await saveTags(deps, u.resource, u.tags);
}

/** A tag given with a Value is deleted only if the value matches; without one, whatever its value. */
export async function deleteTags(deps: Ec2Deps, ctx: RequestContext, input: DeleteTagsRequest): Promise<void> {
  const resources = await resourcesFor(deps, ctx, input.Resources);
  const wanted = (input.Tags ?? []).map((t) => ({ key: required(t.Key, 'Tag.Key'), value: t.Value }));
  if (input.DryRun) throw ec2Errors.dryRun();
  for (const r of resources) {
    const tags =
      wanted.length === 0
        ? []
        : r.record.tags.filter((t) => !wanted.some((w) => w.key === t.key && (w.value === undefined || w.value === t.value)));
    await saveTags(deps, r, tags);
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
  const images = (await deps.store.listImages(ctx.region))
    .filter((i) => i.accountId === ctx.accountId)
    .flatMap((i) => i.tags.map((t): TagDescription => ({ ResourceId: i.imageId, ResourceType: 'image', Key: t.key, Value: t.value })));
  const instances = (await deps.store.listInstances(ctx.region))
    .filter((i) => i.accountId === ctx.accountId)
    .flatMap((i) =>
      i.tags.map((t): TagDescription => ({ ResourceId: i.instanceId, ResourceType: 'instance', Key: t.key, Value: t.value })),
    );
  const snapshots = (await deps.store.listSnapshots(ctx.region))
    .filter((s) => s.accountId === ctx.accountId)
    .flatMap((s) =>
      s.tags.map((t): TagDescription => ({ ResourceId: s.snapshotId, ResourceType: 'snapshot', Key: t.key, Value: t.value })),
    );
  const all = [...images, ...instances, ...snapshots]
    .filter(matches)
    .sort((a, b) => (tagKey(a) < tagKey(b) ? -1 : tagKey(a) > tagKey(b) ? 1 : 0));
  const page = paginate(all, tagKey, maxResults, input.NextToken);
  return { Tags: page.items, ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
}

const tagKey = (d: TagDescription): string => `${d.ResourceId}\u0000${d.Key}`;
