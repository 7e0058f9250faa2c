import type { ArchiveStore, ArchivedEvent } from '../../storage/ports/archive-store.js';
import type { Clock } from '../shared/clock.js';
import { Coalesced } from '../shared/coalesced.js';
import { isActiveReplay, type ReplayDoc } from './archive-model.js';
import type { EventArchives } from './archives.js';
import type { EventsState } from './events-state.js';
import type { Ingestion } from './put-events.js';
import type { EventReplays } from './replays.js';

export interface ReplayRunnerOptions {
  readonly state: EventsState;
  readonly replays: EventReplays;
  readonly archives: EventArchives;
  readonly archived: ArchiveStore;
  readonly ingestion: Ingestion;
  readonly clock: Clock;
  /** Archived events put back per replay per step. */
  readonly batchSize?: number;
  /** Least pause between steps, ms: live PutEvents gets the event loop and the store in between. */
  readonly pauseMs?: number;
  /**
   * Pause after a step as a multiple of the time the step took (a duty cycle): with 1 (default), a replay
   * takes at most half of the process's time however fast or slow the machine is.
   */
  readonly idleRatio?: number;
  readonly onError?: (err: unknown) => void;
}

/**
 * Runs replays. A replay reads its archive in event-time order (AWS replays "using 1 minute
 * intervals", earliest first; a strict time order satisfies that), puts each batch back on the
 * bus through Ingestion.replay, then records its cursor and EventLastReplayedTime in its
 * document — so a replay survives a restart and resumes where it was (the per-copy idempotency
 * key makes the batch in flight at a crash land once). Small batches with a pause between them
 * keep a replay of many events from starving live traffic (bench/replay measures it).
 */
export class ReplayRunner {
  private readonly batchSize: number;
  private readonly pauseMs: number;
  private readonly idleRatio: number;
  private stopped = true;
  private readonly job = new Coalesced(
    () => this.loop(),
    () => !this.stopped,
  );

  constructor(private readonly o: ReplayRunnerOptions) {
    this.batchSize = o.batchSize ?? 100;
    this.pauseMs = o.pauseMs ?? 2;
    this.idleRatio = o.idleRatio ?? 1;
  }

  start(): void {
    this.stopped = false;
    this.o.replays.onStart = () => this.wake();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.job.idle();
  }

  wake(): void {
    this.job.wake();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let more: boolean;
      const began = performance.now();
      try {
        more = await this.step();
      } catch (err) {
        this.o.onError?.(err);
        more = true;
      }
      if (!more) return;
      const pause = Math.max(this.pauseMs, (performance.now() - began) * this.idleRatio);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** Advances every active replay by one batch; true while any has more to do. */
  async step(): Promise<boolean> {
    let more = false;
    for (const doc of this.o.replays.docs.values()) {
      if (isActiveReplay(doc.state) && (await this.advance(doc))) more = true;
    }
    return more;
  }

  private async advance(doc: ReplayDoc): Promise<boolean> {
    const now = () => this.o.clock.now();
    if (doc.state === 'CANCELLING') {
      await this.update(doc.arn, (d) => ({ ...d, state: 'CANCELLED', replayEndTime: now() }));
      return false;
    }
    const bus = this.destination(doc);
    if (!this.o.archives.docs.get(doc.archiveArn) || !bus) {
      const stateReason = !bus ? 'The destination event bus no longer exists.' : 'The archive no longer exists.';
      await this.update(doc.arn, (d) => ({ ...d, state: 'FAILED', stateReason, replayEndTime: now() }));
      return false;
    }
    const page = await this.o.archived.read({
      archiveArn: doc.archiveArn,
      from: doc.eventStartTime,
      to: doc.eventEndTime,
      limit: this.batchSize,
      ...(doc.cursor && { after: doc.cursor }),
    });
    if (page.length > 0) {
      const items = page.map((e) => ({ body: e.body, key: `${doc.arn}#${e.seq}` }));
      await this.o.ingestion.replay(bus, items, doc.name, this.filter(doc, bus));
    }
    const done = page.length < this.batchSize;
    await this.update(doc.arn, (d) => progressed(d, page, done, now()));
    return !done;
  }

  /** Applies a change to the replay's current document (CancelReplay may have changed it meanwhile). */
  private update(arn: string, change: (d: ReplayDoc) => ReplayDoc): Promise<void> {
    return this.o.state.exclusive(async () => {
      const current = this.o.replays.docs.get(arn);
      if (current && isActiveReplay(current.state)) await this.o.replays.docs.put(change(current));
    });
  }

  private destination(doc: ReplayDoc) {
    const arn = doc.destination.Arn;
    return this.o.state.bus(doc.account, doc.region, arn.slice(arn.indexOf(':event-bus/') + ':event-bus/'.length));
  }

  /** FilterArns as rule names of the destination bus; undefined = every rule. */
  private filter(doc: ReplayDoc, bus: NonNullable<ReturnType<ReplayRunner['destination']>>): ReadonlySet<string> | undefined {
    const arns = doc.destination.FilterArns;
    if (!arns || arns.length === 0) return undefined;
    const wanted = new Set(arns);
    return new Set([...bus.rules.values()].filter((r) => wanted.has(r.doc.arn)).map((r) => r.doc.name));
  }
}

function progressed(d: ReplayDoc, page: readonly ArchivedEvent[], done: boolean, now: number): ReplayDoc {
  const last = page[page.length - 1];
  const cancelling = d.state === 'CANCELLING';
  return {
    ...d,
    state: cancelling ? 'CANCELLING' : done ? 'COMPLETED' : 'RUNNING',
    replayedCount: d.replayedCount + page.length,
    ...(last && { cursor: { time: last.time, seq: last.seq }, lastReplayedTime: last.time }),
    ...(done && !cancelling && { replayEndTime: now }),
  };
}
