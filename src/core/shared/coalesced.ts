/**
 * A background job that runs at most once at a time: `wake()` starts it, or — when it is
 * already running — asks for one more run right after, however many wakes came meanwhile. The
 * delivery worker and the replay runner are driven this way.
 */
export class Coalesced {
  private running: Promise<void> | null = null;
  private again = false;

  /** `body` is the job; `active()` false makes wakes do nothing (the owner was stopped). */
  constructor(
    private readonly body: () => Promise<void>,
    private readonly active: () => boolean,
  ) {}

  wake(): void {
    if (!this.active()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.body().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves when the run in progress (if any) has ended. */
  async idle(): Promise<void> {
    await this.running;
  }
}
