import type { Socket } from 'node:net';

/**
 * How many request-body bytes the server holds in memory at once: in total, and per connection
 * (HTTP/1.1 lets a client pipeline requests, and node reads the next while one is handled).
 * A body is reserved as it arrives — all at once when Content-Length declares it — and released
 * when its request is answered, so memory stays bounded whatever clients send; a request that
 * does not fit is refused instead of buffered (http-listener.ts).
 */
export class BodyBudget {
  private used = 0;
  private readonly bySocket = new WeakMap<Socket, number>();

  constructor(
    readonly total: number,
    readonly perConnection: number,
  ) {}

  /** Takes `bytes` for `socket`; false (and nothing taken) when either budget would be passed. */
  reserve(socket: Socket, bytes: number): boolean {
    const mine = this.bySocket.get(socket) ?? 0;
    if (this.used + bytes > this.total || mine + bytes > this.perConnection) return false;
    this.used += bytes;
    this.bySocket.set(socket, mine + bytes);
    return true;
  }

  release(socket: Socket, bytes: number): void {
    if (bytes === 0) return;
    this.used -= bytes;
    const left = (this.bySocket.get(socket) ?? 0) - bytes;
    if (left > 0) this.bySocket.set(socket, left);
    else this.bySocket.delete(socket);
  }

  /** Bytes held now, all connections together. */
  get inUse(): number {
    return this.used;
  }
}
