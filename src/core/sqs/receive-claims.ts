import type { MessageDoc } from './model.js';

/** A message a receive picked from memory: to hand out, or (past maxReceiveCount) to move to the DLQ. */
export interface Pick {
  /** The message as this node's memory had it when picked. */
  readonly m: MessageDoc;
  readonly toDlq: boolean;
}

/**
 * Receives on a cluster. Every node holds each queue's messages in memory (followed through the
 * Store's watch) and a receive picks from that copy, so two nodes receiving from one queue in the
 * same few milliseconds — before either's write reached the other — could pick the same message.
 * Each pick is therefore claimed with a one-time token of the cluster (`Store.claimOnce`) named
 * by the message and its receive number (`<queue>#<seq>/<receiveCount + 1>`): of two nodes that
 * pick the same message for the same receive, one wins; a later receive (after the visibility
 * timeout, with the receive count seen by then) names a new token.
 *
 * FIFO message groups: a receive takes a group's messages in order and stops at the first pick
 * it loses — that message is being received elsewhere, so the group is locked (the messages
 * behind it belong to the other receive's group lock, "never two receives of one group at once").
 *
 * A single-owner store has no `claimOnce`: every pick is won (memory alone decides, as before).
 */
export class ReceiveClaims {
  /** Picks this node is claiming right now: another receive on this node passes them by. */
  private readonly claiming = new Set<string>();
  /**
   * Tokens this node lost (another node received the message): passed by until this node learns
   * of that receive (the receive number then names another token). Forgotten in bulk past 10,000.
   */
  private lost = new Set<string>();

  constructor(private readonly claimOnce: ((key: string) => Promise<boolean>) | undefined) {}

  /** Whether a receive on this node is claiming `m` at the moment, or lost it to another node. */
  busy(m: MessageDoc): boolean {
    return this.claiming.has(`${m.queueArn}#${m.seq}`) || this.lost.has(token(m));
  }

  /**
   * The picks this node won, in pick order. `stillCurrent` is asked after the claims: a message
   * deleted or changed meanwhile (through another node) is dropped.
   */
  claim(picks: readonly Pick[], fifo: boolean, stillCurrent: (m: MessageDoc) => boolean): Pick[] | Promise<Pick[]> {
    // Alone (or nothing picked) the answer is given at once, not a turn later: the receive then
    // marks its picks in memory before any other receive of this node can look (sqs-state.ts).
    if (!this.claimOnce || picks.length === 0) return [...picks];
    return this.claimAll(this.claimOnce, picks, fifo, stillCurrent);
  }

  private async claimAll(
    claimOnce: (key: string) => Promise<boolean>,
    picks: readonly Pick[],
    fifo: boolean,
    stillCurrent: (m: MessageDoc) => boolean,
  ): Promise<Pick[]> {
    const ids = picks.map((p) => `${p.m.queueArn}#${p.m.seq}`);
    for (const id of ids) this.claiming.add(id);
    try {
      const take = async (p: Pick) => {
        if (await claimOnce(token(p.m))) return true;
        if (this.lost.size >= 10_000) this.lost = new Set();
        this.lost.add(token(p.m));
        return false;
      };
      let won: Set<Pick>;
      if (!fifo) {
        const results = await Promise.all(picks.map(take));
        won = new Set(picks.filter((_, i) => results[i]));
      } else {
        // Groups side by side; within a group one at a time, stopping at the first loss.
        won = new Set();
        await Promise.all(
          groups(picks).map(async (group) => {
            for (const p of group) {
              if (!(await take(p))) return;
              won.add(p);
            }
          }),
        );
      }
      return picks.filter((p) => won.has(p) && stillCurrent(p.m));
    } finally {
      for (const id of ids) this.claiming.delete(id);
    }
  }
}

/** The token of a message's next receive. */
const token = (m: MessageDoc): string => `sqs/${m.queueArn}#${m.seq}/${m.receiveCount + 1}`;

function groups(picks: readonly Pick[]): Pick[][] {
  const by = new Map<string, Pick[]>();
  for (const p of picks) {
    const g = p.m.groupId ?? '';
    const list = by.get(g);
    if (list) list.push(p);
    else by.set(g, [p]);
  }
  return [...by.values()];
}
