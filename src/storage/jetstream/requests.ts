import {
  createInbox,
  headers as natsHeaders,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';

export interface PublishOptions {
  /** `Nats-Msg-Id`: the stream's dedup window drops a second message with the same id. */
  readonly msgID?: string;
  /** `Nats-Expected-Last-Subject-Sequence`: compare-and-set on the subject's last message (0: none yet). */
  readonly lastSubjectSequence?: number;
  /** More headers (KV operation markers, amiwatch's own). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PubAck {
  readonly seq: number;
  readonly duplicate: boolean;
}

/**
 * Request/reply for the hot path: one wildcard inbox subscription, a map of waiting requests and
 * one timer sweeping them. The client library's `request` (and `jetstream().publish`, built on it)
 * also builds a `RequestError` with a stack trace on every SUCCESSFUL request, when it cancels
 * the finished request, plus a timer per request: measured at ~9% of a node's CPU under PutEvents
 * load. What is sent is the same — a message with a reply subject, as the NATS protocol and the
 * JetStream API describe.
 */
export class Requests {
  private readonly prefix = createInbox();
  private readonly pending = new Map<string, { resolve: (m: Msg) => void; reject: (e: Error) => void; at: number; subject: string }>();
  private next = 0;
  private readonly sub: Subscription;
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 10_000,
  ) {
    this.sub = nc.subscribe(`${this.prefix}.*`, { callback: (_err, m) => this.answer(m) });
    this.sweep = setInterval(() => this.expire(), 500);
    this.sweep.unref();
  }

  request(subject: string, data?: string | Uint8Array, headers?: MsgHdrs): Promise<Msg> {
    const token = (++this.next).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      this.pending.set(token, { resolve, reject, at: Date.now(), subject });
      try {
        this.nc.publish(subject, data, { reply: `${this.prefix}.${token}`, ...(headers && { headers }) });
      } catch (err) {
        this.pending.delete(token);
        reject(err as Error);
      }
    });
  }

  /** A JetStream publish: resolves with the stream's acknowledgement, rejects with its error text. */
  async publish(subject: string, data?: string | Uint8Array, o: PublishOptions = {}): Promise<PubAck> {
    let h: MsgHdrs | undefined;
    const extra = Object.entries(o.headers ?? {});
    if (o.msgID !== undefined || o.lastSubjectSequence !== undefined || extra.length > 0) {
      h = natsHeaders();
      if (o.msgID !== undefined) h.set('Nats-Msg-Id', o.msgID);
      if (o.lastSubjectSequence !== undefined) h.set('Nats-Expected-Last-Subject-Sequence', String(o.lastSubjectSequence));
      for (const [k, v] of extra) h.set(k, v);
    }
    const m = await this.request(subject, data, h);
    const r = m.json<{ seq?: number; duplicate?: boolean; error?: { code: number; err_code?: number; description: string } }>();
    if (r.error) throw new Error(`${r.error.description} (${r.error.err_code ?? r.error.code})`);
    return { seq: r.seq!, duplicate: r.duplicate === true };
  }

  private answer(m: Msg): void {
    const token = m.subject.slice(this.prefix.length + 1);
    const p = this.pending.get(token);
    if (!p) return;
    this.pending.delete(token);
    if (m.headers?.code === 503) p.reject(new Error(`no responders: nothing serves ${p.subject} (is JetStream up?)`));
    else p.resolve(m);
  }

  private expire(): void {
    const limit = Date.now() - this.timeoutMs;
    for (const [token, p] of this.pending) {
      if (p.at > limit) continue;
      this.pending.delete(token);
      p.reject(new Error(`timeout: ${p.subject} did not answer within ${this.timeoutMs} ms`));
    }
  }

  close(): void {
    clearInterval(this.sweep);
    this.sub.unsubscribe();
    for (const p of this.pending.values()) p.reject(new Error('connection closed'));
    this.pending.clear();
  }
}
