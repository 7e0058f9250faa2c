import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { JetStreamConnection } from './connection.js';
import { parse } from './event-log.js';
import { pullNow } from './pull.js';

/** Messages handed over per pull while scanning. */
const BATCH = 1_000;

export interface Scanned<T> {
  /** The message's sequence in its stream (its position: ids and cursors are made of it). */
  readonly seq: number;
  readonly value: T;
  /** Size of the stored JSON, bytes. */
  readonly bytes: number;
}

/**
 * Every message of `stream` on subjects matching `filter` (from sequence `fromSeq` on), oldest
 * first, as parsed JSON. A
 * short-lived consumer (ephemeral, no acks, in memory, gone 30 s after its last use) is made for
 * the filter: JetStream's own subject index finds the messages, and the consumer's creation says
 * how many there are, so the read ends without waiting for a timeout. Used for the reads of the
 * archive, logs and CloudTrail adapters, which filter and order what one subject holds.
 */
export async function scanSubject<T>(c: JetStreamConnection, stream: string, filter: string, fromSeq = 1): Promise<Scanned<T>[]> {
  const info = await c.jsm.consumers.add(stream, {
    filter_subject: filter,
    ack_policy: AckPolicy.None,
    ...(fromSeq > 1 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq } : { deliver_policy: DeliverPolicy.All }),
    mem_storage: true,
    inactive_threshold: 30_000_000_000,
    num_replicas: 1,
  });
  const out: Scanned<T>[] = [];
  try {
    let remaining = info.num_pending;
    while (remaining > 0) {
      const got = await pullNow(c.nc, stream, info.name, Math.min(BATCH, remaining));
      if (got.length === 0) break; // removed while we read
      for (const m of got) out.push({ seq: m.seq, value: parse<T>(m.data), bytes: m.data.length });
      remaining -= got.length;
    }
  } finally {
    await c.jsm.consumers.delete(stream, info.name).catch(() => undefined);
  }
  return out;
}

/**
 * Waits (up to a minute, `settled`) until the stream hands out messages: after a restart of the
 * whole cluster, a stream answers its info before its leader is elected and its consumers work,
 * and the first read of a node's start (a trail load, a watch) would time out.
 */
export async function settledProbe(c: JetStreamConnection, stream: string, prefix: string): Promise<void> {
  await c.settled(`stream ${stream}`, () => scanSubject(c, stream, `${prefix}.probe`));
}

/** Base64url after a letter: any text as one subject token (no `.`, `*`, `>` or spaces, never empty). */
export const token = (s: string): string => `k${Buffer.from(s, 'utf8').toString('base64url')}`;

/** True for the error of a publish whose expected last subject sequence did not hold. */
export const wrongLastSequence = (err: unknown): boolean => /wrong last sequence/i.test(String((err as Error).message));
