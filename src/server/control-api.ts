import { randomUUID } from 'node:crypto';
import type { EventsService } from '../core/events/events-service.js';
import { busArn } from '../core/events/names.js';
import type { DeliveryTarget } from '../core/events/model.js';
import type { ChangeFeed, ResourceChange } from '../storage/ports/change-feed.js';
import type { ClusterHealth, EventView, Store } from '../storage/store.js';
import { HistoryQueryError, searchHistory } from './event-history.js';
import type { ServiceHandler, WireResponse } from '../wire/service-handler.js';
import type { ControlScope } from './control-access.js';

export interface ControlApiOptions {
  readonly events: EventsService;
  readonly store: Store;
  readonly services: () => string[];
  readonly defaultAccount: string;
  readonly defaultRegion: string;
  readonly version: string;
  /** A credentials file is configured: callers (the console too) must sign with a known key. */
  readonly signaturesRequired?: boolean;
  /** Committed resource changes, for /_amiwatch/changes. */
  readonly changes?: ChangeFeed;
  /** Other control endpoints, by path prefix (e.g. EC2's fault rules at /_amiwatch/ec2/faults). */
  readonly mounts?: readonly { prefix: string; handler: ServiceHandler }[];
}

/**
 * amiwatch's own API, beside the AWS ones (not AWS-compatible, not signed):
 *  - GET /_amiwatch/health — 200 once the server is ready;
 *  - GET /_amiwatch/status — health plus delivery counts by status (`amiwatch status`);
 *  - GET /_amiwatch/events?bus=&account=&region=&from=&to=&limit=&before=&source=&detailType=&pattern=&rule=
 *    — recent events, newest first, with the rules they matched and each delivery's status and
 *    attempts; filtered on the server (event-history.ts);
 *  - GET /_amiwatch/events/stream — the same, live, as server-sent events (`event` / `delivery`);
 *  - GET /_amiwatch/changes?account=&region= — resource changes of one account and region as
 *    server-sent events (`change`, batched every 200 ms, one entry per resource and action).
 */
export interface ControlRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** Where a server-sent-event stream writes; `end` closes it (server shutdown). */
export interface EventSink {
  write(text: string): void;
  end(): void;
}

/**
 * A server-sent-event answer (`/_amiwatch/events/stream`, `/_amiwatch/changes`): the head and
 * first line as `body`, then whatever `open` writes to the sink until the function it returns is
 * called (the client went away). The adapter owns the socket: backpressure and keep-alives
 * (http-listener.ts); a caller that ignores `open` gets the first line alone.
 */
export interface EventStream extends WireResponse {
  open(sink: EventSink): () => void;
}

export type ControlResponse = WireResponse | EventStream;

export const isEventStream = (r: WireResponse): r is EventStream => typeof (r as Partial<EventStream>).open === 'function';

export class ControlApi {
  private readonly sinks = new Set<EventSink>();

  constructor(private readonly o: ControlApiOptions) {}

  /** `scope`: who asks and for which account (control-access.ts decided it). */
  async respond(req: ControlRequest, scope: ControlScope): Promise<ControlResponse> {
    const url = new URL(req.url, 'http://localhost');
    const mount = this.o.mounts?.find((m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`));
    if (mount) return this.forward(mount.handler, req, scope);
    if (req.method !== 'GET') return json(405, { error: 'method not allowed' });
    switch (url.pathname) {
      case '/_amiwatch/health':
        // account/region/signaturesRequired let the console start without asking what the CLI knows.
        return json(200, {
          status: 'ok',
          version: this.o.version,
          services: this.o.services(),
          account: this.o.defaultAccount,
          region: this.o.defaultRegion,
          signaturesRequired: this.o.signaturesRequired ?? false,
          ...(await this.cluster()),
        });
      case '/_amiwatch/status':
        return json(200, {
          status: 'ok',
          version: this.o.version,
          services: this.o.services(),
          deliveries: await this.o.store.countDeliveries(),
          ...(await this.cluster()),
        });
      case '/_amiwatch/events':
        return this.listEvents(url, scope);
      case '/_amiwatch/events/stream':
        return this.stream(scope);
      case '/_amiwatch/changes':
        return this.changes(url, scope);
      default:
        return json(404, { error: `no such endpoint: ${url.pathname}` });
    }
  }

  private forward(handler: ServiceHandler, req: ControlRequest, scope: ControlScope): Promise<WireResponse> {
    return handler({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: req.body,
      context: { accountId: scope.accountId, region: scope.region, requestId: randomUUID() },
    });
  }

  /** Ends open streams (server shutdown). */
  closeStreams(): void {
    for (const s of this.sinks) s.end();
    this.sinks.clear();
  }

  /** A stream whose sink is ended at shutdown; `subscribe` returns what stops it. */
  private eventStream(preamble: string, subscribe: (sink: EventSink) => () => void): EventStream {
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' },
      body: preamble,
      open: (sink) => {
        this.sinks.add(sink);
        const off = subscribe(sink);
        return () => {
          off();
          this.sinks.delete(sink);
        };
      },
    };
  }

  /** On a cluster (--nats-url): the nodes, JetStream's health and the delivery lag; nothing on SQLite. */
  private async cluster(): Promise<{ cluster?: ClusterHealth }> {
    return this.o.store.clusterHealth ? { cluster: await this.o.store.clusterHealth() } : {};
  }

  private async listEvents(url: URL, scope: ControlScope): Promise<WireResponse> {
    const q = url.searchParams;
    const num = (name: string): number | undefined => {
      const v = q.get(name);
      if (v === null) return undefined;
      const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
      if (!Number.isFinite(n)) throw new HistoryQueryError(`${name}: expected epoch milliseconds or an ISO 8601 time, got ${v}`);
      return n;
    };
    const text = (name: string): string | undefined => q.get(name)?.trim() || undefined;
    let page;
    try {
      const bus = q.get('bus');
      const region = q.get('region') ?? undefined;
      const account = q.get('account') ?? undefined;
      page = await searchHistory(this.o.store, {
        limit: Math.max(1, Math.min(num('limit') ?? 100, 1000)),
        ...(bus !== null && {
          busArn: bus.startsWith('arn:') ? bus : busArn(region ?? this.o.defaultRegion, account ?? this.o.defaultAccount, bus),
        }),
        ...(account !== undefined && { account }),
        ...(region !== undefined && { region }),
        ...(num('from') !== undefined && { from: num('from')! }),
        ...(num('to') !== undefined && { to: num('to')! }),
        ...(num('before') !== undefined && { beforeSeq: num('before')! }),
        ...(text('source') && { source: text('source')! }),
        ...(text('detailType') && { detailType: text('detailType')! }),
        ...(text('pattern') && { pattern: text('pattern')! }),
        ...(text('rule') && { rule: text('rule')! }),
        // A signed caller sees its own account's buses only, whatever `bus` names.
        ...(scope.restricted && { onlyAccount: scope.accountId }),
      });
    } catch (err) {
      if (err instanceof HistoryQueryError) return json(400, { error: err.message });
      throw err;
    }
    return json(200, { events: page.events.map(view), ...(page.next !== undefined && { next: String(page.next) }) });
  }

  /**
   * Resource changes of one account and region (changes published unscoped reach everyone).
   * Batched: a burst (a queue's thousand messages moved) is one message per 200 ms, each
   * resource named once.
   */
  private changes(url: URL, scope: ControlScope): ControlResponse {
    const feed = this.o.changes;
    if (!feed) return json(404, { error: 'no change feed' });
    // A signed caller follows its own account only (control-access.ts refused any other by name).
    const account = scope.restricted ? scope.accountId : (url.searchParams.get('account') ?? this.o.defaultAccount);
    const region = url.searchParams.get('region') ?? this.o.defaultRegion;
    const inScope = (c: ResourceChange) => (c.account === account || c.account === '*') && (c.region === region || c.region === '*');
    return this.eventStream(': amiwatch resource changes\n\n', (sink) => {
      let pending = new Map<string, Omit<ResourceChange, 'account' | 'region'>>();
      let timer: NodeJS.Timeout | null = null;
      const flush = () => {
        timer = null;
        const batch = [...pending.values()];
        pending = new Map();
        sink.write(`event: change\ndata: ${JSON.stringify({ changes: batch })}\n\n`);
      };
      const off = feed.subscribe((changes) => {
        for (const c of changes) {
          if (!inScope(c)) continue;
          pending.set(`${c.service} ${c.kind} ${c.id} ${c.action}`, { service: c.service, kind: c.kind, id: c.id, action: c.action });
        }
        if (pending.size > 0 && !timer) timer = setTimeout(flush, 200);
      });
      return () => {
        off();
        if (timer) clearTimeout(timer);
      };
    });
  }

  private stream(scope: ControlScope): EventStream {
    const visible = (busArn: string) => !scope.restricted || busArn.split(':')[4] === scope.accountId;
    return this.eventStream(': amiwatch event stream\n\n', (sink) => {
      const offEvents = this.o.events.feed.onEvents((events) => {
        for (const e of events) {
          if (!visible(e.busArn)) continue;
          sink.write(
            `event: event\ndata: ${JSON.stringify({ id: e.eventId, bus: e.busArn, ingestedAt: new Date(e.ingestedAt).toISOString(), rules: e.rules, deliveries: e.deliveries.length, event: JSON.parse(e.body) })}\n\n`,
          );
        }
      });
      const offDeliveries = this.o.events.feed.onDelivery((d) => {
        if (!visible(d.ruleArn)) return;
        sink.write(`event: delivery\ndata: ${JSON.stringify({ ...d, at: new Date(d.at).toISOString() })}\n\n`);
      });
      return () => {
        offEvents();
        offDeliveries();
      };
    });
  }
}

function view(e: EventView) {
  return {
    seq: e.seq,
    id: e.eventId,
    bus: e.busArn,
    ingestedAt: new Date(e.ingestedAt).toISOString(),
    rules: e.rules,
    event: JSON.parse(e.body) as unknown,
    deliveries: e.deliveries.map((d) => {
      const target = JSON.parse(d.target) as DeliveryTarget;
      return {
        id: d.id,
        rule: d.ruleArn,
        targetId: target.target.Id,
        targetArn: target.target.Arn,
        status: d.status,
        attempts: d.attempts,
        ...(d.status === 'pending' && { nextAttemptAt: new Date(d.dueAt).toISOString() }),
        ...(d.lastError !== null && { lastError: d.lastError }),
        updatedAt: new Date(d.updatedAt).toISOString(),
      };
    }),
  };
}

function json(status: number, body: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
