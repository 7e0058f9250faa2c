import type { ClaimedDelivery } from '../store.js';

export interface Queued extends ClaimedDelivery {
  readonly dueAt: number;
}

interface Lease {
  until: number;
  readonly delivery: Queued;
  /** Claimed from the table (status `pending`) rather than from the memory queue. */
  readonly fromTable: boolean;
}

/**
 * The SQLite adapter's in-memory side of the delivery queue: the deliveries this process
 * appended (FIFO, due at once in practice) and the leases of everything in flight. Nothing here
 * needs to survive a crash — the table keeps every delivery `queued` or `pending` until it is
 * settled, and a new owner turns `queued` back into `pending`.
 */
export class ClaimQueue {
  private items: Queued[] = [];
  private head = 0;
  private readonly leases = new Map<number, Lease>();

  get unclaimed(): number {
    return this.items.length - this.head;
  }

  get inFlight(): number {
    return this.leases.size;
  }

  push(items: readonly Queued[]): void {
    for (const q of items) this.items.push(q);
  }

  isLeased(id: number): boolean {
    return this.leases.has(id);
  }

  lease(d: Queued, until: number, fromTable: boolean, out: ClaimedDelivery[]): void {
    this.leases.set(d.id, { until, delivery: d, fromTable });
    out.push(d);
  }

  /** Re-leases deliveries whose lease ran out (a transport that never answered). */
  takeExpired(now: number, until: number, limit: number, out: ClaimedDelivery[]): void {
    for (const [id, l] of this.leases) {
      if (out.length >= limit) return;
      if (l.until > now) continue;
      this.leases.delete(id);
      this.lease(l.delivery, until, l.fromTable, out);
    }
  }

  /** Leases queued deliveries due at `now`, in append order. */
  takeDue(now: number, until: number, limit: number, out: ClaimedDelivery[]): void {
    while (out.length < limit && this.head < this.items.length) {
      const q = this.items[this.head]!;
      if (q.dueAt > now) break;
      this.head++;
      this.lease(q, until, false, out);
    }
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  settled(id: number): void {
    this.leases.delete(id);
  }

  /** The earliest time something here becomes claimable (Infinity: never). */
  nextDue(): number {
    let next = this.head < this.items.length ? this.items[this.head]!.dueAt : Infinity;
    for (const l of this.leases.values()) next = Math.min(next, l.until);
    return next;
  }

  /**
   * Ends every lease: memory-queue deliveries go back to the queue; table rows are simply
   * unleased (the table offers them again). Returns whether any table row was released.
   */
  releaseAll(): boolean {
    let fromTable = false;
    for (const l of this.leases.values()) {
      if (l.fromTable) fromTable = true;
      else this.items.push({ ...l.delivery, dueAt: -Infinity });
    }
    this.leases.clear();
    return fromTable;
  }
}
