import type { ImageRecord } from '../../storage/ports/ec2-store.js';
import { commitStateChange, type Ec2Deps } from './ec2-context.js';
import type { AmiEventRelay } from './event-relay.js';

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

  constructor(
    private readonly deps: Omit<Ec2Deps, 'settle'>,
    private readonly relay: AmiEventRelay,
  ) {}

  async settle(): Promise<void> {
    await this.deps.serial.run(() => this.applyDue());
    await this.relay.flush();
  }

  /** Polls every `intervalMs` of real time (the Clock decides what is due). */
  start(intervalMs = 250, onError: (e: unknown) => void = () => {}): void {
    if (this.timer) return;
    const loop = (): void => {
      this.settle()
        .catch(onError)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, intervalMs).unref();
        });
    };
    this.timer = setTimeout(loop, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async applyDue(): Promise<void> {
    const now = this.deps.clock.now();
    for (;;) {
      const due = await this.deps.store.dueTransitions(now, 100);
      if (due.length === 0) break;
      for (const image of due) await this.complete(image);
    }
    for (const task of await this.deps.store.dueStoreTasks(now)) {
      const failed = task.plannedFailureReason !== undefined;
      await this.deps.store.putStoreTask({
        ...task,
        state: failed ? 'Failed' : 'Completed',
        ...(failed && { failureReason: task.plannedFailureReason }),
      });
    }
    const forgetBefore = now - this.deps.options.deregisteredVisibleMs;
    for (const image of await this.deps.store.deregisteredBefore(forgetBefore)) {
      await this.deps.store.deleteImage(image.region, image.imageId);
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
