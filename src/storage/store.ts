/**
 * The storage port. Everything amiwatch must not lose sits behind it, in three shapes that a
 * SQLite file and a NATS JetStream cluster can both implement:
 *
 *  - keyed resource state: small JSON documents (buses, rules with their targets) by kind and key,
 *    written atomically in groups;
 *  - an append-only event log: every accepted event with the rules it matched;
 *  - a delivery queue: one row per (event, rule, target), claimed when due, then completed,
 *    rescheduled (retry-at) or failed.
 *
 * The invariant the whole system leans on: `appendEvents` commits the events AND their deliveries
 * in one atomic write, so an acknowledged event always has its deliveries queued.
 *
 * The port knows no domain types (the import rules forbid it): documents and targets are JSON
 * text, owned and parsed by core.
 */

export interface ResourceRecord {
  readonly kind: string;
  readonly key: string;
  /** JSON text owned by core. */
  readonly doc: string;
}

/** A document written by another node (`doc: null`: deleted). */
export interface ResourceChange {
  readonly kind: string;
  readonly key: string;
  readonly doc: string | null;
}

/** What a store shared by several nodes says about the cluster (`/_amiwatch/health`, `amiwatch status`). */
export interface ClusterHealth {
  readonly engine: string;
  /** The server this node is connected to, and every server of the cluster it knows. */
  readonly connectedTo: string;
  readonly servers: readonly string[];
  /** JetStream answered the last request. */
  readonly jetstream: 'ok' | 'unavailable';
  readonly error?: string;
  /** amiwatch nodes connected to the cluster (their connection names). */
  readonly nodes: readonly string[];
  /** Deliveries waiting to be claimed and in flight, cluster-wide. */
  readonly lag: { readonly waiting: number; readonly inFlight: number } | null;
}

/** `doc: null` deletes the key. */
export interface ResourceWrite {
  readonly kind: string;
  readonly key: string;
  readonly doc: string | null;
}

export interface NewDelivery {
  /** The rule that matched, by ARN (history and metrics group by it). */
  readonly ruleArn: string;
  /** The target as it was when the event matched (JSON text owned by core). */
  readonly target: string;
  readonly dueAt: number;
}

export interface NewEvent {
  /** The event's `id` (a UUID the caller already returned to the client). */
  readonly eventId: string;
  /** The bus it was put on, as its ARN. */
  readonly busArn: string;
  readonly ingestedAt: number;
  /** The full event JSON as targets receive it. */
  readonly body: string;
  /** Names of the rules that matched (history only). */
  readonly rules: readonly string[];
  readonly deliveries: readonly NewDelivery[];
  /**
   * Makes the append idempotent: an event whose key was appended before is skipped (with its
   * deliveries) and the append still succeeds. For producers that may offer the same event
   * again after a crash (amiwatch's EC2 relay).
   */
  readonly idempotencyKey?: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface ClaimedDelivery {
  readonly id: number;
  readonly eventId: string;
  readonly busArn: string;
  readonly ingestedAt: number;
  readonly body: string;
  readonly ruleArn: string;
  readonly target: string;
  /** Attempts already made before this claim. */
  readonly attempts: number;
}

export type DeliveryOutcome =
  | { readonly id: number; readonly status: 'delivered'; readonly attempts: number }
  | { readonly id: number; readonly status: 'retry'; readonly attempts: number; readonly dueAt: number; readonly error: string }
  | { readonly id: number; readonly status: 'failed'; readonly attempts: number; readonly error: string };

export interface DeliveryView {
  readonly id: number;
  readonly ruleArn: string;
  readonly target: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly dueAt: number;
  readonly lastError: string | null;
  readonly updatedAt: number;
}

export interface EventView {
  /** Position in the log: strictly increasing, usable as a cursor. */
  readonly seq: number;
  readonly eventId: string;
  readonly busArn: string;
  readonly ingestedAt: number;
  readonly body: string;
  readonly rules: readonly string[];
  readonly deliveries: readonly DeliveryView[];
}

export interface EventQuery {
  readonly busArn?: string;
  /** Only events on this account's buses (the control API's scope in credentials mode). */
  readonly account?: string;
  /** Inclusive bounds on ingestion time, ms since epoch. */
  readonly from?: number;
  readonly to?: number;
  /** Only events with seq below this (paging backwards from the newest). */
  readonly beforeSeq?: number;
  readonly limit: number;
}

export interface DeliveryCounts {
  readonly pending: number;
  readonly delivered: number;
  readonly failed: number;
}

export interface Store {
  /** True when several nodes use the same data at once (a cluster); absent or false: one owner. */
  readonly shared?: boolean;
  // ---- keyed resource state ----
  loadResources(kind: string): Promise<ResourceRecord[]>;
  /** Applies every write or none. */
  writeResources(writes: readonly ResourceWrite[]): Promise<void>;
  /**
   * Calls `onChange` for every later change to `kind`'s documents made through ANOTHER store
   * instance on the same data (another node of a cluster), in commit order; this instance's own
   * writes are not repeated. Resolves once the feed is live; the returned function ends it.
   * Services that keep resources in memory apply these to stay in step with the cluster. A store
   * with a single owner (SQLite: one process holds the file) has no other writer and never calls.
   */
  watchResources(kind: string, onChange: (change: ResourceChange) => void): Promise<() => void>;
  /**
   * For stores shared by several nodes: takes the one-time token `key` — true for the first
   * caller in the cluster, false for every other caller (on any node) while the token lives (a
   * few minutes: far longer than a write takes to reach every node). What a decision made from
   * a node's in-memory copy needs when another node may make the same decision at the same
   * moment: an SQS receive takes `<message>/<receive number>`. Absent on single-owner stores.
   */
  claimOnce?(key: string, value?: string): Promise<boolean>;
  /** What the winner of the token `key` stored with it (`claimOnce`'s value), or null when no one holds it. */
  claimHolder?(key: string): Promise<string | null>;
  /** Gives the token `key` back (its winner's write failed): the next `claimOnce` of it wins. */
  releaseClaim?(key: string): Promise<void>;

  // ---- event log + outbox ----
  /** Appends events and their deliveries in ONE atomic write; resolves once durable. */
  appendEvents(events: readonly NewEvent[]): Promise<void>;
  /** Newest first. */
  readEvents(query: EventQuery): Promise<EventView[]>;

  // ---- delivery queue ----
  /**
   * Claims up to `limit` pending deliveries due at or before `now`, oldest due first, and leases
   * them until `now + leaseMs`: a claimed delivery that is neither completed nor rescheduled
   * (the process died) becomes due again when the lease runs out.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /**
   * Records what happened to claimed deliveries, all in one atomic write: `delivered`,
   * `retry` (pending again, due at `dueAt`) or `failed` (given up: non-retriable, or a retry
   * limit reached). `attempts` is the total made so far.
   */
  settle(now: number, outcomes: readonly DeliveryOutcome[]): Promise<void>;
  /** The earliest due time of any pending delivery, or null when none is pending. */
  nextDueAt(): Promise<number | null>;
  /**
   * Ends every lease at once: in-flight deliveries are claimable again now. (A store reopened
   * after a crash or restart has no leases: what was in flight is due again at once.)
   */
  releaseLeases(now: number): Promise<void>;
  countDeliveries(): Promise<DeliveryCounts>;
  /**
   * Forgets events ingested before `before` whose deliveries are all settled (delivered or
   * failed), with their deliveries, at most `limit` events per call; returns how many went.
   * Events with a pending delivery are kept whatever their age.
   */
  pruneEvents(before: number, limit: number): Promise<number>;
  /**
   * For stores shared by several nodes: calls `wake` when deliveries became claimable without an
   * append through this instance (another node's events). Absent on single-owner stores.
   */
  onDeliveriesQueued?(wake: () => void): () => void;
  /** The cluster behind a shared store; absent on single-owner stores. */
  clusterHealth?(): Promise<ClusterHealth>;
  /**
   * Bytes the store's data takes now (for SQLite: the file's pages in use, free pages left out —
   * the event history is nearly all of it); what --history-max-bytes is held against.
   */
  usedBytes(): Promise<number>;

  close(): Promise<void>;
}
