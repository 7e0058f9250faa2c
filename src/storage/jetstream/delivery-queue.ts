import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/transport-node';
import type { ClaimedDelivery, DeliveryCounts, DeliveryOutcome, DeliveryView } from '../store.js';
import type { JetStreamConnection } from './connection.js';
import type { NewEvent } from '../store.js';
import { parse, type DeliveryMessage, type EventMessage, type OutcomeMessage } from './event-log.js';
import { ack, nak, pullNow, term } from './pull.js';
import type { StreamNames } from './streams.js';

const ns = (ms: number): number => ms * 1_000_000;
const WORKERS = 'workers';

/**
 * The delivery queue on JetStream's own mechanisms:
 *  - a claim is a delivery of the shared pull consumer `workers` (explicit acks): every node
 *    pulls from it, the server hands each message to one puller at a time;
 *  - the lease is the consumer's ack wait: a node that dies with deliveries in flight stops
 *    acking, and the server redelivers them to another node when the ack wait runs out;
 *  - retry-at is a nak with a delay (the server holds the message back until then);
 *  - settle is ack (delivered) or term (failed: never redelivered); work-queue retention then
 *    removes the message, and the outcome is recorded on the outcomes stream for the history;
 *  - an event's deliveries are published BEFORE the event (each publish is atomic on its own, and
 *    nats-server 2.9 has no atomic batch): an acknowledged event therefore always has its
 *    deliveries queued. A node that dies between the two leaves deliveries of an event that is not
 *    in the history and was not acknowledged to its client — delivered all the same (at least
 *    once). Deliveries of events with an idempotency key carry `<key>/<index>` message ids, so a
 *    repeated append queues nothing new.
 */
export class DeliveryQueue {
  /** Deliveries this node holds: id → ack subject. */
  private readonly held = new Map<number, string>();
  private ackWaitMs: number;
  private wakeSub: Subscription | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly c: JetStreamConnection,
    private readonly n: StreamNames,
    leaseMs: number,
  ) {
    this.ackWaitMs = leaseMs;
  }

  async open(): Promise<void> {
    await this.ensureConsumer(this.n.deliveries, { durable_name: WORKERS, ack_wait: ns(this.ackWaitMs), filter_subject: this.n.delivery });
    // Another node queued deliveries. A queue group: each announcement wakes ONE node (the
    // appending node's own worker is woken by its event feed), so N nodes do not all pull for it.
    this.wakeSub = this.c.nc.subscribe(this.n.wake, { queue: 'workers', callback: () => this.listeners.forEach((l) => l()) });
  }

  private async ensureConsumer(stream: string, cfg: { durable_name: string; ack_wait: number; filter_subject: string }): Promise<void> {
    await this.c.settled(`consumer ${cfg.durable_name}`, () => this.putConsumer(stream, cfg));
  }

  private async putConsumer(stream: string, cfg: { durable_name: string; ack_wait: number; filter_subject: string }): Promise<void> {
    const full = { ...cfg, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_deliver: -1, max_ack_pending: 100_000 };
    let exists = true;
    try {
      await this.c.jsm.consumers.info(stream, cfg.durable_name);
    } catch (err) {
      if (!/not found/i.test(String((err as Error).message))) throw err;
      exists = false;
    }
    if (exists) await this.c.jsm.consumers.update(stream, cfg.durable_name, { ack_wait: cfg.ack_wait });
    else
      await this.c.jsm.consumers.add(stream, full).catch(async (err: unknown) => {
        if (!/already|exists/i.test(String((err as Error).message))) throw err;
      });
  }

  /** Calls `wake` when some node queued deliveries. */
  onQueued(wake: () => void): () => void {
    this.listeners.add(wake);
    return () => this.listeners.delete(wake);
  }

  /** Queues an event's deliveries; resolves with their ids (a repeated keyed append gets the first ids back). */
  async publish(e: NewEvent): Promise<number[]> {
    const acks = await Promise.all(
      e.deliveries.map((d, index) => {
        const m: DeliveryMessage = {
          eventId: e.eventId,
          busArn: e.busArn,
          ingestedAt: e.ingestedAt,
          body: e.body,
          ruleArn: d.ruleArn,
          target: d.target,
          dueAt: d.dueAt,
        };
        return this.c.requests.publish(
          this.n.delivery,
          JSON.stringify(m),
          e.idempotencyKey !== undefined ? { msgID: `${e.idempotencyKey}/${index}` } : {},
        );
      }),
    );
    return acks.map((a) => a.seq);
  }

  /** Tells every node's worker (this one's too) that deliveries were queued: one core NATS message, not stored. */
  announce(): void {
    this.c.nc.publish(this.n.wake);
  }

  async claim(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    if (leaseMs !== this.ackWaitMs) {
      await this.c.jsm.consumers.update(this.n.deliveries, WORKERS, { ack_wait: ns(leaseMs) });
      this.ackWaitMs = leaseMs;
    }
    const pulled = await pullNow(this.c.nc, this.n.deliveries, WORKERS, limit);
    const out: ClaimedDelivery[] = [];
    await Promise.all(
      pulled.map(async (p) => {
        const d = parse<DeliveryMessage>(p.data);
        if (d.dueAt > now) return nak(this.c.requests, p.reply, d.dueAt - now);
        // Redelivered: after a retry (its attempts are on the outcomes stream) or a lost lease.
        const attempts = p.deliveryCount > 1 ? ((await this.outcome('retry', p.seq))?.attempts ?? 0) : 0;
        this.held.set(p.seq, p.reply);
        const { eventId, busArn, ingestedAt, body, ruleArn, target } = d;
        out.push({ id: p.seq, eventId, busArn, ingestedAt, body, ruleArn, target, attempts });
      }),
    );
    return out.sort((a, b) => a.id - b.id);
  }

  async settle(now: number, outcomes: readonly DeliveryOutcome[]): Promise<void> {
    await Promise.all(outcomes.map((o) => this.settleOne(now, o)));
  }

  private async settleOne(now: number, o: DeliveryOutcome): Promise<void> {
    const reply = this.held.get(o.id);
    this.held.delete(o.id);
    const record: OutcomeMessage = {
      status: o.status,
      attempts: o.attempts,
      error: 'error' in o ? o.error : null,
      dueAt: o.status === 'retry' ? o.dueAt : now,
      at: now,
    };
    await this.c.requests.publish(this.subject(o.status, o.id), JSON.stringify(record));
    if (o.status !== 'retry' && o.attempts > 1) await this.c.jsm.streams.purge(this.n.outcomes, { filter: this.subject('retry', o.id) });
    if (!reply) return; // not held here (released, or the lease ran out): the queue offers it again
    if (o.status === 'delivered') await ack(this.c.requests, reply);
    else if (o.status === 'failed') await term(this.c.requests, reply);
    else await nak(this.c.requests, reply, o.dueAt - now);
  }

  private subject(status: OutcomeMessage['status'], id: number): string {
    return `${this.n.outcome}.${status}.${id}`;
  }

  async outcome(status: OutcomeMessage['status'], id: number): Promise<OutcomeMessage | null> {
    const data = await this.c.storedMessage(this.n.outcomes, { last_by_subj: this.subject(status, id) });
    return data ? parse<OutcomeMessage>(data) : null;
  }

  /** The history's view of an event's deliveries: the terminal outcome, else the last retry, else pending. */
  async views(e: EventMessage): Promise<DeliveryView[]> {
    return Promise.all(
      e.deliveries.map(async (d) => {
        const [delivered, failed, retry] = await Promise.all((['delivered', 'failed', 'retry'] as const).map((s) => this.outcome(s, d.id)));
        const o = delivered ?? failed ?? retry;
        return {
          id: d.id,
          ruleArn: d.ruleArn,
          target: d.target,
          status: o && o.status !== 'retry' ? o.status : 'pending',
          attempts: o?.attempts ?? 0,
          dueAt: o?.status === 'retry' ? o.dueAt : d.dueAt,
          lastError: o?.error ?? null,
          updatedAt: o?.at ?? e.ingestedAt,
        } satisfies DeliveryView;
      }),
    );
  }

  /** True when every delivery of the event is delivered or failed. */
  async settled(e: EventMessage): Promise<boolean> {
    const views = await this.views(e);
    return views.every((v) => v.status !== 'pending');
  }

  /** Drops the outcome records of an event's deliveries (the event is being pruned). */
  async forget(e: EventMessage): Promise<void> {
    await Promise.all(e.deliveries.map((d) => this.c.jsm.streams.purge(this.n.outcomes, { filter: `${this.n.outcome}.*.${d.id}` })));
  }

  async counts(): Promise<DeliveryCounts> {
    const [info, delivered, failed] = await Promise.all([
      this.c.jsm.streams.info(this.n.deliveries),
      this.countSubjects(`${this.n.outcome}.delivered.>`),
      this.countSubjects(`${this.n.outcome}.failed.>`),
    ]);
    return { pending: info.state.messages, delivered, failed };
  }

  /** Messages on a subject filter: an ephemeral consumer's pending count (the server counts). */
  private async countSubjects(filter: string): Promise<number> {
    const ci = await this.c.jsm.consumers.add(this.n.outcomes, {
      filter_subject: filter,
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
      inactive_threshold: ns(5_000),
      mem_storage: true,
      num_replicas: 1,
    });
    await this.c.jsm.consumers.delete(this.n.outcomes, ci.name).catch(() => undefined);
    return ci.num_pending;
  }

  /**
   * Now when something is waiting; soon when deliveries are in flight or held back (the server
   * times those: nak delays, ack waits); else null. The consumer's counts are asked at most every
   * 500 ms: the worker asks after every round, and a consumer-info request is not free.
   */
  async nextDueAt(now: number): Promise<number | null> {
    const fresh = this.info === null || Date.now() - this.info.at >= 500;
    if (fresh) {
      const ci = await this.c.jsm.consumers.info(this.n.deliveries, WORKERS);
      this.info = { at: Date.now(), pending: ci.num_pending, inFlight: ci.num_ack_pending };
    }
    const { pending, inFlight } = this.info!;
    if (pending > 0) return fresh ? now : now + 50; // a remembered count may be spent already
    if (inFlight > 0) return now + 500;
    return null;
  }

  private info: { at: number; pending: number; inFlight: number } | null = null;

  /** Gives every held delivery back to the queue, due at once. */
  async release(): Promise<void> {
    const replies = [...this.held.values()];
    this.held.clear();
    await Promise.all(replies.map((r) => nak(this.c.requests, r, 0).catch(() => undefined)));
  }

  /** Consumer lag: deliveries waiting to be claimed and deliveries in flight, cluster-wide. */
  async lag(): Promise<{ waiting: number; inFlight: number }> {
    const w = await this.c.jsm.consumers.info(this.n.deliveries, WORKERS);
    return { waiting: w.num_pending, inFlight: w.num_ack_pending };
  }

  async close(): Promise<void> {
    await this.release();
    this.wakeSub?.unsubscribe();
  }
}
