import type { RequestContext } from '../shared/request-context.js';
import type { OutboxEventRecord, SnapshotRecord, TagRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import type { PlannedFailure } from './faults.js';
import { newSnapshotId } from './ids.js';
import { buildSnapshotEvent } from './snapshot-event.js';

type Deps = Pick<Ec2Deps, 'store' | 'clock' | 'random'>;

/** What the operation that makes a snapshot decides; the rest is filled the same way for all. */
export type SnapshotDraft = Pick<SnapshotRecord, 'volumeId' | 'volumeSize' | 'description' | 'encrypted' | 'sourceArn'> &
  Partial<Pick<SnapshotRecord, 'kmsKeyId' | 'sourceSnapshotId' | 'sourceRegion' | 'imageId'>>;

/**
 * A new snapshot, `pending` until `dueAt`, then `completed` — or `error` with the planned
 * failure's message. `event` names the "EBS Snapshot Notification" its completion emits.
 */
export function pendingSnapshot(
  deps: Deps,
  ctx: RequestContext,
  draft: SnapshotDraft,
  tags: TagRecord[],
  plan: { dueAt: number; failure?: PlannedFailure | undefined; event?: 'createSnapshot' | 'copySnapshot' },
): SnapshotRecord {
  return {
    ...draft,
    snapshotId: newSnapshotId(deps.random),
    accountId: ctx.accountId,
    region: ctx.region,
    state: 'pending',
    startTime: new Date(deps.clock.now()).toISOString(),
    requestId: ctx.requestId,
    tags,
    transition: {
      dueAt: plan.dueAt,
      outcome: plan.failure ? 'error' : 'completed',
      ...(plan.failure && { reasonMessage: plan.failure.message }),
      ...(plan.event && { event: plan.event }),
    },
  };
}

/**
 * pending → completed | error at `at`, with its event (if it has one) as an outbox record.
 * Inputs: a pending snapshot; whether an earlier copy of the same source exists (copySnapshot's
 * `incremental`). Emits: one "EBS Snapshot Notification" when the transition names an event.
 */
export function arriveSnapshot(
  deps: Deps,
  snapshot: SnapshotRecord,
  at: number,
  incremental: boolean,
): { snapshot: SnapshotRecord; events: OutboxEventRecord[] } {
  const t = snapshot.transition!;
  const { transition: _done, ...rest } = snapshot;
  const failed = t.outcome === 'error';
  const arrived: SnapshotRecord = {
    ...rest,
    state: failed ? 'error' : 'completed',
    completionTime: new Date(at).toISOString(),
    ...(failed && { stateMessage: t.reasonMessage ?? 'Snapshot creation failed' }),
  };
  if (!t.event) return { snapshot: arrived, events: [] };
  const event = buildSnapshotEvent({
    id: deps.random.uuid(),
    accountId: snapshot.accountId,
    region: snapshot.region,
    snapshotId: snapshot.snapshotId,
    event: t.event,
    ...(failed && { cause: arrived.stateMessage }),
    sourceArn: snapshot.sourceArn,
    startedAt: Date.parse(snapshot.startTime),
    endedAt: at,
    incremental,
  });
  return { snapshot: arrived, events: [{ id: event.id, json: JSON.stringify(event) }] };
}

/**
 * Moves every snapshot due by `upTo` (each at `timeOf(dueAt)`, so an event carries its due time
 * also after a restart), with its event in the same store write. A snapshot no longer pending is
 * not handed out again, so each transition fires once; on a cluster the store hands each due
 * snapshot to one node. Returns how many moved.
 */
export async function moveDueSnapshots(deps: Deps, upTo: number, timeOf: (dueAt: number) => number): Promise<number> {
  let count = 0;
  for (;;) {
    const due = await deps.store.dueSnapshotTransitions(upTo, 100);
    if (due.length === 0) return count;
    for (const snapshot of due) {
      if (snapshot.state !== 'pending' || !snapshot.transition) continue;
      const moved = arriveSnapshot(deps, snapshot, timeOf(snapshot.transition.dueAt), await hasEarlierCopy(deps, snapshot));
      await deps.store.putSnapshotsWithEvents([moved.snapshot], moved.events);
      count++;
    }
  }
}

/** A copy is incremental when an earlier completed copy of the same source is in the region. */
async function hasEarlierCopy(deps: Deps, snapshot: SnapshotRecord): Promise<boolean> {
  if (!snapshot.sourceSnapshotId) return false;
  return (await deps.store.listSnapshots(snapshot.region)).some(
    (s) =>
      s.snapshotId !== snapshot.snapshotId &&
      s.accountId === snapshot.accountId &&
      s.sourceSnapshotId === snapshot.sourceSnapshotId &&
      s.state === 'completed',
  );
}
