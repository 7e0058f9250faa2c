/**
 * CloudWatch Logs state: log groups, their streams and the events in them, per account and
 * region. Events are ordered by (timestamp, seq): `seq` is the store's own ingestion counter, so
 * two events with one timestamp keep the order they were put in and a position is exact.
 */
export interface LogScope {
  readonly accountId: string;
  readonly region: string;
}

export interface LogGroupRecord extends LogScope {
  readonly name: string;
  /** ms since the epoch */
  readonly creationTime: number;
  readonly retentionInDays: number | null;
  readonly tags: Readonly<Record<string, string>>;
}

export interface LogStreamRecord extends LogScope {
  readonly group: string;
  readonly name: string;
  readonly creationTime: number;
  readonly firstEventTimestamp: number | null;
  readonly lastEventTimestamp: number | null;
  readonly lastIngestionTime: number | null;
  readonly storedBytes: number;
}

export interface NewLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

export interface LogEventRecord extends NewLogEvent {
  readonly stream: string;
  readonly ingestionTime: number;
  readonly seq: number;
}

/** A place in a group's event order: events strictly after (or before) it are read. */
export interface LogPosition {
  readonly timestamp: number;
  readonly seq: number;
}

export interface LogEventQuery {
  readonly group: string;
  /** Only these streams (null: every stream of the group). */
  readonly streams: readonly string[] | null;
  /** Inclusive bounds on the event timestamp, ms. */
  readonly start?: number;
  readonly end?: number;
  /** Forward from after this position, or backward from before it. */
  readonly after?: LogPosition;
  readonly before?: LogPosition;
  /** Newest first (a backward read). */
  readonly descending: boolean;
  readonly limit: number;
}

export interface LogsStore {
  getGroup(scope: LogScope, name: string): Promise<LogGroupRecord | undefined>;
  /** Every group of the scope, by name. */
  listGroups(scope: LogScope): Promise<LogGroupRecord[]>;
  /** Every group of every scope with a retention policy (for expiry). */
  listRetainedGroups(): Promise<LogGroupRecord[]>;
  /** Creates or replaces the group's own fields (streams and events stay). */
  putGroup(group: LogGroupRecord): Promise<void>;
  /** The group, its streams and its events. */
  deleteGroup(scope: LogScope, name: string): Promise<boolean>;
  getStream(scope: LogScope, group: string, name: string): Promise<LogStreamRecord | undefined>;
  /** The group's streams, by name. */
  listStreams(scope: LogScope, group: string): Promise<LogStreamRecord[]>;
  putStream(stream: LogStreamRecord): Promise<void>;
  /** The stream and its events. */
  deleteStream(scope: LogScope, group: string, name: string): Promise<boolean>;
  /** Appends events to a stream and writes its new summary, in one transaction. */
  appendEvents(stream: LogStreamRecord, events: readonly NewLogEvent[], ingestionTime: number): Promise<void>;
  queryEvents(scope: LogScope, query: LogEventQuery): Promise<LogEventRecord[]>;
  /** Deletes the group's events with a timestamp before `before`; returns how many. */
  expireEvents(scope: LogScope, group: string, before: number): Promise<number>;
  close(): void;
}

/** `a` before `b` in a group's event order. */
export const positionBefore = (a: LogPosition, b: LogPosition): boolean =>
  a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq);
