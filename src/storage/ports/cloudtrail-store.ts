/**
 * The CloudTrail store port: trails (one record each) and the recorded API calls that
 * LookupEvents reads (AWS's "event history", 90 days). Under storage/ so adapters implement it
 * without importing the domain; core/cloudtrail imports these types. Every method is one atomic
 * store operation. Adapters: `memory/memory-cloudtrail-store.ts`, `sqlite/sqlite-cloudtrail-store.ts`,
 * `jetstream/jetstream-cloudtrail-store.ts`;
 * the contract suite in test/cloudtrail runs against both.
 */

export interface TrailRecord {
  accountId: string;
  /** The trail's home region (where it was created). */
  region: string;
  name: string;
  arn: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicName?: string;
  includeGlobalServiceEvents: boolean;
  isMultiRegionTrail: boolean;
  isOrganizationTrail: boolean;
  logFileValidationEnabled: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  kmsKeyId?: string;
  tags: { Key: string; Value?: string }[];
  isLogging: boolean;
  /** ms; when StartLogging / StopLogging last ran. */
  startLoggingTime?: number;
  stopLoggingTime?: number;
}

/** One recorded API call: the attributes LookupEvents filters on, and the record as JSON text. */
export interface ApiCallRecord {
  accountId: string;
  region: string;
  eventId: string;
  /** ms */
  eventTime: number;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  username: string;
  accessKeyId: string;
  resources: { type: string; name: string }[];
  /** The CloudTrail record (LookupEvents' `CloudTrailEvent`). */
  body: string;
}

/** A LookupEvents page: newest first, at most `limit`, only events strictly before `before`. */
export interface ApiCallQuery {
  accountId: string;
  region: string;
  /** ms, inclusive */
  startTime: number;
  /** ms, inclusive */
  endTime: number;
  /** The one lookup attribute AWS allows, already checked. */
  attribute?: { key: LookupKey; value: string };
  /** The position after which the page starts (the previous page's last event). */
  before?: { eventTime: number; eventId: string };
  limit: number;
}

/** A trail written on another node: its key, and the trail or null when deleted. */
export interface TrailChange {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly trail: TrailRecord | null;
}

export type LookupKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

export interface CloudTrailStore {
  /** Every trail of every account (the recorder keeps which account/regions log in memory). */
  allTrails(): Promise<TrailRecord[]>;
  /** Creates the trail; false (nothing written) when its account/region/name is taken. */
  createTrail(trail: TrailRecord): Promise<boolean>;
  /** Replaces the trail; false when it is gone. */
  updateTrail(trail: TrailRecord): Promise<boolean>;
  /** False when there was nothing to delete. */
  deleteTrail(accountId: string, region: string, name: string): Promise<boolean>;
  appendCalls(records: readonly ApiCallRecord[]): Promise<void>;
  lookupCalls(query: ApiCallQuery): Promise<ApiCallRecord[]>;
  /** Deletes up to `limit` records older than `before` (ms); returns how many went. */
  pruneCalls(before: number, limit: number): Promise<number>;
  /**
   * Stores shared by several nodes (JetStream): calls `onChange` for every later trail write made
   * by another node — the trail, or null and its key when it was deleted — so each node's
   * in-memory set of logging trails stays the cluster's. Absent on single-owner stores.
   */
  followTrails?(onChange: (change: TrailChange) => void): Promise<() => void>;
  close(): void;
}

/** Whether a record has the lookup attribute (AWS compares exactly, case-sensitively). */
export function hasAttribute(r: ApiCallRecord, a: { key: LookupKey; value: string }): boolean {
  switch (a.key) {
    case 'EventId':
      return r.eventId === a.value;
    case 'EventName':
      return r.eventName === a.value;
    case 'ReadOnly':
      return String(r.readOnly) === a.value;
    case 'Username':
      return r.username === a.value;
    case 'ResourceType':
      return r.resources.some((x) => x.type === a.value);
    case 'ResourceName':
      return r.resources.some((x) => x.name === a.value);
    case 'EventSource':
      return r.eventSource === a.value;
    case 'AccessKeyId':
      return r.accessKeyId === a.value;
  }
}

/** Newest first; equal times by event id, descending (the order LookupEvents pages are cut in). */
export const newestFirst = (a: ApiCallRecord, b: ApiCallRecord): number =>
  b.eventTime - a.eventTime || (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0);

/** Whether a record comes after the position `p` in that order (a page's `before`). */
export const callBefore = (r: ApiCallRecord, p: { eventTime: number; eventId: string }): boolean =>
  r.eventTime < p.eventTime || (r.eventTime === p.eventTime && r.eventId < p.eventId);
