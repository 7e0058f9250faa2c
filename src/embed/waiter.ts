/**
 * One wait of the embedded server (an event, a mail): the first item already recorded that
 * passes the test, else the next one to arrive. It listens before reading what is recorded, so
 * an item arriving in between is not missed; the timer is cleared whichever way it ends, and
 * `cancelAll` (close) rejects what is still waiting, so nothing outlives the server.
 */
export interface WaitSpec<T> {
  /** Starts listening; returns the way to stop. */
  readonly listen: (onItem: (item: T) => void) => () => void;
  /** What is already recorded, oldest first. */
  readonly recorded: () => Promise<readonly T[]>;
  readonly accept: (item: T) => boolean;
  /** Identity: an item both recorded and heard live counts once. */
  readonly key: (item: T) => string;
  readonly timeoutMs: number;
  /** "an event on bus default matching {…}": the timeout's message says what was awaited. */
  readonly what: string;
}

export class Waiters {
  private readonly pending = new Set<(reason: Error) => void>();
  private closedReason: string | null = null;

  wait<T>(spec: WaitSpec<T>): Promise<T> {
    if (this.closedReason !== null) return Promise.reject(new Error(this.closedReason));
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (fn: () => void): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        stop();
        this.pending.delete(cancel);
        fn();
      };
      const cancel = (reason: Error): void => finish(() => reject(reason));
      // Live items wait in `heard` until the recorded ones are read: the oldest match wins.
      let heard: T[] | null = [];
      const stop = spec.listen((item) => {
        if (heard) heard.push(item);
        else if (spec.accept(item)) finish(() => resolve(item));
      });
      const timer = setTimeout(() => cancel(new Error(`amiwatch: no ${spec.what} within ${spec.timeoutMs} ms`)), spec.timeoutMs);
      this.pending.add(cancel);
      spec.recorded().then(
        (items) => {
          const seen = new Set(items.map(spec.key));
          const found = [...items, ...heard!.filter((item) => !seen.has(spec.key(item)))].find((item) => spec.accept(item));
          heard = null;
          if (found !== undefined) finish(() => resolve(found));
        },
        (err: unknown) => cancel(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }

  /** Rejects every wait still pending, and every later one (the server is closing). */
  cancelAll(reason: string): void {
    this.closedReason = 'amiwatch: the server is closed';
    for (const cancel of [...this.pending]) cancel(new Error(reason));
  }
}
