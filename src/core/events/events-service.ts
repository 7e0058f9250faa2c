import { MemoryArchiveStore } from '../../storage/memory/memory-archive-store.js';
import type { ArchiveStore } from '../../storage/ports/archive-store.js';
import type { Store } from '../../storage/store.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import { EventApiDestinations } from './api-destinations.js';
import { EventArchives } from './archives.js';
import { EventConnections } from './connections.js';
import { EventBuses } from './buses.js';
import { EventFeed } from './event-feed.js';
import { EventsState } from './events-state.js';
import { noOrganizations, type Organizations } from './organizations.js';
import { EventPermissions } from './permissions.js';
import { Ingestion } from './put-events.js';
import { ReplayRunner } from './replay-runner.js';
import { EventReplays } from './replays.js';
import { EventRules } from './rules.js';
import { RuleScheduler } from './scheduler.js';
import { EventTags } from './tags.js';
import { EventTargets } from './targets.js';

export interface EventsServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  /** Account → organization, for bus policies that name one (default: none). */
  readonly organizations?: Organizations;
  /** Where archives keep their events (default: in memory). */
  readonly archiveStore?: ArchiveStore;
  /** Replay pacing (tests and benchmarks tune it). */
  readonly replayBatchSize?: number;
  readonly replayPauseMs?: number;
  readonly replayIdleRatio?: number;
  readonly onReplayError?: (err: unknown) => void;
}

/**
 * EventBridge's domain, assembled: each part owns one resource (buses, rules, targets, tags,
 * permissions), `ingestion` is the PutEvents path (also used by amiwatch's own services and by
 * event-bus targets), `scheduler` fires scheduled rules, `feed` notifies listeners.
 */
export class EventsService {
  readonly feed = new EventFeed();
  readonly buses: EventBuses;
  readonly rules: EventRules;
  readonly targets: EventTargets;
  readonly tags: EventTags;
  readonly permissions: EventPermissions;
  readonly ingestion: Ingestion;
  readonly scheduler: RuleScheduler;
  readonly replayRunner: ReplayRunner;

  private constructor(
    readonly state: EventsState,
    options: EventsServiceOptions,
    readonly archives: EventArchives,
    readonly replays: EventReplays,
    archived: ArchiveStore,
    readonly connections: EventConnections,
    readonly apiDestinations: EventApiDestinations,
  ) {
    const { store, clock, random } = options;
    this.buses = new EventBuses(state, clock);
    this.rules = new EventRules(state, clock);
    this.targets = new EventTargets(state);
    this.tags = new EventTags(state);
    this.permissions = new EventPermissions(state);
    this.ingestion = new Ingestion(state, store, clock, random, this.feed, options.organizations ?? noOrganizations);
    this.scheduler = new RuleScheduler(state, store, clock, random, this.feed);
    this.replayRunner = new ReplayRunner({
      state,
      replays,
      archives,
      archived,
      ingestion: this.ingestion,
      clock,
      ...(options.replayBatchSize !== undefined && { batchSize: options.replayBatchSize }),
      ...(options.replayPauseMs !== undefined && { pauseMs: options.replayPauseMs }),
      ...(options.replayIdleRatio !== undefined && { idleRatio: options.replayIdleRatio }),
      ...(options.onReplayError && { onError: options.onReplayError }),
    });
  }

  static async open(options: EventsServiceOptions): Promise<EventsService> {
    const state = await EventsState.load(options.store, options.clock);
    const archived = options.archiveStore ?? new MemoryArchiveStore();
    const archives = await EventArchives.open(state, options.store, archived, options.clock);
    const replays = await EventReplays.open(state, options.store, archives, options.clock);
    const connections = await EventConnections.open(state, options.store, options.clock, options.random);
    const apiDestinations = await EventApiDestinations.open(state, options.store, connections, options.clock, options.random);
    return new EventsService(state, options, archives, replays, archived, connections, apiDestinations);
  }
}
