import { jsonCall } from './http.js';

/**
 * CloudTrail over JSON 1.1 (`X-Amz-Target: CloudTrail_20131101.<Operation>`, as the SDK v3 sends
 * it), signed for `cloudtrail`. Shapes: the members the console reads.
 */
export function cloudtrail<T>(operation: string, input: object = {}): Promise<T> {
  return jsonCall<T>('cloudtrail', '1.1', 'CloudTrail_20131101', operation, input);
}

export interface Trail {
  Name: string;
  TrailARN: string;
  HomeRegion?: string;
  IsMultiRegionTrail?: boolean;
  S3BucketName?: string;
}

export interface TrailEvent {
  EventId: string;
  EventName?: string;
  EventSource?: string;
  /** Epoch seconds, as JSON 1.1 sends timestamps. */
  EventTime?: number;
  Username?: string;
  AccessKeyId?: string;
  ReadOnly?: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
  CloudTrailEvent?: string;
}

/** LookupEvents' lookup attributes (one at a time, exact and case-sensitive). */
export const LOOKUP_ATTRIBUTES = [
  'EventName',
  'EventSource',
  'ResourceName',
  'ResourceType',
  'Username',
  'ReadOnly',
  'AccessKeyId',
  'EventId',
] as const;

export async function trailsWithStatus(): Promise<(Trail & { IsLogging: boolean })[]> {
  const { trailList } = await cloudtrail<{ trailList?: Trail[] }>('DescribeTrails', {});
  return Promise.all(
    (trailList ?? []).map(async (t) => {
      const status = await cloudtrail<{ IsLogging?: boolean }>('GetTrailStatus', { Name: t.TrailARN });
      return { ...t, IsLogging: status.IsLogging === true };
    }),
  );
}

export async function lookupEvents(
  attribute: { key: string; value: string } | null,
  token: string | undefined,
): Promise<{ items: TrailEvent[]; next?: string }> {
  const out = await cloudtrail<{ Events?: TrailEvent[]; NextToken?: string }>('LookupEvents', {
    MaxResults: 50,
    ...(attribute && { LookupAttributes: [{ AttributeKey: attribute.key, AttributeValue: attribute.value }] }),
    ...(token && { NextToken: token }),
  });
  return { items: out.Events ?? [], ...(out.NextToken && { next: out.NextToken }) };
}
