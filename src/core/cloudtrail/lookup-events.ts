import type { Event, LookupEventsRequest, LookupEventsResponse } from '@aws-sdk/client-cloudtrail';
import type { ApiCallQuery, ApiCallRecord, CloudTrailStore, LookupKey } from '../../storage/ports/cloudtrail-store.js';
import { CloudtrailErrors } from '../generated/errors.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';

/** "Event history: the past 90 days" — and what LookupEvents can reach. */
export const HISTORY_DAYS = 90;
export const HISTORY_MS = HISTORY_DAYS * 86_400_000;
/** LookupEvents' MaxResults: 1–50, default 50. */
const MAX_RESULTS = 50;

const KEYS: readonly LookupKey[] = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
];

/**
 * LookupEvents: the caller's account and region, newest first, within StartTime–EndTime (default
 * the last 90 days), filtered by at most one lookup attribute, paged by an opaque NextToken that
 * is valid only for the same query.
 */
export class EventHistory {
  constructor(
    private readonly store: CloudTrailStore,
    private readonly clock: Clock,
  ) {}

  async lookupEvents(ctx: RequestContext, input: LookupEventsRequest): Promise<LookupEventsResponse> {
    const query = this.query(ctx, input);
    // Insights events are recorded only by trails with Insights selectors, which amiwatch has none of.
    if (input.EventCategory === 'insight') return { Events: [] };
    const page = await this.store.lookupCalls({ ...query, limit: query.limit + 1 });
    const more = page.length > query.limit;
    const events = page.slice(0, query.limit);
    const last = events.at(-1);
    return {
      Events: events.map(toEvent),
      ...(more && last && { NextToken: encodeToken(fingerprint(ctx, input), last) }),
    };
  }

  private query(ctx: RequestContext, input: LookupEventsRequest): ApiCallQuery {
    if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
      throw CloudtrailErrors.InvalidEventCategoryException(
        `EventCategory ${String(input.EventCategory)} is not valid. The only valid value is insight.`,
      );
    }
    const attributes = input.LookupAttributes ?? [];
    if (attributes.length > 1) throw CloudtrailErrors.InvalidLookupAttributesException('You can specify at most one lookup attribute.');
    const a = attributes[0];
    if (a && !KEYS.includes(a.AttributeKey as LookupKey)) {
      throw CloudtrailErrors.InvalidLookupAttributesException(
        `AttributeKey ${String(a.AttributeKey)} is not valid. Valid keys: ${KEYS.join(', ')}.`,
      );
    }
    if (a && (a.AttributeValue === undefined || a.AttributeValue === ''))
      throw CloudtrailErrors.InvalidLookupAttributesException('AttributeValue must not be empty.');
    const limit = input.MaxResults ?? MAX_RESULTS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS)
      throw CloudtrailErrors.InvalidMaxResultsException(`MaxResults must be between 1 and ${MAX_RESULTS}.`);
    const now = this.clock.now();
    const startTime = input.StartTime ? new Date(input.StartTime).getTime() : now - HISTORY_MS;
    const endTime = input.EndTime ? new Date(input.EndTime).getTime() : now;
    if (!Number.isFinite(startTime) || !Number.isFinite(endTime) || startTime > endTime) {
      throw CloudtrailErrors.InvalidTimeRangeException('The start time must be earlier than the end time.');
    }
    const query: ApiCallQuery = {
      accountId: ctx.accountId,
      region: ctx.region,
      startTime: Math.max(startTime, now - HISTORY_MS),
      endTime,
      ...(a && { attribute: { key: a.AttributeKey as LookupKey, value: a.AttributeValue! } }),
      limit,
    };
    if (input.NextToken === undefined) return query;
    return { ...query, before: decodeToken(input.NextToken, fingerprint(ctx, input)) };
  }
}

function toEvent(r: ApiCallRecord): Event {
  return {
    EventId: r.eventId,
    EventName: r.eventName,
    ReadOnly: String(r.readOnly),
    AccessKeyId: r.accessKeyId,
    EventTime: new Date(r.eventTime),
    EventSource: r.eventSource,
    Username: r.username,
    Resources: r.resources.map((x) => ({ ResourceType: x.type, ResourceName: x.name })),
    CloudTrailEvent: r.body,
  };
}

/** The query a token belongs to (as asked: default times move): a token used with other filters is refused. */
const fingerprint = (ctx: RequestContext, input: LookupEventsRequest): string => {
  const a = input.LookupAttributes?.[0];
  const ms = (d: Date | undefined) => (d === undefined ? '' : new Date(d).getTime());
  return JSON.stringify([
    ctx.accountId,
    ctx.region,
    a?.AttributeKey ?? '',
    a?.AttributeValue ?? '',
    ms(input.StartTime),
    ms(input.EndTime),
  ]);
};

function encodeToken(query: string, last: ApiCallRecord): string {
  return Buffer.from(JSON.stringify({ q: query, t: last.eventTime, id: last.eventId })).toString('base64url');
}

function decodeToken(token: string, query: string): { eventTime: number; eventId: string } {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; t?: unknown; id?: unknown };
    if (v.q === query && typeof v.t === 'number' && typeof v.id === 'string') return { eventTime: v.t, eventId: v.id };
  } catch {
    // fall through: not a token of ours
  }
  throw CloudtrailErrors.InvalidNextTokenException('Invalid NextToken.');
}
