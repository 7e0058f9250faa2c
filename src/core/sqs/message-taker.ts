import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import { fifoCandidates, isFifo } from './fifo.js';
import type { MessageDoc } from './model.js';
import { intAttr, redriveOf } from './queue-attributes.js';
import { ReceiveClaims, type Pick } from './receive-claims.js';
import type { QueueEntry, SqsState } from './sqs-state.js';

/**
 * What a ReceiveMessage takes from a queue: visible messages (FIFO: the heads of unlocked
 * groups), marked received in memory and then in the store; those past maxReceiveCount are
 * moved to the DLQ and those past retention dropped. On a cluster each pick is claimed first
 * (receive-claims.ts).
 */
export class MessageTaker {
  /** On a cluster: which node takes a message it and another node both picked. */
  private readonly claims: ReceiveClaims;

  constructor(
    private readonly state: SqsState,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {
    const tokens = state.tokens;
    this.claims = new ReceiveClaims(tokens && ((key) => tokens.claimOnce(key, '')));
  }

  /**
   * Claims up to `max` visible messages, redriving those past maxReceiveCount. The picks are made
   * from memory; on a cluster each is then claimed for the cluster (receive-claims.ts) and only
   * those won are taken.
   */
  async take(q: QueueEntry, max: number, visibility: number): Promise<MessageDoc[]> {
    // On a cluster a round may lose every pick to another node: pick again from what is left
    // (the lost ones are passed by) rather than wait for the next wake-up.
    for (let round = 0; ; round++) {
      const { got, lost } = await this.takeOnce(q, max, visibility);
      if (got.length > 0 || !lost || round >= 3) return got;
    }
  }

  private async takeOnce(q: QueueEntry, max: number, visibility: number): Promise<{ got: MessageDoc[]; lost: boolean }> {
    const now = this.clock.now();
    const retention = intAttr(q.doc, 'MessageRetentionPeriod') * 1000;
    const redrive = redriveOf(q.doc);
    const dlq = redrive ? this.state.queues.get(redrive.deadLetterTargetArn) : undefined;
    const picks: Pick[] = [];
    const expired: MessageDoc[] = [];
    let taking = 0;
    /** FIFO groups another receive of this node is claiming: locked for this one. */
    const claimedHere = new Set<string>();
    // FIFO: only the messages at the head of groups not in flight, group by group.
    const fifo = isFifo(q.doc);
    for (const m of fifo ? fifoCandidates(q.messages.values(), now) : q.messages.values()) {
      if (taking >= max) break;
      if (claimedHere.has(m.groupId ?? '')) continue;
      if (m.sentAt + retention <= now) expired.push(m);
      else if (m.visibleAt > now) continue;
      else if (this.claims.busy(m)) {
        if (fifo) claimedHere.add(m.groupId ?? '');
      } else if (redrive && dlq && m.receiveCount >= redrive.maxReceiveCount) picks.push({ m, toDlq: true });
      else picks.push({ m, toDlq: false }), taking++;
    }
    const claimed = this.claims.claim(picks, fifo, (m) => q.messages.get(m.seq)?.receiveCount === m.receiveCount);
    const won = Array.isArray(claimed) ? claimed : await claimed;
    const got = won
      .filter((p) => !p.toDlq)
      .map(({ m }) => ({
        ...q.messages.get(m.seq)!,
        receiveCount: m.receiveCount + 1,
        firstReceivedAt: m.firstReceivedAt ?? now,
        receivedAt: now,
        visibleAt: now + visibility * 1000,
        receipt: this.random.hex(16),
      }));
    const toDlq = won.filter((p) => p.toDlq).map((p) => q.messages.get(p.m.seq)!);
    // Both apply to memory synchronously, before either write: no other receive sees these.
    await Promise.all([toDlq.length > 0 && dlq ? this.state.move(q, dlq, toDlq) : undefined, this.state.update(q, got, expired)]);
    return { got, lost: won.length < picks.length };
  }
}
