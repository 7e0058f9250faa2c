import type {
  CancelReplayRequest,
  CancelReplayResponse,
  DescribeReplayRequest,
  DescribeReplayResponse,
  ListReplaysRequest,
  ListReplaysResponse,
  Replay,
  StartReplayRequest,
  StartReplayResponse,
} from '@aws-sdk/client-eventbridge';
import type { Store } from '../../storage/store.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import { REPLAY_KIND, isActiveReplay, replayArn, type ReplayDoc } from './archive-model.js';
import type { EventArchives } from './archives.js';
import { DocCollection } from './doc-collection.js';
import type { EventsState } from './events-state.js';
import { paginate } from './paging.js';
import { EventsErrors } from '../generated/errors.js';

/** "Concurrent replays: 10 per account per Region" (eb-quota). */
export const MAX_ACTIVE_REPLAYS = 10;

const invalid = (member: string, reason: string) => EventsErrors.ValidationException(`Parameter ${member} is not valid. Reason: ${reason}`);

/**
 * StartReplay, DescribeReplay, CancelReplay, ListReplays: the replay documents and their state
 * machine as the API sees it. The work itself (STARTING → RUNNING → COMPLETED, CANCELLING →
 * CANCELLED, FAILED) is ReplayRunner's; `onStart` wakes it.
 */
export class EventReplays {
  onStart: () => void = () => {};

  private constructor(
    private readonly state: EventsState,
    readonly docs: DocCollection<ReplayDoc>,
    private readonly archives: EventArchives,
    private readonly clock: Clock,
  ) {}

  static async open(state: EventsState, store: Store, archives: EventArchives, clock: Clock): Promise<EventReplays> {
    return new EventReplays(state, await DocCollection.load<ReplayDoc>(store, REPLAY_KIND), archives, clock);
  }

  startReplay(ctx: RequestContext, input: StartReplayRequest): Promise<StartReplayResponse> {
    return this.state.exclusive(async () => {
      const name = input.ReplayName!;
      const arn = replayArn(ctx.region, ctx.accountId, name);
      if (this.docs.get(arn)) throw EventsErrors.ResourceAlreadyExistsException(`Replay ${name} already exists.`);
      const archive = this.archives.docs.get(input.EventSourceArn!);
      if (!archive || archive.account !== ctx.accountId || archive.region !== ctx.region) {
        throw invalid('EventSourceArn', `Archive ${archiveName(input.EventSourceArn!)} does not exist.`);
      }
      const start = input.EventStartTime!.getTime();
      const end = input.EventEndTime!.getTime();
      if (start >= end) throw invalid('EventEndTime', 'EventStartTime must be before EventEndTime.');
      // "Replay to the same bus only": the destination is the archive's source bus.
      if (input.Destination!.Arn !== archive.busArn) throw invalid('Destination.Arn', 'Cross event bus replay is not permitted.');
      this.checkFilters(archive.busArn, archive.account, archive.region, input.Destination!.FilterArns);
      const active = this.docs.of(ctx).filter((d) => isActiveReplay(d.state)).length;
      if (active >= MAX_ACTIVE_REPLAYS)
        throw EventsErrors.LimitExceededException('The requested resource exceeds the maximum number allowed.');
      const doc: ReplayDoc = {
        name,
        arn,
        account: ctx.accountId,
        region: ctx.region,
        archiveArn: archive.arn,
        destination: { Arn: archive.busArn, ...(input.Destination!.FilterArns && { FilterArns: [...input.Destination!.FilterArns] }) },
        eventStartTime: start,
        eventEndTime: end,
        state: 'STARTING',
        replayStartTime: this.clock.now(),
        replayedCount: 0,
        ...(input.Description !== undefined && { description: input.Description }),
      };
      await this.docs.put(doc);
      this.onStart();
      return { ReplayArn: arn, State: doc.state, ReplayStartTime: new Date(doc.replayStartTime) };
    });
  }

  async describeReplay(ctx: RequestContext, input: DescribeReplayRequest): Promise<DescribeReplayResponse> {
    const doc = this.require(ctx, input.ReplayName!);
    return {
      ...toApi(doc),
      ReplayArn: doc.arn,
      Destination: { Arn: doc.destination.Arn, ...(doc.destination.FilterArns && { FilterArns: [...doc.destination.FilterArns] }) },
      ...(doc.description !== undefined && { Description: doc.description }),
    };
  }

  cancelReplay(ctx: RequestContext, input: CancelReplayRequest): Promise<CancelReplayResponse> {
    return this.state.exclusive(async () => {
      const doc = this.require(ctx, input.ReplayName!);
      if (doc.state !== 'STARTING' && doc.state !== 'RUNNING') {
        // amiwatch's text: AWS's IllegalStatusException message is not recorded.
        throw EventsErrors.IllegalStatusException(`Replay ${doc.name} is ${doc.state} and can no longer be cancelled.`);
      }
      const next: ReplayDoc = { ...doc, state: 'CANCELLING' };
      await this.docs.put(next);
      this.onStart();
      return { ReplayArn: doc.arn, State: next.state };
    });
  }

  async listReplays(ctx: RequestContext, input: ListReplaysRequest): Promise<ListReplaysResponse> {
    const mine = this.docs
      .of(ctx)
      .filter((d) => input.NamePrefix === undefined || d.name.startsWith(input.NamePrefix))
      .filter((d) => input.State === undefined || d.state === input.State)
      .filter((d) => input.EventSourceArn === undefined || d.archiveArn === input.EventSourceArn);
    const page = paginate(mine, (d) => d.name, input.Limit, input.NextToken);
    return { Replays: page.items.map(toApi), ...(page.nextToken && { NextToken: page.nextToken }) };
  }

  private require(ctx: RequestContext, name: string): ReplayDoc {
    const doc = this.docs.get(replayArn(ctx.region, ctx.accountId, name));
    if (!doc) throw EventsErrors.ResourceNotFoundException(`Replay ${name} does not exist.`);
    return doc;
  }

  /** FilterArns name rules of the destination bus (the text is other emulators'; AWS's is not recorded). */
  private checkFilters(busArn: string, account: string, region: string, filters: readonly string[] | undefined): void {
    if (!filters) return;
    const bus = this.state.bus(account, region, busArn.slice(busArn.indexOf(':event-bus/') + 11));
    for (const arn of filters) {
      const found = bus && [...bus.rules.values()].some((r) => r.doc.arn === arn);
      if (!found) throw invalid('Destination.FilterArns', 'Rule must be on the destination event bus.');
    }
  }
}

const archiveName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

function toApi(doc: ReplayDoc): Replay {
  return {
    ReplayName: doc.name,
    EventSourceArn: doc.archiveArn,
    State: doc.state,
    ...(doc.stateReason !== undefined && { StateReason: doc.stateReason }),
    EventStartTime: new Date(doc.eventStartTime),
    EventEndTime: new Date(doc.eventEndTime),
    ...(doc.lastReplayedTime !== undefined && { EventLastReplayedTime: new Date(doc.lastReplayedTime) }),
    ReplayStartTime: new Date(doc.replayStartTime),
    ...(doc.replayEndTime !== undefined && { ReplayEndTime: new Date(doc.replayEndTime) }),
  };
}
