import type { PutEventsRequest, PutEventsRequestEntry, PutEventsResponse, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { EventSyntaxError } from '@amiwatch/event-pattern';
import type { NewDelivery, NewEvent, Store } from '../../storage/store.js';
import type { Clock } from '../shared/clock.js';
import { isoSeconds } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import type { EventFeed } from './event-feed.js';
import type { BusEntry, EventsState } from './events-state.js';
import { resolveBus } from './names.js';
import type { Organizations } from './organizations.js';
import { allowsPutEvents } from './permissions.js';
import { EventsErrors } from '../generated/errors.js';

/** "PutEvents: 10 entries per request"; total entry size must stay under 256 KB. */
export const MAX_ENTRIES = 10;
export const MAX_REQUEST_SIZE = 256 * 1024;

/**
 * AWS's formula ("Calculating PutEvents event entry size"): 14 bytes if Time is set, plus the
 * UTF-8 bytes of Source, DetailType, Detail and every Resource.
 */
export function entrySize(e: PutEventsRequestEntry): number {
  let size = e.Time !== undefined ? 14 : 0;
  if (e.Source !== undefined) size += Buffer.byteLength(e.Source, 'utf8');
  if (e.DetailType !== undefined) size += Buffer.byteLength(e.DetailType, 'utf8');
  if (e.Detail !== undefined) size += Buffer.byteLength(e.Detail, 'utf8');
  for (const r of e.Resources ?? []) size += Buffer.byteLength(r, 'utf8');
  return size;
}

/** An event to put on a bus, already validated. */
export interface Envelope {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly resources: readonly string[];
  readonly account: string;
  readonly region: string;
  /** The event's `time`, ms. */
  readonly time: number;
}

const entryError = (ErrorCode: string, ErrorMessage: string): PutEventsResultEntry => ({ ErrorCode, ErrorMessage });

/**
 * The ingestion path. Builds each envelope as AWS fills it (version "0", a fresh v4 id, `time`
 * to the second, account and region of the caller, `resources` or []), matches it against the
 * bus's enabled rules, and appends events and one delivery per (matching rule, target) in ONE
 * store write before answering. Targets are never awaited here.
 */
export class Ingestion {
  private readonly times = new SecondFormatter();

  constructor(
    private readonly state: EventsState,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly feed: EventFeed,
    private readonly organizations: Organizations,
  ) {}

  async putEvents(ctx: RequestContext, input: PutEventsRequest): Promise<PutEventsResponse> {
    const entries = input.Entries ?? [];
    if (entries.length > MAX_ENTRIES || entries.length === 0) {
      throw EventsErrors.ValidationException(
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
      );
    }
    let total = 0;
    for (const e of entries) total += entrySize(e);
    if (total >= MAX_REQUEST_SIZE) throw EventsErrors.ValidationException('Total size of the entries in the request is over the limit.');

    const now = this.clock.now();
    const results: PutEventsResultEntry[] = [];
    const batch: NewEvent[] = [];
    let failed = 0;
    for (const e of entries) {
      const outcome = this.prepare(ctx, e, now);
      if ('eventId' in outcome) {
        batch.push(outcome);
        results.push({ EventId: outcome.eventId });
      } else {
        failed++;
        results.push(outcome);
      }
    }
    await this.append(batch);
    return { FailedEntryCount: failed, Entries: results };
  }

  /**
   * Trusted ingestion for amiwatch's own services (EC2's "EC2 AMI State Change"): `aws.*`
   * sources allowed, onto the account's default bus in that region, through the same durable
   * path. Resolves with the event ids once committed.
   */
  async putServiceEvents(events: readonly Envelope[], busName = 'default'): Promise<string[]> {
    const now = this.clock.now();
    const batch = events.map((env) => {
      const bus = this.state.bus(env.account, env.region, busName);
      if (!bus) throw EventsErrors.ResourceNotFoundException(`Event bus ${busName} does not exist.`);
      return this.build(bus, env, now);
    });
    await this.append(batch);
    return batch.map((b) => b.eventId);
  }

  /**
   * The AmiEventSink side of EC2 (and of future AWS services): a complete envelope built by the
   * service, id included, onto the default bus of its account and region. Idempotent on
   * (source, id): the service's relay may offer the same event again after a crash.
   * `readOnlyManagement` (CloudTrail's read-only API calls): only rules in state
   * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS receive it — an ENABLED rule "matches events
   * except for read-only AWS management events delivered through CloudTrail" (EventBridge guide).
   */
  async ingestServiceEvent(
    event: { readonly id: string; readonly source: string; readonly account: string; readonly region: string },
    readOnlyManagement = false,
  ): Promise<void> {
    const bus = this.state.bus(event.account, event.region, 'default')!;
    const body = JSON.stringify(event);
    const routed = this.route(
      bus,
      event as unknown as Record<string, unknown>,
      this.clock.now(),
      event.id,
      body,
      false,
      undefined,
      readOnlyManagement,
    );
    await this.append([{ ...routed, idempotencyKey: `${event.source}/${event.id}` }]);
  }

  /**
   * Puts an existing event (its JSON text, id kept) on another bus: the event-bus target.
   * Returns null on success or the reason it cannot be delivered (never retriable). With an
   * idempotency key (one per delivery), a redelivery after a crash does not land twice.
   * `ruleArn` is the forwarding rule (aws:SourceArn to the target bus's policy).
   */
  async forward(
    targetBusArn: string,
    body: string,
    fromAccount: string,
    idempotencyKey?: string,
    ruleArn?: string,
  ): Promise<{ code: string; message: string } | null> {
    const ref = resolveBus({ accountId: fromAccount, region: '', requestId: '' }, targetBusArn);
    const bus = this.state.bus(ref.account, ref.region, ref.name);
    if (!bus) return { code: 'NO_RESOURCE', message: `Event bus ${targetBusArn} does not exist.` };
    const event = JSON.parse(body) as Record<string, unknown>;
    const facts = { account: fromAccount, source: String(event.source), detailType: String(event['detail-type']), ruleArn };
    if (!allowsPutEvents(bus.doc, facts, this.organizations)) {
      return { code: 'NO_PERMISSIONS', message: `Account ${fromAccount} is not authorized to put events on ${targetBusArn}.` };
    }
    let routed: NewEvent;
    try {
      routed = this.route(bus, event, this.clock.now(), String(event.id), body, true);
    } catch (err) {
      if (err instanceof EventSyntaxError) return { code: 'MALFORMED_EVENT', message: 'The event is nested too deeply to be matched.' };
      throw err;
    }
    await this.append([idempotencyKey === undefined ? routed : { ...routed, idempotencyKey }]);
    return null;
  }

  /**
   * Puts archived events back on their bus for a replay: each carries `replay-name` (so the
   * bus's archive rules, which exclude it, do not archive it again), is matched only against
   * the rules in `only` when given (the replay's FilterArns), and is appended with an
   * idempotency key per archived copy, so a replay resumed after a crash sends nothing twice.
   * The event keeps its id and `time`; its ingestion time is now (retry limits count from it).
   */
  async replay(
    bus: BusEntry,
    items: readonly { readonly body: string; readonly key: string }[],
    replayName: string,
    only?: ReadonlySet<string>,
  ): Promise<void> {
    const now = this.clock.now();
    const batch: NewEvent[] = [];
    for (const item of items) {
      const event = JSON.parse(item.body) as Record<string, unknown>;
      event['replay-name'] = replayName;
      const routed = this.route(bus, event, now, String(event.id), JSON.stringify(event), false, only);
      batch.push({ ...routed, idempotencyKey: item.key });
    }
    await this.append(batch);
  }

  private prepare(ctx: RequestContext, e: PutEventsRequestEntry, now: number): NewEvent | PutEventsResultEntry {
    if (!e.Source) return entryError('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
    if (!e.DetailType)
      return entryError('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    if (!e.Detail) return entryError('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
    let detail: unknown;
    try {
      detail = JSON.parse(e.Detail);
    } catch {
      return entryError('MalformedDetail', 'Detail is malformed.');
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail))
      return entryError('MalformedDetail', 'Detail is malformed.');
    const detailText = e.Detail.trim();
    // Sources starting with "aws." are reserved for AWS services (eb-events).
    if (e.Source.startsWith('aws.')) return entryError('NotAuthorizedForSourceException', 'Not authorized for the source.');
    let bus: BusEntry | undefined;
    try {
      const ref = resolveBus(ctx, e.EventBusName);
      bus = ref.region === ctx.region ? this.state.bus(ref.account, ref.region, ref.name) : undefined;
      if (!bus) return entryError('ResourceNotFoundException', `Event bus ${e.EventBusName} does not exist.`);
    } catch (err) {
      return entryError('ValidationException', (err as Error).message);
    }
    if (!allowsPutEvents(bus.doc, { account: ctx.accountId, source: e.Source, detailType: e.DetailType }, this.organizations)) {
      return entryError(
        'AccessDeniedException',
        `User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: events:PutEvents on resource: ${bus.doc.arn} because no resource-based policy allows the events:PutEvents action`,
      );
    }
    const time = e.Time !== undefined ? new Date(e.Time).getTime() : now;
    try {
      return this.buildEntry(bus, e, ctx, detail as Record<string, unknown>, detailText, time, now);
    } catch (err) {
      // A Detail nested deeper than the matcher reads (1,000 levels): refused like any other bad Detail.
      if (err instanceof EventSyntaxError) return entryError('MalformedDetail', 'Detail is malformed.');
      throw err;
    }
  }

  private buildEntry(
    bus: BusEntry,
    e: PutEventsRequestEntry,
    ctx: RequestContext,
    detail: Record<string, unknown>,
    detailText: string,
    time: number,
    now: number,
  ): NewEvent {
    return this.build(
      bus,
      {
        source: e.Source!,
        detailType: e.DetailType!,
        detail,
        resources: e.Resources ?? [],
        account: ctx.accountId,
        region: ctx.region,
        time: Number.isFinite(time) ? time : now,
      },
      now,
      detailText,
    );
  }

  /**
   * The envelope as JSON text, written field by field in AWS's order: cheaper than stringifying
   * an object, and `detailText` (the caller's Detail, already parsed and checked to be an
   * object) goes in as sent instead of being serialised again.
   */
  private build(bus: BusEntry, env: Envelope, now: number, detailText = JSON.stringify(env.detail)): NewEvent {
    const id = this.random.uuid();
    const time = this.times.format(env.time);
    const event = {
      version: '0',
      id,
      'detail-type': env.detailType,
      source: env.source,
      account: env.account,
      time,
      region: env.region,
      resources: env.resources,
      detail: env.detail,
    };
    const body =
      `{"version":"0","id":"${id}","detail-type":${JSON.stringify(env.detailType)},"source":${JSON.stringify(env.source)},` +
      `"account":"${env.account}","time":"${time}","region":"${env.region}","resources":${JSON.stringify(env.resources)},"detail":${detailText}}`;
    return this.route(bus, event, now, id, body);
  }

  /**
   * Matches and plans the deliveries. A `forwarded` event (it came from another bus) is not sent
   * on to a third bus: "EventBridge can't route events received from a sender event bus to a
   * third event bus" (eb-bus-to-bus) — which also ends bus-to-bus loops.
   */
  private route(
    bus: BusEntry,
    event: Record<string, unknown>,
    now: number,
    eventId: string,
    body: string,
    forwarded = false,
    only?: ReadonlySet<string>,
    readOnlyManagement = false,
  ): NewEvent {
    const matched = bus.rules.size === 0 ? [] : bus.matcher.match(event);
    let rules = only ? matched.filter((name) => only.has(name)) : matched;
    if (readOnlyManagement)
      rules = rules.filter((name) => bus.rules.get(name)?.doc.state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    const deliveries: NewDelivery[] = [];
    for (const name of rules) {
      const rule = bus.rules.get(name);
      if (!rule) continue;
      const targets = rule.targetJson;
      for (let i = 0; i < targets.length; i++) {
        if (forwarded && rule.busTarget[i]) continue;
        deliveries.push({ ruleArn: rule.doc.arn, target: targets[i]!, dueAt: now });
      }
    }
    return { eventId, busArn: bus.doc.arn, ingestedAt: now, body, rules, deliveries };
  }

  private async append(batch: readonly NewEvent[]): Promise<void> {
    if (batch.length === 0) return;
    await this.store.appendEvents(batch);
    this.feed.publishEvents(batch);
  }
}

/** isoSeconds with a one-entry cache: under load most events share their second. */
class SecondFormatter {
  private second = NaN;
  private text = '';
  format(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.text = isoSeconds(ms);
    }
    return this.text;
  }
}
