import type {
  FilteredLogEvent,
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  GetLogEventsRequest,
  GetLogEventsResponse,
  PutLogEventsRequest,
  PutLogEventsResponse,
  RejectedLogEventsInfo,
} from '@aws-sdk/client-cloudwatch-logs';
import type {
  LogEventRecord,
  LogGroupRecord,
  LogPosition,
  LogScope,
  LogsStore,
  LogStreamRecord,
  NewLogEvent,
} from '../../storage/ports/logs-store.js';
import { LogsErrors } from '../generated/errors.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import { compileFilterPattern, FilterPatternError } from './filter-pattern.js';
import { newStream, type LogGroups } from './log-groups.js';
import { groupNameOf, positionToken, readPosition } from './log-views.js';

const DAY = 86_400_000;
/** PutLogEvents quotas: 1,048,576 bytes a batch, counted as the UTF-8 message plus 26 bytes per event; events at most 2 h ahead, 14 days old, within 24 h of each other. */
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
const TOO_NEW_MS = 2 * 3600_000;
const TOO_OLD_MS = 14 * DAY;
/** Events one FilterLogEvents call looks at before answering with a nextToken (AWS also stops early and says so with a token). */
const SCAN_BUDGET = 50_000;

/** Putting and reading log events: PutLogEvents, GetLogEvents, FilterLogEvents, and amiwatch's own writers (Lambda, rule targets). */
export class LogEvents {
  constructor(private readonly o: { store: LogsStore; clock: Clock; groups: LogGroups }) {}

  async putLogEvents(ctx: RequestContext, input: PutLogEventsRequest): Promise<PutLogEventsResponse> {
    const g = await this.o.groups.group(ctx, input.logGroupName);
    const stream = await this.o.store.getStream(ctx, g.name, input.logStreamName!);
    if (!stream) throw LogsErrors.ResourceNotFoundException('The specified log stream does not exist.');
    const events = (input.logEvents ?? []).map((e) => ({ timestamp: e.timestamp!, message: e.message! }));
    let bytes = 0;
    for (let i = 0; i < events.length; i++) {
      if (i > 0 && events[i]!.timestamp < events[i - 1]!.timestamp)
        throw LogsErrors.InvalidParameterException('Log events in a single PutLogEvents request must be in chronological order.');
      bytes += Buffer.byteLength(events[i]!.message) + EVENT_OVERHEAD;
    }
    if (bytes > MAX_BATCH_BYTES)
      throw LogsErrors.InvalidParameterException(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
    if (events.length > 0 && events[events.length - 1]!.timestamp - events[0]!.timestamp > DAY) {
      throw LogsErrors.InvalidParameterException(
        'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      );
    }
    const now = this.o.clock.now();
    const rejected: RejectedLogEventsInfo = {};
    const retentionStart = g.retentionInDays === null ? -Infinity : now - g.retentionInDays * DAY;
    const accepted = events.filter((e, i) => {
      // Rejected events are reported by index, as AWS does, and the rest are stored.
      if (e.timestamp > now + TOO_NEW_MS) return ((rejected.tooNewLogEventStartIndex ??= i), false);
      if (e.timestamp < retentionStart) return ((rejected.expiredLogEventEndIndex = i), false);
      if (e.timestamp < now - TOO_OLD_MS) return ((rejected.tooOldLogEventEndIndex = i), false);
      return true;
    });
    await this.append(stream, accepted, now);
    return {
      nextSequenceToken: String(now).padStart(56, '4'),
      ...(Object.keys(rejected).length > 0 && { rejectedLogEventsInfo: rejected }),
    };
  }

  /** amiwatch's own writers: the group and stream are created on first use, as Lambda's and EventBridge's log delivery do. */
  async write(scope: LogScope, group: string, streamName: string, events: readonly NewLogEvent[]): Promise<void> {
    if (events.length === 0) return;
    const now = this.o.clock.now();
    let g = await this.o.store.getGroup(scope, group);
    if (!g) {
      g = { accountId: scope.accountId, region: scope.region, name: group, creationTime: now, retentionInDays: null, tags: {} };
      await this.o.store.putGroup(g);
    }
    const stream = (await this.o.store.getStream(scope, group, streamName)) ?? newStream(g, streamName, now);
    await this.append(stream, events, now);
  }

  private async append(stream: LogStreamRecord, events: readonly NewLogEvent[], now: number): Promise<void> {
    if (events.length === 0) return;
    const stamps = events.map((e) => e.timestamp);
    await this.o.store.appendEvents(
      {
        ...stream,
        firstEventTimestamp: Math.min(stream.firstEventTimestamp ?? Infinity, ...stamps),
        lastEventTimestamp: Math.max(stream.lastEventTimestamp ?? -Infinity, ...stamps),
        lastIngestionTime: now,
        storedBytes: stream.storedBytes + events.reduce((n, e) => n + Buffer.byteLength(e.message), 0),
      },
      events,
      now,
    );
  }

  async getLogEvents(ctx: RequestContext, input: GetLogEventsRequest): Promise<GetLogEventsResponse> {
    const g = await this.o.groups.group(ctx, groupNameOf(input.logGroupName, input.logGroupIdentifier));
    if (!(await this.o.store.getStream(ctx, g.name, input.logStreamName!)))
      throw LogsErrors.ResourceNotFoundException('The specified log stream does not exist.');
    const token = input.nextToken === undefined ? undefined : readPosition(input.nextToken, ['f', 'b']);
    const forward = token ? token.prefix === 'f' : input.startFromHead === true;
    const limit = input.limit ?? 10_000;
    const base = { group: g.name, streams: [input.logStreamName!], ...this.bounds(g, input.startTime, input.endTime), limit };
    const found = forward
      ? await this.o.store.queryEvents(ctx, { ...base, descending: false, ...(token && { after: token.position }) })
      : (await this.o.store.queryEvents(ctx, { ...base, descending: true, ...(token && { before: token.position }) })).reverse();
    const edge: LogPosition = token?.position ?? (forward ? { timestamp: 0, seq: 0 } : { timestamp: 99_999_999_999_999, seq: 0 });
    return {
      events: found.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      // Where nothing more was found the token comes back unchanged: that is how clients know they reached the end.
      nextForwardToken: positionToken('f', found.length > 0 ? found[found.length - 1]! : edge),
      nextBackwardToken: positionToken('b', found.length > 0 ? found[0]! : edge),
    };
  }

  async filterLogEvents(ctx: RequestContext, input: FilterLogEventsRequest): Promise<FilterLogEventsResponse> {
    const g = await this.o.groups.group(ctx, groupNameOf(input.logGroupName, input.logGroupIdentifier));
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw LogsErrors.InvalidParameterException('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    }
    let matches;
    try {
      matches = compileFilterPattern(input.filterPattern);
    } catch (err) {
      if (err instanceof FilterPatternError) throw LogsErrors.InvalidParameterException(err.message);
      throw err;
    }
    const streams =
      input.logStreamNamePrefix !== undefined
        ? (await this.o.store.listStreams(ctx, g.name)).filter((s) => s.name.startsWith(input.logStreamNamePrefix!)).map((s) => s.name)
        : (input.logStreamNames ?? null);
    const limit = input.limit ?? 10_000;
    let after = input.nextToken === undefined ? undefined : readPosition(input.nextToken, ['e']).position;
    const events: FilteredLogEvent[] = [];
    let scanned = 0;
    let exhausted = false;
    while (events.length < limit && scanned < SCAN_BUDGET) {
      const chunk = await this.o.store.queryEvents(ctx, {
        group: g.name,
        streams,
        ...this.bounds(g, input.startTime, input.endTime),
        descending: false,
        limit: 1000,
        ...(after && { after }),
      });
      let used = 0;
      for (const e of chunk) {
        after = e;
        used++;
        if (matches(e.message)) events.push(filtered(e));
        if (events.length >= limit) break;
      }
      scanned += used;
      if (chunk.length < 1000 && used === chunk.length) {
        exhausted = true;
        break;
      }
    }
    return { events, searchedLogStreams: [], ...(!exhausted && after && { nextToken: positionToken('e', after) }) };
  }

  /** A read's timestamp bounds, with the group's retention applied: expired events are never read even before they are deleted. */
  private bounds(g: LogGroupRecord, start: number | undefined, end: number | undefined): { start?: number; end?: number } {
    const retained = g.retentionInDays === null ? undefined : this.o.clock.now() - g.retentionInDays * DAY;
    const from = Math.max(start ?? -Infinity, retained ?? -Infinity);
    return { ...(Number.isFinite(from) && { start: from }), ...(end !== undefined && { end }) };
  }

  /** The group's newest events from `since` on (at most `limit`), oldest first; none when the group does not exist. */
  async recent(scope: LogScope, group: string, since: number, limit: number): Promise<LogEventRecord[]> {
    const g = await this.o.store.getGroup(scope, group);
    if (!g) return [];
    const found = await this.o.store.queryEvents(scope, {
      group,
      streams: null,
      ...this.bounds(g, since, undefined),
      descending: true,
      limit,
    });
    return found.reverse();
  }

  /** Deletes the events every group's retention no longer keeps; returns how many. */
  async expire(): Promise<number> {
    let n = 0;
    const now = this.o.clock.now();
    for (const g of await this.o.store.listRetainedGroups())
      n += await this.o.store.expireEvents(g, g.name, now - g.retentionInDays! * DAY);
    return n;
  }
}

const filtered = (e: LogEventRecord): FilteredLogEvent => ({
  logStreamName: e.stream,
  timestamp: e.timestamp,
  message: e.message,
  ingestionTime: e.ingestionTime,
  eventId: String(e.seq).padStart(56, '0'),
});
