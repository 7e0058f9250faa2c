import type { ResourceChange, Store } from '../../storage/store.js';
import { loadFollowing } from '../shared/follow.js';
import { SqsErrors } from '../generated/errors.js';

/** Kind of the remembered ReceiveMessage attempts (key `<queue arn>#<attempt id>`). */
export const RECEIVE_ATTEMPT_KIND = 'sqs.receive-attempt';

/** "You can use ReceiveRequestAttemptId only for 5 minutes after a ReceiveMessage action." */
export const RECEIVE_ATTEMPT_WINDOW_MS = 5 * 60_000;

export interface ReceiveAttemptDoc {
  queueArn: string;
  attemptId: string;
  at: number;
  /** What the attempt handed out: each message, the receipt it was given and when it turns visible. */
  messages: { seq: number; receipt: string; visibleAt: number }[];
}

// Same character rule as MessageGroupId and MessageDeduplicationId (ReceiveMessage API reference).
const TOKEN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/**
 * FIFO queues' ReceiveRequestAttemptId: a retried ReceiveMessage with the same id within 5
 * minutes gets the same messages and receipt handles (ReceiveMessage API reference). Documents in
 * the store, so a retry after a restart, or through another node, is recognised too.
 */
export class ReceiveAttempts {
  private readonly byKey = new Map<string, ReceiveAttemptDoc>();

  private constructor(private readonly store: Store) {}

  static async load(store: Store): Promise<ReceiveAttempts> {
    const a = new ReceiveAttempts(store);
    await loadFollowing(
      store,
      [RECEIVE_ATTEMPT_KIND],
      async () => {
        for (const r of await store.loadResources(RECEIVE_ATTEMPT_KIND)) a.apply({ kind: RECEIVE_ATTEMPT_KIND, key: r.key, doc: r.doc });
      },
      (c) => a.apply(c),
    );
    return a;
  }

  private apply(c: ResourceChange): void {
    if (c.doc === null) this.byKey.delete(c.key);
    else this.byKey.set(c.key, JSON.parse(c.doc) as ReceiveAttemptDoc);
  }

  /** The attempt of this id within its window, after checking the id's form. */
  find(queueArn: string, attemptId: string, now: number): ReceiveAttemptDoc | undefined {
    if (!TOKEN.test(attemptId))
      throw SqsErrors.InvalidParameterValue(
        `Value ${attemptId} for parameter ReceiveRequestAttemptId is invalid. Reason: ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      );
    const d = this.byKey.get(key(queueArn, attemptId));
    return d && now - d.at < RECEIVE_ATTEMPT_WINDOW_MS ? d : undefined;
  }

  /** Remembers an attempt, forgetting those whose window is over, in one write. */
  async remember(d: ReceiveAttemptDoc): Promise<void> {
    const expired = [...this.byKey.entries()].filter(([, o]) => d.at - o.at >= RECEIVE_ATTEMPT_WINDOW_MS).map(([k]) => k);
    const k = key(d.queueArn, d.attemptId);
    await this.store.writeResources([
      ...expired.map((e) => ({ kind: RECEIVE_ATTEMPT_KIND, key: e, doc: null })),
      { kind: RECEIVE_ATTEMPT_KIND, key: k, doc: JSON.stringify(d) },
    ]);
    for (const e of expired) this.byKey.delete(e);
    this.byKey.set(k, d);
  }

  /** A retry that no longer can be answered: a message of the attempt was deleted or changed. */
  static notRetryable(attemptId: string): Error {
    return SqsErrors.InvalidParameterValue(
      `Value ${attemptId} for parameter ReceiveRequestAttemptId is invalid. Reason: The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.`,
    );
  }
}

const key = (queueArn: string, attemptId: string): string => `${queueArn}#${attemptId}`;
