/**
 * EBS snapshot records of the EC2 store port (see ec2-store.ts). Plain data: the domain
 * (core/ec2) decides what the fields mean; adapters store them and select on the state and the
 * transition's due time.
 */

/** A tag (the same shape as ec2-store's TagRecord; restated so the files do not import each other). */
interface TagRecord {
  key: string;
  value: string;
}

/** AWS `SnapshotState` (amiwatch uses `pending`, `completed` and `error`). */
export type SnapshotStateName = 'pending' | 'completed' | 'error' | 'recoverable' | 'recovering';

/**
 * Where a pending snapshot goes, and when; `event` names the "EBS Snapshot Notification" its
 * completion emits (none for the snapshots CopyImage and CreateRestoreImageTask make).
 */
export interface SnapshotTransitionRecord {
  /** Epoch ms at which the snapshot leaves `pending`. */
  dueAt: number;
  outcome: 'completed' | 'error';
  /** The `cause` of a failed snapshot's event and its StateMessage. */
  reasonMessage?: string;
  event?: 'createSnapshot' | 'copySnapshot';
}

export interface SnapshotRecord {
  snapshotId: string;
  /** The owner. */
  accountId: string;
  region: string;
  /** The volume it was taken from; `vol-ffffffff` for copies, as AWS shows them. */
  volumeId: string;
  volumeSize: number;
  state: SnapshotStateName;
  /** Set when the state is `error`. */
  stateMessage?: string;
  description: string;
  encrypted: boolean;
  kmsKeyId?: string;
  /** ISO-8601 with milliseconds. */
  startTime: string;
  /** ISO-8601, once the snapshot left `pending`. */
  completionTime?: string;
  /** The id of the request that created it. */
  requestId: string;
  /** ARN of what it was made from (a volume, or the source snapshot of a copy): the event's `source`. */
  sourceArn: string;
  /** CopySnapshot's source, for DescribeSnapshots' description and the console. */
  sourceSnapshotId?: string;
  sourceRegion?: string;
  /** The image whose CreateImage/CopyImage made it, if any. */
  imageId?: string;
  tags: TagRecord[];
  /** Set while `pending`. */
  transition?: SnapshotTransitionRecord;
}
