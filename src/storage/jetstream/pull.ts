import { createInbox, type NatsConnection } from '@nats-io/transport-node';
import type { Requests } from './requests.js';

/** A message handed out by a pull consumer, with what its ack subject says about it. */
export interface Pulled {
  /** Sequence of the message in its stream. */
  readonly seq: number;
  /** 1 at the first delivery; more when an ack wait ran out or the message was nak'ed. */
  readonly deliveryCount: number;
  readonly data: Uint8Array;
  /** The ack subject: `+ACK`, `-NAK`, `+TERM` go there. */
  readonly reply: string;
}

/**
 * Takes what a pull consumer can hand out right now, up to `batch` messages, without waiting for
 * more (`no_wait`). The client library's `fetch` waits at least a second for a full batch; the
 * delivery worker wants "what is due now" and returns at once when nothing is. So the request is
 * sent by hand, as the JetStream API describes it (`CONSUMER.MSG.NEXT` with `no_wait`), and the
 * answer ends at the server's status message (404 no messages / 408 request timeout).
 */
export async function pullNow(nc: NatsConnection, stream: string, consumer: string, batch: number, timeoutMs = 5_000): Promise<Pulled[]> {
  const inbox = createInbox();
  const out: Pulled[] = [];
  const sub = nc.subscribe(inbox);
  const timer = setTimeout(() => sub.unsubscribe(), timeoutMs);
  nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, JSON.stringify({ batch, no_wait: true }), { reply: inbox });
  try {
    for await (const m of sub) {
      const code = m.headers?.code ?? 0;
      if (code >= 100 || !m.reply) break; // 404 No Messages, 408, 409: the batch is over
      const meta = parseAckSubject(m.reply);
      out.push({ seq: meta.seq, deliveryCount: meta.delivered, data: m.data, reply: m.reply });
      if (out.length >= batch) break;
    }
  } finally {
    clearTimeout(timer);
    sub.unsubscribe();
  }
  return out;
}

/** `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>` (and the 2.10 form with domain and hash). */
export function parseAckSubject(subject: string): { delivered: number; seq: number } {
  const t = subject.split('.');
  const base = t.length >= 12 ? 6 : 4;
  return { delivered: Number(t[base]), seq: Number(t[base + 1]) };
}

/** Acks and waits for the server to confirm (so a lost ack cannot redeliver a settled message silently). */
export async function ack(r: Requests, reply: string): Promise<void> {
  await r.request(reply, '+ACK');
}

/** Gives the message back, redelivered after `delayMs` (the server's clock): a retry-at. Resolves once the server took it. */
export async function nak(r: Requests, reply: string, delayMs: number): Promise<void> {
  const ns = Math.max(0, Math.round(delayMs)) * 1_000_000;
  await r.request(reply, ns > 0 ? `-NAK ${JSON.stringify({ delay: ns })}` : '-NAK');
}

/** Never redelivered (a given-up delivery). */
export async function term(r: Requests, reply: string): Promise<void> {
  await r.request(reply, '+TERM');
}
