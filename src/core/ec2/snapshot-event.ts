import { isoSeconds } from '../shared/clock.js';

/**
 * "EBS Snapshot Notification", as the EBS user guide's EventBridge page shows it for
 * `createSnapshot` and `copySnapshot`: the detail carries `event`, `result` (`succeeded` or
 * `failed`), `cause` ("" unless failed), `request-id` (""), the snapshot's ARN as `snapshot_id`,
 * the ARN of what it was made from as `source` (a volume, or the source snapshot of a copy), and
 * `startTime`/`endTime`. A succeeded copy adds `incremental` and `transferType` ("standard").
 * The ARNs are written as that page writes them, the region in the account field
 * (`arn:aws:ec2::us-west-2:snapshot/snap-…`).
 */
export interface SnapshotNotificationEvent {
  version: '0';
  id: string;
  'detail-type': 'EBS Snapshot Notification';
  source: 'aws.ec2';
  account: string;
  /** `yyyy-mm-ddThh:mm:ssZ`: when the snapshot left `pending`. */
  time: string;
  region: string;
  resources: string[];
  detail: {
    event: 'createSnapshot' | 'copySnapshot';
    result: 'succeeded' | 'failed';
    cause: string;
    'request-id': string;
    snapshot_id: string;
    source: string;
    startTime: string;
    endTime: string;
    incremental?: 'true' | 'false';
    transferType?: 'standard';
  };
}

/** A snapshot's ARN as the EBS events write it. */
export const snapshotEventArn = (region: string, snapshotId: string): string => `arn:aws:ec2::${region}:snapshot/${snapshotId}`;
/** A volume's ARN as the createSnapshot event's `source` writes it. */
export const volumeEventArn = (region: string, volumeId: string): string => `arn:aws:ec2::${region}:volume/${volumeId}`;

export interface SnapshotEventInput {
  id: string;
  accountId: string;
  region: string;
  snapshotId: string;
  event: 'createSnapshot' | 'copySnapshot';
  /** The failure's cause; absent = succeeded. */
  cause?: string;
  sourceArn: string;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  /** copySnapshot only: an earlier copy of the same source exists in the destination region. */
  incremental?: boolean;
}

export function buildSnapshotEvent(input: SnapshotEventInput): SnapshotNotificationEvent {
  const arn = snapshotEventArn(input.region, input.snapshotId);
  const succeeded = input.cause === undefined;
  return {
    version: '0',
    id: input.id,
    'detail-type': 'EBS Snapshot Notification',
    source: 'aws.ec2',
    account: input.accountId,
    time: isoSeconds(input.endedAt),
    region: input.region,
    resources: [arn],
    detail: {
      event: input.event,
      result: succeeded ? 'succeeded' : 'failed',
      cause: input.cause ?? '',
      'request-id': '',
      snapshot_id: arn,
      source: input.sourceArn,
      startTime: isoSeconds(input.startedAt),
      endTime: isoSeconds(input.endedAt),
      ...(input.event === 'copySnapshot' &&
        succeeded && { incremental: input.incremental ? ('true' as const) : ('false' as const), transferType: 'standard' as const }),
    },
  };
}
