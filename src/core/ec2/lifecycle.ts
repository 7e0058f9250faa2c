import type { ImageRecord } from '../../storage/ports/ec2-store.js';
import { commitStateChange, type Ec2Deps } from './ec2-context.js';
import type { AmiEventRelay } from './event-relay.js';
import { advanceInstances, applyDueInstances } from './instance-lifecycle.js';
import { moveDueSnapshots } from './snapshot-state.js';

/**
 * The AMI lifecycle scheduler. Images are stored `pending` with a due time and an outcome
 * (`available`, or `failed` with a StateReason); `settle()` moves every image whose time has come,
 * completes due store-image tasks, forgets images deregistered long enough ago, then relays the
 * queued events. Everything it needs is in the store, so after a restart the first `settle()`
 * completes what fell due while the server was down — each transition once, because the state
 * change and its event are one transaction and an image no longer pending is skipped.
 */
export class ImageLifecycle {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private generation = 0;

  constructor(
    private readonly deps: Omit<Ec2Deps, 'settle'>,
    private readonly relay: AmiEventRelay,
  ) {}

  async settle(): Promise<void> {
    await this.deps.serial.run(() => this.applyDue());
    await this.relay.flush();
  }

  /**
   * Runs `settle()` now, then again when the next image or store task falls due (by the store's
   * `nextDueAt`), and at least every `intervalMs` of real time — which also retries events the
   * sink refused.
   */
  start(intervalMs = 250, onError: (e: unknown) => void = () => {}): void {
    if (this.timer) return;
    const generation = ++this.generation;
    const loop = (): void => {
      this.inFlight = this.settle()
        .then(() => this.deps.store.nextDueAt())
        .catch((e: unknown) => {
          onError(e);
          return undefined;
        })
        .then((due) => {
          if (!this.timer || generation !== this.generation) return;
          const wait = due === undefined ? intervalMs : Math.min(intervalMs, Math.max(0, due - this.deps.clock.now()));
          this.timer = setTimeout(loop, wait).unref();
        });
    };
    this.timer = setTimeout(loop, 0).unref();
  }

  /**
   * Completes every pending image, store-image task, snapshot and instance transition now, whatever its due
   * time (the embedded server's `advance()`: a test does not wait out `--ami-duration` or
   * `--instance-duration`). Each image ends as it was
   * planned — `available`, or `failed` by a fault rule — and emits its event, as when it falls
   * due. Returns how many images it completed.
   */
  async advance(): Promise<number> {
    const now = this.deps.clock.now();
    await this.deps.serial.run(() => moveDueSnapshots(this.deps, Number.MAX_SAFE_INTEGER, (dueAt) => Math.min(dueAt, now)));
    const completed = await this.deps.serial.run(async () => {
      let count = 0;
      for (;;) {
        const due = await this.deps.store.dueTransitions(Number.MAX_SAFE_INTEGER, 100);
        if (due.length === 0) return count;
        for (const image of due) await this.complete(image);
        count += due.length;
      }
    });
    await this.deps.serial.run(() => this.completeStoreTasks(Number.MAX_SAFE_INTEGER));
    await this.deps.serial.run(() => advanceInstances(this.deps));
    await this.relay.flush();
    return completed;
  }

  /** Stops the loop; resolves once a settle in progress has finished (then the store may close). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.generation++;
    await this.inFlight;
  }

  private async applyDue(): Promise<void> {
    const now = this.deps.clock.now();
    // An image's snapshots complete before it does (their events come first, as on AWS).
    await moveDueSnapshots(this.deps, now, (dueAt) => dueAt);
    for (;;) {
      const due = await this.deps.store.dueTransitions(now, 100);
      if (due.length === 0) break;
      for (const image of due) await this.complete(image);
    }
    await this.completeStoreTasks(now);
    await applyDueInstances(this.deps, now);
    const forgetBefore = now - this.deps.options.deregisteredVisibleMs;
    for (const image of await this.deps.store.deregisteredBefore(forgetBefore)) {
      await this.deps.store.deleteImage(image.region, image.imageId);
    }
  }

  private async completeStoreTasks(now: number): Promise<void> {
    for (const task of await this.deps.store.dueStoreTasks(now)) {
      const failed = task.plannedFailureReason !== undefined;
      await this.deps.store.putStoreTask({
        ...task,
        state: failed ? 'Failed' : 'Completed',
        ...(failed && { failureReason: task.plannedFailureReason }),
      });
    }
  }

  /** pending → available | failed; emits the matching event. */
  private async complete(image: ImageRecord): Promise<void> {
    const t = image.transition;
    if (image.state !== 'pending' || !t) return;
    const { transition: _done, ...rest } = image;
    if (t.outcome === 'available') {
      await commitStateChange(this.deps, { ...rest, state: 'available' }, image.requestId);
      return;
    }
    const message = t.reasonMessage ?? 'Image creation failed';
    const failed: ImageRecord = {
      ...rest,
      state: 'failed',
      stateReason: { code: t.reasonCode ?? this.deps.options.defaultFailureCode, message },
    };
    await commitStateChange(this.deps, failed, image.requestId, message);
  }
}
