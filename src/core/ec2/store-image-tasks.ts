import type {
  CreateRestoreImageTaskRequest,
  CreateRestoreImageTaskResult,
  CreateStoreImageTaskRequest,
  CreateStoreImageTaskResult,
  DescribeStoreImageTasksRequest,
  DescribeStoreImageTasksResult,
  StoreImageTaskResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { ImageRecord, StoreImageTaskRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { withNewSnapshots } from './block-devices.js';
import { createImageSnapshots } from './image-snapshots.js';
import { ec2Errors } from './errors.js';
import { checkNameFree, ownImage } from './image-access.js';
import { startImage } from './image-start.js';
import { checkAmiId } from './ids.js';
import { compileFilters } from './simple-filters.js';
import { checkMaxResults, paginate } from './paging.js';
import { checkBucket, checkImageName, checkTag, imageTagsFrom, required, tagsFor } from './validation.js';

/**
 * CreateStoreImageTask stores an available image as `<ami-id>.bin` in a bucket (S3 is not
 * modelled: the task record keeps the image). The task stays `InProgress` for the configured
 * duration, then `Completed` — or `Failed` if a fault rule for CreateStoreImageTask matches.
 */
export async function createStoreImageTask(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: CreateStoreImageTaskRequest,
): Promise<CreateStoreImageTaskResult> {
  const bucket = checkBucket(input.Bucket);
  const image = await ownImage(deps, ctx, input.ImageId);
  const s3ObjectTags = (input.S3ObjectTags ?? []).map((t) => checkTag(t.Key, t.Value));
  if (image.state !== 'available') throw ec2Errors.amiUnavailable(image.imageId, image.state);
  if (input.DryRun) throw ec2Errors.dryRun();

  const fault = await deps.faults.match('CreateStoreImageTask', image.name, image.tags);
  const now = deps.clock.now();
  const task: StoreImageTaskRecord = {
    accountId: ctx.accountId,
    region: ctx.region,
    imageId: image.imageId,
    bucket,
    objectKey: `${image.imageId}.bin`,
    state: 'InProgress',
    startedAt: now,
    dueAt: now + (fault?.delayMs ?? deps.options.storeTaskDurationMs),
    s3ObjectTags,
    image,
    ...(fault && { plannedFailureReason: fault.errorMessage }),
  };
  await deps.store.putStoreTask(task);
  return { ObjectKey: task.objectKey };
}

const taskFilters = {
  'task-state': (t: StoreImageTaskRecord) => [t.state],
  bucket: (t: StoreImageTaskRecord) => [t.bucket],
};

export async function describeStoreImageTasks(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: DescribeStoreImageTasksRequest,
): Promise<DescribeStoreImageTasksResult> {
  const ids = (input.ImageIds ?? []).map(checkAmiId);
  if (ids.length > 0 && input.MaxResults !== undefined) {
    throw ec2Errors.invalidCombination('The parameter ImageIds cannot be used with the parameter MaxResults');
  }
  const maxResults = checkMaxResults(input.MaxResults, 1, 200);
  const matches = compileFilters(input.Filters, taskFilters);
  if (input.DryRun) throw ec2Errors.dryRun();
  const tasks = (await deps.store.listStoreTasks(ctx.accountId, ctx.region)).filter(
    (t) => (ids.length === 0 || ids.includes(t.imageId)) && matches(t),
  );
  const key = (t: StoreImageTaskRecord): string => `${t.imageId}\u0000${t.bucket}\u0000${t.objectKey}`;
  tasks.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const page = paginate(tasks, key, maxResults, input.NextToken);
  return {
    StoreImageTaskResults: page.items.map((t) => toResult(t, deps.clock.now())),
    ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
  };
}

function toResult(t: StoreImageTaskRecord, now: number): StoreImageTaskResult {
  const span = Math.max(1, t.dueAt - t.startedAt);
  const progress =
    t.state === 'InProgress' ? Math.min(99, Math.floor(((now - t.startedAt) / span) * 100)) : t.state === 'Completed' ? 100 : 0;
  return {
    AmiId: t.imageId,
    TaskStartTime: new Date(t.startedAt),
    Bucket: t.bucket,
    S3objectKey: t.objectKey,
    ProgressPercentage: progress,
    StoreTaskState: t.state,
    ...(t.failureReason !== undefined && { StoreTaskFailureReason: t.failureReason }),
  };
}

/**
 * CreateRestoreImageTask: a new image from an object a CreateStoreImageTask produced. The image
 * starts `pending`; if no completed store task produced that bucket/key, it becomes `failed`
 * (StateReason `Client.InvalidObject`), which is how a restore of a foreign object ends here.
 */
export async function createRestoreImageTask(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: CreateRestoreImageTaskRequest,
): Promise<CreateRestoreImageTaskResult> {
  const bucket = checkBucket(input.Bucket);
  const objectKey = required(input.ObjectKey, 'ObjectKey');
  const task = await deps.store.getStoreTask(ctx.region, bucket, objectKey);
  const stored = task && task.accountId === ctx.accountId && task.state === 'Completed' ? task.image : undefined;
  const name = checkImageName(input.Name ?? stored?.name ?? nameFromKey(objectKey));
  const tags = imageTagsFrom(input.TagSpecifications);
  await checkNameFree(deps, ctx, name);
  if (input.DryRun) throw ec2Errors.dryRun();

  const planned =
    (await deps.faults.planFailure('CreateRestoreImageTask', name, tags)) ??
    (stored
      ? undefined
      : { code: 'Client.InvalidObject', message: `The object s3://${bucket}/${objectKey} was not created by CreateStoreImageTask` });
  const image = await startImage(deps, ctx, 'CreateRestoreImageTask', restoredDraft(deps, stored, name), tags, planned);
  await createImageSnapshots(deps, ctx, image, { tags: tagsFor(input.TagSpecifications, 'snapshot') });
  return { ImageId: image.imageId };
}

function restoredDraft(deps: Ec2Deps, stored: ImageRecord | undefined, name: string) {
  return {
    name,
    ...(stored?.description !== undefined && { description: stored.description }),
    imageType: 'machine',
    architecture: stored?.architecture ?? 'x86_64',
    platformDetails: stored?.platformDetails ?? 'Linux/UNIX',
    usageOperation: stored?.usageOperation ?? 'RunInstances',
    rootDeviceType: 'ebs',
    rootDeviceName: stored?.rootDeviceName ?? '/dev/xvda',
    blockDeviceMappings: withNewSnapshots(stored?.blockDeviceMappings ?? [], deps.random),
    virtualizationType: stored?.virtualizationType ?? 'hvm',
    hypervisor: 'xen',
    ...(stored?.enaSupport !== undefined && { enaSupport: stored.enaSupport }),
    ...(stored?.bootMode !== undefined && { bootMode: stored.bootMode }),
    deregistrationProtection: 'disabled',
  };
}

/** `ami-0123.bin` → `ami-0123`, with characters AMI names refuse replaced by `-`. */
function nameFromKey(key: string): string {
  return key
    .replace(/\.bin$/, '')
    .replace(/[^a-zA-Z0-9()[\] ./\-'@_]/g, '-')
    .slice(0, 128);
}
