import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventsService } from '../core/events/events-service.js';
import { busArn } from '../core/events/names.js';
import type { DeliveryTarget } from '../core/events/model.js';
import type { EventView, Store } from '../storage/store.js';
import type { ServiceHandler } from '../wire/service-handler.js';
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
  /** Other control endpoints, by path prefix (e.g. EC2's fault rules at /_amiwatch/ec2/faults). */
  readonly mounts?: readonly { prefix: string; handler: ServiceHandler }[];
}

/**
 * amiwatch's own API, beside the AWS ones (not AWS-compatible, not signed):
 *  - GET /_amiwatch/health — 200 once the server is ready;
 *  - GET /_amiwatch/status — health plus delivery counts by status (`amiwatch status`);
 *  - GET /_amiwatch/events?bus=&account=&region=&from=&to=&limit=&before= — recent events, newest
 *    first, with the rules they matched and each delivery's status and attempts;
 *  - GET /_amiwatch/events/stream — the same, live, as server-sent events (`event` / `delivery`).
 */
export class ControlApi {
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly o: ControlApiOptions) {}

  /** `scope`: who asks and for which account (control-access.ts decided it). */
  async handle(req: IncomingMessage, res: ServerResponse, body: Buffer, scope: ControlScope): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const mount = this.o.mounts?.find((m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`));
    if (mount) return this.forward(mount.handler, req, res, body, scope);
    if (req.method !== 'GET') return json(res, 405, { error: 'method not allowed' });
    switch (url.pathname) {
      case '/_amiwatch/health':
        // account/region/signaturesRequired let the console start without asking what the CLI knows.
        return json(res, 200, {
          status: 'ok',
          version: this.o.version,
          services: this.o.services(),
          account: this.o.defaultAccount,
          region: this.o.defaultRegion,
          signaturesRequired: this.o.signaturesRequired ?? false,
        });
      case '/_amiwatch/status':
        return json(res, 200, { status: 'ok', version: this.o.version, services: this.o.services(), deliveries: await this.o.store.countDeliveries() });
      case '/_amiwatch/events':
        return this.listEvents(url, res, scope);
      case '/_amiwatch/events/stream':
        return this.stream(res, scope);
      default:
        return json(res, 404, { error: `no such endpoint: ${url.pathname}` });
    }
  }

  private async forward(handler: ServiceHandler, req: IncomingMessage, res: ServerResponse, body: Buffer, scope: ControlScope): Promise<void> {
    const response = await handler({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers as Record<string, string | undefined>,
      body,
      context: { accountId: scope.accountId, region: scope.region, requestId: randomUUID() },
    });
    res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
    res.end(response.body);
  }

  /** Ends open streams (server shutdown). */
  closeStreams(): void {
    for (const s of this.streams) s.end();
    this.streams.clear();
  }

  private async listEvents(url: URL, res: ServerResponse, scope: ControlScope): Promise<void> {
    const q = url.searchParams;
    const num = (name: string): number | undefined => {
      const v = q.get(name);
      if (v === null) return undefined;
      const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
      if (!Number.isFinite(n)) throw new Error(`${name}: expected epoch milliseconds or an ISO 8601 time, got ${v}`);
      return n;
    };
    let query;
    try {
      const bus = q.get('bus');
      const limit = Math.min(num('limit') ?? 100, 1000);
      query = {
        limit,
        ...(bus !== null && {
          busArn: bus.startsWith('arn:') ? bus : busArn(q.get('region') ?? this.o.defaultRegion, q.get('account') ?? this.o.defaultAccount, bus),
        }),
        ...(num('from') !== undefined && { from: num('from')! }),
        ...(num('to') !== undefined && { to: num('to')! }),
        ...(num('before') !== undefined && { beforeSeq: num('before')! }),
        // A signed caller sees its own account's buses only, whatever `bus` names.
        ...(scope.restricted && { account: scope.accountId }),
      };
    } catch (err) {
      return json(res, 400, { error: (err as Error).message });
    }
    const events = await this.o.store.readEvents(query);
    const last = events[events.length - 1];
    json(res, 200, { events: events.map(view), ...(events.length === query.limit && last && { next: String(last.seq) }) });
  }

  private stream(res: ServerResponse, scope: ControlScope): void {
    const visible = (busArn: string) => !scope.restricted || busArn.split(':')[4] === scope.accountId;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': amiwatch event stream\n\n');
    this.streams.add(res);
    // A client that stops reading is cut off rather than buffered without bound.
    const write = (text: string) => {
      if (res.writableLength > 8 * 1024 * 1024) res.destroy();
      else res.write(text);
    };
    const offEvents = this.o.events.feed.onEvents((events) => {
      for (const e of events) {
        if (!visible(e.busArn)) continue;
        write(`event: event\ndata: ${JSON.stringify({ id: e.eventId, bus: e.busArn, ingestedAt: new Date(e.ingestedAt).toISOString(), rules: e.rules, deliveries: e.deliveries.length, event: JSON.parse(e.body) })}\n\n`);
      }
    });
    const offDeliveries = this.o.events.feed.onDelivery((d) => {
      if (!visible(d.ruleArn)) return;
      write(`event: delivery\ndata: ${JSON.stringify({ ...d, at: new Date(d.at).toISOString() })}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    res.on('close', () => {
      offEvents();
      offDeliveries();
      clearInterval(heartbeat);
      this.streams.delete(res);
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

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
