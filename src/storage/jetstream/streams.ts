import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { JetStreamConnection } from './connection.js';

const ns = (ms: number): number => ms * 1_000_000;

/**
 * The streams of the Store adapter and what each holds (docs/scale-out.md has the table):
 *  - deliveries: the delivery queue, one message per (event, rule, target), each a copy of what
 *    the worker needs; its sequence is the delivery's id. Work-queue retention: a message leaves
 *    the stream when acked (delivered) or terminated (failed).
 *  - events: every accepted event, one message each, with the rules it matched and the ids of
 *    its deliveries. Limits retention: history, pruned by `pruneEvents`. Its dedup window makes
 *    idempotent appends (and the deliveries stream's, for the deliveries of keyed events).
 *  - outcomes: the last state of each settled or retried delivery, one subject per delivery and
 *    state (`out.<state>.<delivery id>`), one message per subject (a per-subject limit).
 */
export interface StreamNames {
  readonly events: string;
  readonly deliveries: string;
  readonly outcomes: string;
  readonly event: string;
  readonly delivery: string;
  /** Core NATS subject (not stored) on which a node says it queued deliveries: the others' workers wake. */
  readonly wake: string;
  /** `out` subject prefix. */
  readonly outcome: string;
}

export function streamNames(c: JetStreamConnection): StreamNames {
  const p = c.options.prefix ?? 'amiwatch';
  return {
    events: c.name('events'),
    deliveries: c.name('deliveries'),
    outcomes: c.name('outcomes'),
    event: `${p}.ev`,
    delivery: `${p}.dl`,
    wake: `${p}.wake`,
    outcome: `${p}.out`,
  };
}

export interface StreamTuning {
  /** How long an idempotency key is remembered (the events stream's dedup window). */
  readonly dedupWindowMs: number;
}

export async function ensureStreams(c: JetStreamConnection, n: StreamNames, t: StreamTuning): Promise<void> {
  await c.ensureStream({
    name: n.events,
    subjects: [n.event],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: ns(t.dedupWindowMs),
    allow_direct: true,
  });
  await c.ensureStream({
    name: n.deliveries,
    subjects: [n.delivery],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    // Deliveries of an event with an idempotency key carry `<key>/<index>` ids: the same window as the events'.
    duplicate_window: ns(t.dedupWindowMs),
    discard: DiscardPolicy.Old,
  });
  await c.ensureStream({
    name: n.outcomes,
    subjects: [`${n.outcome}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_msgs_per_subject: 1,
    allow_direct: true,
  });
}
