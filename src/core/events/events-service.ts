import type { Store } from '../../storage/store.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import { EventBuses } from './buses.js';
import { EventFeed } from './event-feed.js';
import { EventsState } from './events-state.js';
import { noOrganizations, type Organizations } from './organizations.js';
import { EventPermissions } from './permissions.js';
import { Ingestion } from './put-events.js';
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

  private constructor(
    readonly state: EventsState,
    options: EventsServiceOptions,
  ) {
    const { store, clock, random } = options;
    this.buses = new EventBuses(state, clock);
    this.rules = new EventRules(state, clock);
    this.targets = new EventTargets(state);
    this.tags = new EventTags(state);
    this.permissions = new EventPermissions(state);
    this.ingestion = new Ingestion(state, store, clock, random, this.feed, options.organizations ?? noOrganizations);
    this.scheduler = new RuleScheduler(state, store, clock, random, this.feed);
  }

  static async open(options: EventsServiceOptions): Promise<EventsService> {
    return new EventsService(await EventsState.load(options.store, options.clock), options);
  }
}
