import type { CloudTrailStore, TrailChange } from '../../storage/ports/cloudtrail-store.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import { EventHistory, HISTORY_MS } from './lookup-events.js';
import { CloudTrailRecorder, type ApiCallSink } from './recorder.js';
import { TrailSet } from './trail-set.js';
import { Trails } from './trails.js';

export interface CloudTrailOptions {
  readonly store: CloudTrailStore;
  readonly sink: ApiCallSink;
  readonly clock: Clock;
  readonly random: Random;
  readonly onError: (err: unknown) => void;
}

/** CloudTrail: trails, the event history, and the recorder the wire's dispatch calls. */
export class CloudTrailService {
  private constructor(
    readonly trails: Trails,
    readonly history: EventHistory,
    readonly recorder: CloudTrailRecorder,
    private readonly o: CloudTrailOptions,
    private readonly unfollow: () => void,
  ) {}

  static async open(o: CloudTrailOptions): Promise<CloudTrailService> {
    // On a cluster the trails other nodes write are followed from before the load (a change
    // seen during the load is applied after it), so every node records what a trail covers.
    const early: TrailChange[] = [];
    let set: TrailSet | null = null;
    const apply = (c: TrailChange, to: TrailSet) => (c.trail ? to.put(c.trail) : to.remove(c));
    const unfollow = o.store.followTrails ? await o.store.followTrails((c) => (set ? apply(c, set) : early.push(c))) : () => undefined;
    const loaded = new TrailSet(await o.store.allTrails());
    for (const c of early) apply(c, loaded);
    set = loaded;
    return new CloudTrailService(
      new Trails(o.store, loaded, o.clock),
      new EventHistory(o.store, o.clock),
      new CloudTrailRecorder({ store: o.store, trails: loaded, sink: o.sink, clock: o.clock, random: o.random, onError: o.onError }),
      o,
      unfollow,
    );
  }

  /** Stops following other nodes' trail writes. */
  close(): void {
    this.unfollow();
  }

  /** Drops records past the 90 days of event history, `limit` at a time; how many went. */
  prune(limit = 10_000): Promise<number> {
    return this.o.store.pruneCalls(this.o.clock.now() - HISTORY_MS, limit);
  }
}
