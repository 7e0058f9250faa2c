import { jsonCall } from './http.js';

/**
 * CloudWatch Logs over its own protocol (JSON 1.1, `X-Amz-Target: Logs_20140328.<Operation>`,
 * signing name `logs`), the requests `aws logs …` sends. Shapes: the members the console reads.
 */
export function logs<T>(operation: string, input: object = {}): Promise<T> {
  return jsonCall<T>('logs', '1.1', 'Logs_20140328', operation, input);
}

export interface LogGroup {
  logGroupName: string;
  /** Ends with `:*` (as DescribeLogGroups answers it); logGroupArn does not. */
  arn?: string;
  logGroupArn?: string;
  creationTime?: number;
  retentionInDays?: number;
  storedBytes?: number;
}

export interface LogStream {
  logStreamName: string;
  arn?: string;
  creationTime?: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
}

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime?: number;
  /** FilterLogEvents' events name their stream and have an id. */
  logStreamName?: string;
  eventId?: string;
}

/** PutRetentionPolicy's retentionInDays values (anything else is refused by the API). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** A Lambda function's log group, as Lambda names it. */
export const functionLogGroup = (functionName: string): string => `/aws/lambda/${functionName}`;

export async function describeLogGroups(token: string | undefined, pattern: string): Promise<{ items: LogGroup[]; next?: string }> {
  const out = await logs<{ logGroups?: LogGroup[]; nextToken?: string }>('DescribeLogGroups', {
    limit: 50,
    ...(pattern && { logGroupNamePattern: pattern }),
    ...(token && { nextToken: token }),
  });
  return { items: out.logGroups ?? [], ...(out.nextToken && { next: out.nextToken }) };
}

/** One group by name: DescribeLogGroups by prefix (there is no "get"), the exact name picked out. */
export async function describeLogGroup(name: string): Promise<LogGroup | null> {
  let token: string | undefined;
  do {
    const out = await logs<{ logGroups?: LogGroup[]; nextToken?: string }>('DescribeLogGroups', {
      logGroupNamePrefix: name,
      limit: 50,
      ...(token && { nextToken: token }),
    });
    const found = out.logGroups?.find((g) => g.logGroupName === name);
    if (found) return found;
    token = out.nextToken;
  } while (token);
  return null;
}

/** The group's streams, the one written to last first (what someone reading logs looks for). */
export async function describeLogStreams(group: string, token: string | undefined): Promise<{ items: LogStream[]; next?: string }> {
  const out = await logs<{ logStreams?: LogStream[]; nextToken?: string }>('DescribeLogStreams', {
    logGroupName: group,
    orderBy: 'LastEventTime',
    descending: true,
    limit: 50,
    ...(token && { nextToken: token }),
  });
  return { items: out.logStreams ?? [], ...(out.nextToken && { next: out.nextToken }) };
}

interface GetLogEventsOutput {
  events?: LogEvent[];
  nextForwardToken?: string;
  nextBackwardToken?: string;
}

/**
 * The newest `limit` events of a stream (or the `limit` before the `older` token), oldest first,
 * with the tokens that read the events before them (`older`) and after them (`newer`, for
 * following the stream as `aws logs tail --follow` does). Where no event was found GetLogEvents
 * answers a token at the end of its read, which is of no use: none is returned then.
 */
export async function streamEvents(
  group: string,
  stream: string,
  limit: number,
  older?: string,
): Promise<{ events: LogEvent[]; older?: string; newer?: string }> {
  const out = await logs<GetLogEventsOutput>('GetLogEvents', {
    logGroupName: group,
    logStreamName: stream,
    startFromHead: false,
    limit,
    ...(older && { nextToken: older }),
  });
  const events = out.events ?? [];
  if (events.length === 0) return { events };
  return {
    events,
    ...(out.nextBackwardToken && { older: out.nextBackwardToken }),
    ...(out.nextForwardToken && { newer: out.nextForwardToken }),
  };
}

/** The events after a `newer` token, oldest first, and the token after them (unchanged when none came). */
export async function newerEvents(group: string, stream: string, newer: string): Promise<{ events: LogEvent[]; newer: string }> {
  const out = await logs<GetLogEventsOutput>('GetLogEvents', { logGroupName: group, logStreamName: stream, nextToken: newer });
  return { events: out.events ?? [], newer: out.nextForwardToken ?? newer };
}

/**
 * Events matching a filter pattern, across the group's streams or in the ones named, oldest
 * first; follows nextToken until `limit` events (one call looks at a bounded number of events).
 */
export async function filterEvents(group: string, pattern: string, streams: string[] | null, limit: number): Promise<LogEvent[]> {
  const found: LogEvent[] = [];
  let token: string | undefined;
  do {
    const out = await logs<{ events?: LogEvent[]; nextToken?: string }>('FilterLogEvents', {
      logGroupName: group,
      ...(pattern && { filterPattern: pattern }),
      ...(streams && { logStreamNames: streams }),
      limit: limit - found.length,
      ...(token && { nextToken: token }),
    });
    found.push(...(out.events ?? []));
    token = out.nextToken;
  } while (token && found.length < limit);
  return found;
}
