import type { JetStreamConnection } from './connection.js';
import type { StreamNames } from './streams.js';
import type { ClaimedDelivery, DeliveryView, EventQuery, EventView, NewEvent } from '../store.js';

/** An event as stored in the events stream, with the ids of the deliveries queued for it. */
export interface EventMessage {
  readonly eventId: string;
  readonly busArn: string;
  readonly ingestedAt: number;
  readonly body: string;
  readonly rules: readonly string[];
  readonly deliveries: readonly { readonly id: number; readonly ruleArn: string; readonly target: string; readonly dueAt: number }[];
}

/**
 * A delivery as queued: a copy of what the worker needs, so a claim is one message. Its id is its
 * sequence in the deliveries stream.
 */
export type DeliveryMessage = Omit<ClaimedDelivery, 'id' | 'attempts'> & { readonly dueAt: number };

/** The last recorded state of a delivery (outcomes stream). */
export interface OutcomeMessage {
  readonly status: 'retry' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly error: string | null;
  readonly dueAt: number;
  readonly at: number;
}

const decoder = new TextDecoder();
export const parse = <T>(data: Uint8Array): T => JSON.parse(decoder.decode(data)) as T;

/** The event history: appends (one message per event), reads newest first, pruning. */
export class EventLog {
  constructor(
    private readonly c: JetStreamConnection,
    private readonly n: StreamNames,
  ) {}

  /**
   * Publishes one event, naming the deliveries already queued for it; resolves with its
   * sequence, or null when its idempotency key was seen within the dedup window.
   */
  async append(e: NewEvent, deliveryIds: readonly number[]): Promise<number | null> {
    const message: EventMessage = {
      eventId: e.eventId,
      busArn: e.busArn,
      ingestedAt: e.ingestedAt,
      body: e.body,
      rules: e.rules,
      deliveries: e.deliveries.map((d, i) => ({ id: deliveryIds[i]!, ruleArn: d.ruleArn, target: d.target, dueAt: d.dueAt })),
    };
    const ack = await this.c.requests.publish(
      this.n.event,
      JSON.stringify(message),
      e.idempotencyKey !== undefined ? { msgID: e.idempotencyKey } : {},
    );
    return ack.duplicate ? null : ack.seq;
  }

  /** The event at `seq`; null when it was pruned (or never there). */
  async get(seq: number): Promise<EventMessage | null> {
    const data = await this.c.storedMessage(this.n.events, { seq });
    return data ? parse<EventMessage>(data) : null;
  }

  /** Bytes the events stream holds (what --history-max-bytes is held against on a cluster). */
  async bytes(): Promise<number> {
    return (await this.c.jsm.streams.info(this.n.events)).state.bytes;
  }

  async bounds(): Promise<{ first: number; last: number }> {
    const s = (await this.c.jsm.streams.info(this.n.events)).state;
    return { first: s.first_seq, last: s.last_seq };
  }

  /**
   * Newest first, walking back from the end in chunks of direct gets. Filters are applied while
   * walking; at most `scanLimit` messages are looked at per call (a history page, not a query engine).
   */
  async read(
    query: EventQuery,
    outcomes: (seq: number, e: EventMessage) => Promise<DeliveryView[]>,
    scanLimit = 20_000,
  ): Promise<EventView[]> {
    const { first, last } = await this.bounds();
    let seq = Math.min(last, (query.beforeSeq ?? Infinity) - 1);
    const out: EventView[] = [];
    let scanned = 0;
    while (seq >= first && out.length < query.limit && scanned < scanLimit) {
      const chunk = Array.from({ length: Math.min(64, seq - first + 1) }, (_, i) => seq - i);
      const got = await Promise.all(chunk.map((s) => this.get(s)));
      for (let i = 0; i < chunk.length && out.length < query.limit; i++) {
        const e = got[i];
        if (!e || !matches(e, query)) continue;
        const s = chunk[i]!;
        out.push({
          seq: s,
          eventId: e.eventId,
          busArn: e.busArn,
          ingestedAt: e.ingestedAt,
          body: e.body,
          rules: e.rules,
          deliveries: await outcomes(s, e),
        });
      }
      scanned += chunk.length;
      seq -= chunk.length;
    }
    return out;
  }

  async remove(seq: number): Promise<void> {
    await this.c.jsm.streams.deleteMessage(this.n.events, seq, false);
  }
}

function matches(e: EventMessage, q: EventQuery): boolean {
  if (q.busArn !== undefined && e.busArn !== q.busArn) return false;
  // The control API's scope in credentials mode: only that account's buses.
  if (q.account !== undefined && e.busArn.split(':')[4] !== q.account) return false;
  if (q.from !== undefined && e.ingestedAt < q.from) return false;
  if (q.to !== undefined && e.ingestedAt > q.to) return false;
  return true;
}
