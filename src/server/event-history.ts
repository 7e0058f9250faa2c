import { check, matches } from '@amiwatch/event-pattern';
import { busArn } from '../core/events/names.js';
import type { EventView, Store } from '../storage/store.js';

/**
 * The event history query behind GET /_amiwatch/events: the store pages events newest first by
 * bus and time; the filters a person searches with — account and region, source and detail-type
 * (substrings, as typed), an event pattern (matched by the same engine as rules), the rule that
 * matched — are applied
 * here, reading older pages until `limit` events match or SCAN_LIMIT were read. `next` then
 * continues the search where it stopped, so a search over a long history is never cut to the
 * newest page, and never reads the whole log in one request.
 */
export interface HistoryQuery {
  readonly limit: number;
  readonly busArn?: string;
  /** With no bus: only the buses of this account and region. */
  readonly account?: string;
  readonly region?: string;
  readonly from?: number;
  readonly to?: number;
  readonly beforeSeq?: number;
  readonly source?: string;
  readonly detailType?: string;
  readonly pattern?: string;
  /** Only events this rule (by name, on `busArn`) matched. */
  readonly rule?: string;
  /**
   * A signed caller's own account (credentials mode): every other account's events are left
   * out whatever the other filters say, `busArn` included (docs/security.md).
   */
  readonly onlyAccount?: string;
}

export interface HistoryPage {
  readonly events: EventView[];
  /** The cursor for older events (a `before` value), when there may be more. */
  readonly next?: number;
}

const SCAN_LIMIT = 5000;
const BATCH = 500;

export class HistoryQueryError extends Error {}

export function historyFilter(q: HistoryQuery): (e: EventView) => boolean {
  if (q.pattern !== undefined) {
    const problem = check(q.pattern);
    if (problem) throw new HistoryQueryError(`pattern: Event pattern is not valid. Reason: ${problem}`);
  }
  const prefix = q.busArn === undefined && q.account && q.region ? busArn(q.region, q.account, '') : null;
  const source = q.source?.toLowerCase();
  const detailType = q.detailType?.toLowerCase();
  return (e) => {
    if (q.onlyAccount !== undefined && e.busArn.split(':')[4] !== q.onlyAccount) return false;
    if (prefix && !e.busArn.startsWith(prefix)) return false;
    if (q.rule !== undefined && !e.rules.includes(q.rule)) return false;
    if (!source && !detailType && q.pattern === undefined) return true;
    const event = JSON.parse(e.body) as Record<string, unknown>;
    if (
      source &&
      !String(event.source ?? '')
        .toLowerCase()
        .includes(source)
    )
      return false;
    if (
      detailType &&
      !String(event['detail-type'] ?? '')
        .toLowerCase()
        .includes(detailType)
    )
      return false;
    return q.pattern === undefined || matches(q.pattern, event);
  };
}

export async function searchHistory(store: Store, q: HistoryQuery): Promise<HistoryPage> {
  const keep = historyFilter(q);
  const found: EventView[] = [];
  let before = q.beforeSeq;
  let scanned = 0;
  for (;;) {
    const batch = await store.readEvents({
      limit: BATCH,
      ...(q.busArn !== undefined && { busArn: q.busArn }),
      ...(q.onlyAccount !== undefined && { account: q.onlyAccount }),
      ...(q.from !== undefined && { from: q.from }),
      ...(q.to !== undefined && { to: q.to }),
      ...(before !== undefined && { beforeSeq: before }),
    });
    for (const e of batch) {
      scanned++;
      before = e.seq;
      if (keep(e)) found.push(e);
      if (found.length === q.limit) return { events: found, next: e.seq };
    }
    if (batch.length < BATCH) return { events: found };
    if (scanned >= SCAN_LIMIT) return { events: found, ...(before !== undefined && { next: before }) };
  }
}
