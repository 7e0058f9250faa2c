import { randomUUID } from 'node:crypto';
import type {
  ClaimedDelivery,
  ClusterHealth,
  DeliveryCounts,
  DeliveryOutcome,
  EventQuery,
  EventView,
  NewEvent,
  ResourceChange,
  ResourceRecord,
  ResourceWrite,
  Store,
} from '../store.js';
import type { KV } from '@nats-io/kv';
import type { JetStreamConnection } from './connection.js';
import { DeliveryQueue } from './delivery-queue.js';
import { EventLog } from './event-log.js';
import { NodeRegistry } from './node-registry.js';
import { ResourceBucket } from './resource-bucket.js';
import { ensureStreams, streamNames } from './streams.js';

/** KV keys allow `[-/_=.a-zA-Z0-9]`: a token's name goes in as base64url. */
const claimKey = (key: string): string => `c${Buffer.from(key, 'utf8').toString('base64url')}`;

export interface JetStreamStoreOptions {
  /**
   * The ack wait of the shared delivery consumer: how long a claim holds (the worker's lease).
   * One setting for the whole cluster (it belongs to the consumer): the node opened last sets it,
   * so every node should be started with the same value.
   */
  readonly leaseMs?: number;
  /** How long an idempotency key is remembered (the events stream's dedup window). Default 1 h. */
  readonly dedupWindowMs?: number;
  /** Intents older than this whose writer did not finish are replayed (default 5 s). */
  readonly intentStaleMs?: number;
  /** This node's name in the cluster's node list; absent: the node is not listed. */
  readonly nodeName?: string;
  /** How long a `claimOnce` token lives (the `amiwatch_claims` bucket's max age). Default 5 min. */
  readonly claimWindowMs?: number;
  /** Close the connection with the store (tests: one connection per store instance). */
  readonly ownsConnection?: boolean;
}

/**
 * The Store port on NATS JetStream: several amiwatch nodes share one cluster. Resources in a KV
 * bucket (resource-bucket.ts), events on a stream (event-log.ts), deliveries on a work-queue
 * stream claimed through a shared consumer (delivery-queue.ts). The connection is the caller's
 * (one per node, shared with the EC2 and Lambda adapters); `close` leaves it open.
 */
export class JetStreamStore implements Store {
  readonly shared = true;
  private recoverTimer: NodeJS.Timeout | null = null;
  private registry: NodeRegistry | null = null;

  private constructor(
    private readonly c: JetStreamConnection,
    private readonly resources: ResourceBucket,
    private readonly log: EventLog,
    private readonly queue: DeliveryQueue,
    private readonly staleMs: number,
    private readonly ownsConnection: boolean,
    private readonly claims: KV,
  ) {}

  static async open(c: JetStreamConnection, options: JetStreamStoreOptions = {}): Promise<JetStreamStore> {
    const names = streamNames(c);
    await ensureStreams(c, names, { dedupWindowMs: options.dedupWindowMs ?? 3_600_000 });
    const kv = await c.bucket('resources');
    const claims = await c.bucket('claims', { ttl: options.claimWindowMs ?? 300_000 });
    const store = new JetStreamStore(
      c,
      new ResourceBucket(kv, c.name('resources'), c.requests, c.jsm, randomUUID),
      new EventLog(c, names),
      new DeliveryQueue(c, names, options.leaseMs ?? 60_000),
      options.intentStaleMs ?? 5_000,
      options.ownsConnection ?? false,
      claims,
    );
    await store.queue.open();
    if (options.nodeName) store.registry = await NodeRegistry.open(c, options.nodeName);
    // After a cluster restart, consumers (which every load and watch creates) answer last: probe.
    await c.settled('resources', () => store.resources.load('amiwatch.probe'));
    // Groups of writes a dead node left half-applied are finished before anything is loaded.
    await c.settled('resource intents', () => store.resources.recover(Date.now(), store.staleMs));
    store.recoverTimer = setInterval(() => void store.resources.recover(Date.now(), store.staleMs).catch(() => undefined), store.staleMs);
    store.recoverTimer.unref();
    return store;
  }

  loadResources(kind: string): Promise<ResourceRecord[]> {
    return this.resources.load(kind);
  }

  writeResources(writes: readonly ResourceWrite[]): Promise<void> {
    return this.resources.write(writes);
  }

  watchResources(kind: string, onChange: (change: ResourceChange) => void): Promise<() => void> {
    return this.resources.watch(kind, onChange);
  }

  /** Every kind's changes made by other nodes (remote-changes.ts feeds the console's change stream from it). */
  watchAllResources(onChange: (change: ResourceChange) => void): Promise<() => void> {
    return this.resources.watchAll(onChange);
  }

  /** A KV create in `amiwatch_claims`: the server lets one create of a key succeed until the key expires. */
  async claimOnce(key: string, value = ''): Promise<boolean> {
    try {
      await this.claims.create(claimKey(key), value);
      return true;
    } catch (err) {
      if (/wrong last sequence|key exists/i.test(String((err as Error).message))) return false;
      throw err;
    }
  }

  async claimHolder(key: string): Promise<string | null> {
    const e = await this.claims.get(claimKey(key));
    return e && e.operation === 'PUT' ? e.string() : null;
  }

  async releaseClaim(key: string): Promise<void> {
    await this.claims.purge(claimKey(key));
  }

  /**
   * Each event's deliveries are queued first, then the event is published naming them
   * (delivery-queue.ts says why): once this resolves, every event is in the history and every
   * delivery in the queue. The events of one call are published together, not as one unit
   * (nats-server 2.9 has no multi-message atomic publish): a call that fails part-way rejects, and
   * the caller's retry may store some events twice unless they carry an idempotency key.
   */
  async appendEvents(events: readonly NewEvent[]): Promise<void> {
    const ids = await Promise.all(events.map((e) => (e.deliveries.length > 0 ? this.queue.publish(e) : Promise.resolve([]))));
    // Sent in call order on one connection: the log keeps the events in that order.
    await Promise.all(events.map((e, i) => this.log.append(e, ids[i]!)));
    if (ids.some((d) => d.length > 0)) this.queue.announce();
  }

  readEvents(query: EventQuery): Promise<EventView[]> {
    return this.log.read(query, (_seq, e) => this.queue.views(e));
  }

  claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.queue.claim(now, limit, leaseMs);
  }

  settle(now: number, outcomes: readonly DeliveryOutcome[]): Promise<void> {
    return this.queue.settle(now, outcomes);
  }

  nextDueAt(): Promise<number | null> {
    return this.queue.nextDueAt(Date.now());
  }

  async releaseLeases(_now: number): Promise<void> {
    await this.queue.release();
  }

  countDeliveries(): Promise<DeliveryCounts> {
    return this.queue.counts();
  }

  /** Oldest first; events with a pending delivery are kept; stops at the first event not old enough. */
  /** The event history's bytes on the cluster (the delivery queue and documents are small beside it). */
  usedBytes(): Promise<number> {
    return this.log.bytes();
  }

  async pruneEvents(before: number, limit: number): Promise<number> {
    const { first, last } = await this.log.bounds();
    let removed = 0;
    for (let seq = first; seq <= last && removed < limit; seq++) {
      const e = await this.log.get(seq);
      if (!e) continue;
      if (e.ingestedAt >= before) break;
      if (!(await this.queue.settled(e))) continue;
      await this.queue.forget(e);
      await this.log.remove(seq);
      removed++;
    }
    return removed;
  }

  onDeliveriesQueued(wake: () => void): () => void {
    return this.queue.onQueued(wake);
  }

  async clusterHealth(): Promise<ClusterHealth> {
    const servers = this.c.nc.getServer();
    const known =
      (this.c.nc as unknown as { protocol?: { servers?: { servers?: { listen: string }[] } } }).protocol?.servers?.servers?.map(
        (s) => s.listen,
      ) ?? [];
    try {
      const [lag, nodes] = await Promise.all([this.queue.lag(), this.nodes()]);
      return { engine: 'nats-jetstream', connectedTo: servers, servers: known, jetstream: 'ok', nodes, lag };
    } catch (err) {
      return {
        engine: 'nats-jetstream',
        connectedTo: servers,
        servers: known,
        jetstream: 'unavailable',
        error: (err as Error).message,
        nodes: [],
        lag: null,
      };
    }
  }

  /** The amiwatch nodes, as they announce themselves (node-registry.ts). */
  private async nodes(): Promise<string[]> {
    if (!this.registry) return [];
    return (await this.registry.list()).map((n) => (n.url ? `${n.name} ${n.url}` : n.name));
  }

  /** This node's entry in the cluster's node list: where it answers. */
  listening(url: string): void {
    this.registry?.listening(url);
  }

  async close(): Promise<void> {
    if (this.recoverTimer) clearInterval(this.recoverTimer);
    this.recoverTimer = null;
    await this.queue.close();
    await this.registry?.close();
    if (this.ownsConnection) await this.c.close();
  }
}
