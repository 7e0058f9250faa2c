import type { LogStream } from '@aws-sdk/client-cloudwatch-logs';
import type { LogGroupRecord, LogPosition, LogStreamRecord } from '../../storage/ports/logs-store.js';
import { LogsErrors } from '../generated/errors.js';

/** The values PutRetentionPolicy takes (its retentionInDays enum). */
export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const groupArn = (g: LogGroupRecord): string => `arn:aws:logs:${g.region}:${g.accountId}:log-group:${g.name}`;

/** logGroupIdentifier is a name or an ARN; exactly one of it and logGroupName is given. */
export function groupNameOf(name: string | undefined, identifier: string | undefined): string {
  if (name !== undefined && identifier !== undefined)
    throw LogsErrors.InvalidParameterException('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  const id = name ?? identifier;
  if (id === undefined)
    throw LogsErrors.InvalidParameterException('Either the parameter logGroupName or logGroupIdentifier must be specified.');
  const m = /^arn:aws[\w-]*:logs:[^:]*:\d{12}:log-group:(.+?)(:\*)?$/.exec(id);
  return m ? m[1]! : id;
}

export function streamView(g: LogGroupRecord, s: LogStreamRecord): LogStream {
  return {
    logStreamName: s.name,
    creationTime: s.creationTime,
    ...(s.firstEventTimestamp !== null && { firstEventTimestamp: s.firstEventTimestamp }),
    ...(s.lastEventTimestamp !== null && { lastEventTimestamp: s.lastEventTimestamp }),
    ...(s.lastIngestionTime !== null && { lastIngestionTime: s.lastIngestionTime }),
    uploadSequenceToken: String(s.lastIngestionTime ?? 0).padStart(56, '4'),
    arn: `${groupArn(g)}:log-stream:${s.name}`,
    storedBytes: 0,
  };
}

/** A page of a sorted list, the token being the last key returned (opaque to clients). */
export function page<T>(
  all: readonly T[],
  keyOf: (t: T) => string,
  limit: number,
  token: string | undefined,
): { items: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = decode(token);
    start = all.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = all.length;
  }
  const items = all.slice(start, start + limit);
  return start + limit < all.length ? { items, nextToken: encode(keyOf(items[items.length - 1]!)) } : { items };
}

const encode = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
function decode(token: string): string {
  const s = Buffer.from(token, 'base64url').toString('utf8');
  if (encode(s) !== token) throw LogsErrors.InvalidParameterException('The specified nextToken is invalid.');
  return s;
}

/** Event positions as tokens: `f/…` forward, `b/…` backward (GetLogEvents), plain for FilterLogEvents. */
export const positionToken = (prefix: string, p: LogPosition): string =>
  `${prefix}/${p.timestamp.toString().padStart(20, '0')}/${p.seq.toString().padStart(20, '0')}`;

export function readPosition(token: string, prefixes: readonly string[]): { prefix: string; position: LogPosition } {
  const m = /^([a-z])\/(\d{20})\/(\d{20})$/.exec(token);
  if (!m || !prefixes.includes(m[1]!)) throw LogsErrors.InvalidParameterException('The specified nextToken is invalid.');
  return { prefix: m[1]!, position: { timestamp: Number(m[2]), seq: Number(m[3]) } };
}
