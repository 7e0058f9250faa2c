import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { JetStreamConnection } from './connection.js';

const ns = (ms: number): number => ms * 1_000_000;

/**
 * The streams of the Store adapter and what each holds (docs/scale-out.md has the table):
 *  - events: every accepted event, one message each, with the rules it matched and the
 *    deliveries it created (so one publish is atomic for an event and its deliveries). Limits
 *    retention: history, pruned by `pruneEvents`. Its dedup window makes idempotent appends.
 *  - deliveries: the delivery queue, one message per (event, rule, target). Work-queue retention:
 *    a message leaves the stream when acked (delivered) or terminated (failed).
 *  - outcomes: the last state of each settled or retried delivery, one subject per delivery and
 *    state (`out.<state>.<event seq>.<index>`), one message per subject (a per-subject limit).
 */
export interface StreamNames {
  readonly events: string;
  readonly deliveries: string;
  readonly outcomes: string;
  /** Subject of events with deliveries (the fan-out consumer reads only these). */
  readonly eventWith: string;
  readonly eventWithout: string;
  readonly delivery: string;
  /** `out` subject prefix. */
  readonly outcome: string;
}

export function streamNames(c: JetStreamConnection): StreamNames {
  const p = c.options.prefix ?? 'amiwatch';
  return {
    events: c.name('events'),
    deliveries: c.name('deliveries'),
    outcomes: c.name('outcomes'),
    eventWith: `${p}.ev.d`,
    eventWithout: `${p}.ev.n`,
    delivery: `${p}.dl`,
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
    subjects: [n.eventWith, n.eventWithout],
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
    // Covers the moment between the appending node's fan-out and the fan-out consumer's replay.
    duplicate_window: ns(10 * 60_000),
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
