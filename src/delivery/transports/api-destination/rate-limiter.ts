import type { Clock } from '../../../core/shared/clock.js';

/**
 * InvocationRateLimitPerSecond: calls to one API destination are spaced 1/rate seconds apart.
 * A call that comes too early is given the next free slot and told to wait for it ("excess
 * events wait; they are not dropped"); the slot is reserved under the caller's key, so when the
 * delivery comes back at its time it goes through without taking a second slot.
 */
export class RateLimiter {
  private readonly nextFree = new Map<string, number>();
  private readonly reserved = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** null: go now. A number: come back at that time (ms). */
  take(destination: string, perSecond: number, key: string): number | null {
    const now = this.clock.now();
    const held = this.reserved.get(key);
    if (held !== undefined && held <= now) {
      this.reserved.delete(key);
      return null;
    }
    if (held !== undefined) return held;
    const interval = 1000 / perSecond;
    const slot = Math.max(now, this.nextFree.get(destination) ?? now);
    this.nextFree.set(destination, slot + interval);
    if (slot <= now) return null;
    const at = Math.ceil(slot);
    this.reserved.set(key, at);
    return at;
  }
}
