import { listAll } from './list-all.js';

/** EventBridge archives and replays, as the console reads and writes them. */
export interface Archive {
  ArchiveName: string;
  EventSourceArn: string;
  State: string;
  RetentionDays: number;
  EventCount: number;
  SizeBytes: number;
}

export interface Replay {
  ReplayName: string;
  EventSourceArn: string;
  State: string;
  StateReason?: string;
  EventStartTime: number;
  EventEndTime: number;
  EventLastReplayedTime?: number;
  ReplayStartTime?: number;
  ReplayEndTime?: number;
}

export const listArchives = () => listAll<Archive>('ListArchives', 'Archives');
export const listReplays = () => listAll<Replay>('ListReplays', 'Replays');

/** The fraction of a replay's window done, from EventLastReplayedTime (0 before the first event). */
export function replayProgress(r: Replay): number {
  if (r.State === 'COMPLETED') return 1;
  if (r.EventLastReplayedTime === undefined) return 0;
  const span = r.EventEndTime - r.EventStartTime;
  return span > 0 ? Math.min(1, Math.max(0, (r.EventLastReplayedTime - r.EventStartTime) / span)) : 0;
}
