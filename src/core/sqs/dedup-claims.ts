import type { MessageDoc } from './model.js';

/** What a FIFO send answers with: its own ids, or for a duplicate the first message's. */
export interface SentIds {
  readonly messageId: string;
  readonly sequenceNumber?: string | undefined;
}

/** The cluster's one-time tokens (the Store's claimOnce / claimHolder / releaseClaim). */
export interface TokenPort {
  claimOnce(key: string, value: string): Promise<boolean>;
  claimHolder(key: string): Promise<string | null>;
  releaseClaim(key: string): Promise<void>;
}

type Fresh = { readonly m: Omit<MessageDoc, 'seq' | 'queueArn'>; readonly key: string };

/**
 * FIFO deduplication across the nodes of a cluster. Each node remembers the deduplication ids it
 * has seen (its own sends and the marks other nodes' sends leave, followed through the watch),
 * but the same id sent through two nodes in the same few milliseconds would pass both. So a send
 * whose id is new to the node also takes the cluster's one-time token `sqs-dedup/<queue>#<key>`,
 * holding the message's ids. The token lives as long as the `amiwatch_claims` bucket keeps it —
 * 5 minutes, SQS's deduplication interval — so whoever takes it second within the interval is a
 * duplicate, answered with the first message's ids (read from the token). A send that took the
 * token and then failed to store gives it back, so the sender's retry is not a "duplicate" of a
 * message that was never stored.
 */
export class DedupClaims {
  constructor(private readonly tokens: TokenPort | undefined) {}

  private static key(queueArn: string, key: string): string {
    return `sqs-dedup/${queueArn}#${key}`;
  }

  /**
   * For each fresh message: null when this send keeps it (it took the token), or the first
   * message's ids when another node's send of the same id came first. Alone: all null, at once.
   */
  claim(queueArn: string, fresh: readonly Fresh[]): (SentIds | null)[] | Promise<(SentIds | null)[]> {
    const tokens = this.tokens;
    if (!tokens || fresh.length === 0) return fresh.map(() => null);
    return Promise.all(
      fresh.map(async ({ m, key }) => {
        const ids: SentIds = { messageId: m.messageId, ...(m.sequenceNumber !== undefined && { sequenceNumber: m.sequenceNumber }) };
        for (let attempt = 0; attempt < 3; attempt++) {
          if (await tokens.claimOnce(DedupClaims.key(queueArn, key), JSON.stringify(ids))) return null;
          const first = await tokens.claimHolder(DedupClaims.key(queueArn, key));
          if (first !== null) return JSON.parse(first) as SentIds;
          // The token expired or was given back between the two calls: try to take it again.
        }
        return null;
      }),
    );
  }

  /** Gives back the tokens of messages that were not stored after all. */
  async release(queueArn: string, fresh: readonly Fresh[]): Promise<void> {
    if (!this.tokens) return;
    await Promise.all(fresh.map(({ key }) => this.tokens!.releaseClaim(DedupClaims.key(queueArn, key)).catch(() => undefined)));
  }
}
