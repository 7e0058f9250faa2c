import { formatArn } from '../shared/arn.js';

/**
 * Archives and replays as core persists them (Store keyed resources, kinds below, keyed by ARN).
 * The archived events themselves live in the ArchiveStore port.
 */
export interface ArchiveDoc {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  /** The bus it archives (EventSourceArn); fixed for the archive's life, as on AWS. */
  readonly busArn: string;
  readonly description?: string;
  readonly eventPattern?: string;
  /** 0 = keep forever (API_CreateArchive: "If set to 0, events are retained indefinitely"). */
  readonly retentionDays: number;
  readonly kmsKeyIdentifier?: string;
  readonly createdAt: number;
}

export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface ReplayDoc {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly archiveArn: string;
  readonly description?: string;
  readonly destination: { readonly Arn: string; readonly FilterArns?: readonly string[] };
  /** The window on the events' `time`, ms: [start, end). */
  readonly eventStartTime: number;
  readonly eventEndTime: number;
  readonly state: ReplayState;
  readonly stateReason?: string;
  readonly replayStartTime: number;
  readonly replayEndTime?: number;
  /** The `time` of the last event replayed (DescribeReplay's EventLastReplayedTime). */
  readonly lastReplayedTime?: number;
  /** Where the replay resumes: the (time, seq) of the last archived event it replayed. */
  readonly cursor?: { readonly time: number; readonly seq: number };
  readonly replayedCount: number;
}

export const ARCHIVE_KIND = 'events.archive';
export const REPLAY_KIND = 'events.replay';

/** "Events-Archive-<name>": the rule EventBridge manages for each archive. */
export const archiveRuleName = (archive: string): string => `Events-Archive-${archive}`;
export const MANAGED_BY = 'events.amazonaws.com';

export const archiveArn = (region: string, account: string, name: string): string =>
  formatArn({ service: 'events', region, account, resource: `archive/${name}` });

export const replayArn = (region: string, account: string, name: string): string =>
  formatArn({ service: 'events', region, account, resource: `replay/${name}` });

/** Replays that still hold a slot (AWS: 10 concurrent replays per account and region). */
export const isActiveReplay = (s: ReplayState): boolean => s === 'STARTING' || s === 'RUNNING' || s === 'CANCELLING';
