import type * as EC2 from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { SnapshotRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { checkSnapshotId } from './ids.js';
import { checkMaxResults, paginate } from './paging.js';
import { compileFilters } from './simple-filters.js';

/**
 * A pending snapshot's progress grows with time, as AWS's does (`0%` … `99%`); `100%` once
 * completed. AWS writes an errored snapshot's progress as it stood; here it is `0%`.
 */
function progress(s: SnapshotRecord, now: number): string {
  if (s.state === 'completed') return '100%';
  if (s.state !== 'pending' || !s.transition) return '0%';
  const start = Date.parse(s.startTime);
  const span = s.transition.dueAt - start;
  return `${span <= 0 ? 99 : Math.min(99, Math.max(0, Math.floor(((now - start) / span) * 100)))}%`;
}

export function toSnapshot(s: SnapshotRecord, now: number): EC2.Snapshot {
  return {
    SnapshotId: s.snapshotId,
    VolumeId: s.volumeId,
    State: s.state,
    ...(s.stateMessage !== undefined && { StateMessage: s.stateMessage }),
    StartTime: new Date(s.startTime),
    Progress: progress(s, now),
    OwnerId: s.accountId,
    Description: s.description,
    VolumeSize: s.volumeSize,
    Encrypted: s.encrypted,
    ...(s.kmsKeyId !== undefined && { KmsKeyId: s.kmsKeyId }),
    StorageTier: 'standard',
    ...(s.completionTime !== undefined && { CompletionTime: new Date(s.completionTime) }),
    ...(s.tags.length > 0 && { Tags: s.tags.map((t) => ({ Key: t.key, Value: t.value })) }),
  };
}

type Row = { s: SnapshotRecord; progress: string };

const snapshotFilters: Record<string, (r: Row) => readonly (string | undefined)[]> = {
  description: (r) => [r.s.description],
  encrypted: (r) => [String(r.s.encrypted)],
  'owner-alias': () => [],
  'owner-id': (r) => [r.s.accountId],
  progress: (r) => [r.progress],
  'snapshot-id': (r) => [r.s.snapshotId],
  'start-time': (r) => [r.s.startTime],
  status: (r) => [r.s.state],
  'storage-tier': () => ['standard'],
  'volume-id': (r) => [r.s.volumeId],
  'volume-size': (r) => [String(r.s.volumeSize)],
  'tag-key': (r) => r.s.tags.map((t) => t.key),
};

const tagFilter = (name: string) =>
  name.startsWith('tag:') ? (r: Row) => r.s.tags.filter((t) => t.key === name.slice(4)).map((t) => t.value) : undefined;

/**
 * Which snapshots an owner value selects: `self` and the caller's account id select the caller's
 * own; `amazon`, `aws-marketplace` and other accounts select nothing (snapshots are not shared
 * or public here). Restorable-by `self`, `all` or the caller's id: the caller's own.
 */
function ownerSelects(values: readonly string[] | undefined, accountId: string, extra: readonly string[]): boolean {
  if (!values || values.length === 0) return true;
  return values.some((v) => v === 'self' || v === accountId || extra.includes(v));
}

/**
 * DescribeSnapshots: the caller's snapshots in the region. `SnapshotId.N` (each must exist:
 * InvalidSnapshot.NotFound), `Owner.N`, `RestorableBy.N`, filters (values OR-ed, filters AND-ed,
 * wildcards), `MaxResults` (at least 5; above 1000 means 1000, as the API reference says) /
 * `NextToken`, not with `SnapshotId.N`.
 */
export async function describeSnapshots(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DescribeSnapshotsRequest,
): Promise<EC2.DescribeSnapshotsResult> {
  const ids = input.SnapshotIds ?? [];
  for (const id of ids) checkSnapshotId(id);
  if (ids.length > 0 && (input.MaxResults !== undefined || input.NextToken !== undefined)) {
    throw ec2Errors.invalidCombination('The parameter snapshotSet cannot be used with the parameter maxResults');
  }
  const asked = input.MaxResults === undefined ? undefined : Math.min(input.MaxResults, 1000);
  const maxResults = checkMaxResults(asked, 5, 1000);
  const matches = compileFilters(input.Filters, snapshotFilters, tagFilter);
  if (input.DryRun) throw ec2Errors.dryRun();
  const now = deps.clock.now();
  const own = (await deps.store.listSnapshots(ctx.region)).filter((s) => s.accountId === ctx.accountId);
  const missing = ids.find((id) => !own.some((s) => s.snapshotId === id));
  if (missing) throw ec2Errors.snapshotNotFound(missing);
  const visible =
    ownerSelects(input.OwnerIds, ctx.accountId, []) && ownerSelects(input.RestorableByUserIds, ctx.accountId, ['all']) ? own : [];
  const rows = visible
    .filter((s) => ids.length === 0 || ids.includes(s.snapshotId))
    .map((s) => ({ s, progress: progress(s, now) }))
    .filter(matches);
  const page = paginate(rows, (r) => r.s.snapshotId, maxResults, input.NextToken);
  return {
    Snapshots: page.items.map((r) => toSnapshot(r.s, now)),
    ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
  };
}
