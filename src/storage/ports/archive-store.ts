/**
 * The archive store port: the retained copies of events that EventBridge archives keep
 * (CreateArchive), read back in event-time order by replays (StartReplay). Archive and replay
 * definitions are small documents in the Store's keyed resources; this port holds only the
 * events, which can be many. Every method is one atomic store operation. Adapters:
 * `memory/memory-archive-store.ts`, `sqlite/sqlite-archive-store.ts`; the contract suite
 * `contract/archive-store-contract.ts` runs against both.
 */

export interface ArchivedEventInput {
  readonly archiveArn: string;
  /** The event's `id`: an archive keeps one copy per id (a redelivered copy is ignored). */
  readonly eventId: string;
  /** The event's `time` field, ms since the epoch (what replays select on). */
  readonly time: number;
  /** When the archive received it, ms (retention counts from here). */
  readonly archivedAt: number;
  /** The event JSON as it arrived on the bus. */
  readonly body: string;
}

export interface ArchivedEvent extends ArchivedEventInput {
  /** Position in the store: with `time`, the replay cursor. */
  readonly seq: number;
}

export interface ArchiveCursor {
  readonly time: number;
  readonly seq: number;
}

export interface ArchiveRead {
  readonly archiveArn: string;
  /** Inclusive lower bound on the event time, ms. */
  readonly from: number;
  /** Exclusive upper bound on the event time, ms. */
  readonly to: number;
  /** Only events strictly after this (time, seq) position. */
  readonly after?: ArchiveCursor;
  readonly limit: number;
}

export interface ArchiveStats {
  readonly eventCount: number;
  /** UTF-8 bytes of the archived event bodies. */
  readonly sizeBytes: number;
}

export interface ArchiveStore {
  /** Adds copies; an (archive, event id) already present is skipped. */
  append(events: readonly ArchivedEventInput[]): Promise<void>;
  /** Events of one archive in [from, to), ordered by (time, seq), after the cursor. */
  read(query: ArchiveRead): Promise<ArchivedEvent[]>;
  stats(archiveArn: string): Promise<ArchiveStats>;
  /** Forgets up to `limit` events of the archive received before `before`; returns how many. */
  prune(archiveArn: string, before: number, limit: number): Promise<number>;
  /** Forgets every event of the archive (DeleteArchive). */
  drop(archiveArn: string): Promise<void>;
  close(): void;
}
