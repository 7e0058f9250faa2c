import type { CloudTrailStore } from '../../storage/ports/cloudtrail-store.js';
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
  ) {}

  static async open(o: CloudTrailOptions): Promise<CloudTrailService> {
    const set = new TrailSet(await o.store.allTrails());
    return new CloudTrailService(
      new Trails(o.store, set, o.clock),
      new EventHistory(o.store, o.clock),
      new CloudTrailRecorder({ store: o.store, trails: set, sink: o.sink, clock: o.clock, random: o.random, onError: o.onError }),
      o,
    );
  }

  /** Drops records past the 90 days of event history, `limit` at a time; how many went. */
  prune(limit = 10_000): Promise<number> {
    return this.o.store.pruneCalls(this.o.clock.now() - HISTORY_MS, limit);
  }
}
