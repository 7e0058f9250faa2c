import type { CloudTrailStore } from '../../storage/ports/cloudtrail-store.js';
import { isoSeconds, type Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import type { ApiCall, ApiCallRecorder } from './api-call.js';
import { buildRecord } from './cloudtrail-record.js';
import type { TrailSet } from './trail-set.js';

/** An `AWS API Call via CloudTrail` event for the caller's default bus. */
export interface ApiCallEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'AWS API Call via CloudTrail';
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** Where the events go: EventBridge's trusted ingestion, with read-only calls marked as such. */
export interface ApiCallSink {
  emit(event: ApiCallEvent, readOnly: boolean): Promise<void>;
}

/**
 * Records every call served in an account and region a logging trail covers: the record into the
 * event history (LookupEvents, 90 days) and, as CloudTrail does, an `AWS API Call via CloudTrail`
 * event (source `aws.<service>`, detail the record) onto the caller's default bus. Read-only
 * calls reach only rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (the sink's
 * `readOnly`). A failure to record is reported to `onError`, never to the caller.
 */
export class CloudTrailRecorder implements ApiCallRecorder {
  constructor(
    private readonly o: {
      readonly store: CloudTrailStore;
      readonly trails: TrailSet;
      readonly sink: ApiCallSink;
      readonly clock: Clock;
      readonly random: Random;
      readonly onError: (err: unknown) => void;
    },
  ) {}

  watching(ctx: RequestContext): boolean {
    return this.o.trails.logging(ctx.accountId, ctx.region);
  }

  async record(ctx: RequestContext, call: ApiCall): Promise<void> {
    try {
      const now = this.o.clock.now();
      const { record, stored } = buildRecord(ctx, call, this.o.random.uuid(), now);
      await this.o.store.appendCalls([stored]);
      await this.o.sink.emit(
        {
          version: '0',
          id: this.o.random.uuid(),
          'detail-type': 'AWS API Call via CloudTrail',
          source: `aws.${call.service}`,
          account: ctx.accountId,
          time: isoSeconds(now),
          region: ctx.region,
          resources: [],
          detail: record,
        },
        stored.readOnly,
      );
    } catch (err) {
      this.o.onError(err);
    }
  }
}
