import { Matcher } from '@amiwatch/event-pattern';
import type { ResourceChange, ResourceWrite, Store } from '../../storage/store.js';
import type { Clock } from '../shared/clock.js';
import { loadFollowing } from '../shared/follow.js';
import type { BusDoc, DeliveryTarget, RuleDoc } from './model.js';
import { RESOURCE_KIND } from './model.js';
import { DEFAULT_BUS, busArn } from './names.js';

export interface RuleEntry {
  readonly doc: RuleDoc;
  /** DeliveryTarget JSON per target, computed once per rule version (the hot path reuses it). */
  readonly targetJson: readonly string[];
  /** Per target: whether it is an event bus (forwarded events are not forwarded again). */
  readonly busTarget: readonly boolean[];
}

export interface BusEntry {
  doc: BusDoc;
  /** Whether `doc` is in the store (the default bus exists implicitly until first written). */
  persisted: boolean;
  readonly rules: Map<string, RuleEntry>;
  /** Enabled rules with an event pattern, by rule name. */
  readonly matcher: Matcher;
}

/**
 * The in-memory view of buses and rules, rebuilt from the store at startup, and the one place
 * that writes them. Reads are synchronous (PutEvents matches without touching the store); writes
 * go through `exclusive` + `commit`: persist first, then apply to memory, so memory never shows
 * what the store does not have. Control-plane writes are serialised; PutEvents takes no lock.
 */
export class EventsState {
  private readonly buses = new Map<string, BusEntry>();
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  static async load(store: Store, clock: Clock): Promise<EventsState> {
    const state = new EventsState(store, clock);
    await loadFollowing(
      store,
      [RESOURCE_KIND.bus, RESOURCE_KIND.rule],
      () => state.loadAll(),
      (c) => state.applyRemote(c),
    );
    return state;
  }

  private async loadAll(): Promise<void> {
    const state = this;
    const store = this.store;
    for (const r of await store.loadResources(RESOURCE_KIND.bus)) {
      const doc = JSON.parse(r.doc) as BusDoc;
      state.buses.set(doc.arn, state.newEntry(doc, true));
    }
    for (const r of await store.loadResources(RESOURCE_KIND.rule)) {
      const doc = JSON.parse(r.doc) as RuleDoc;
      const bus = state.bus(doc.account, doc.region, doc.busName);
      if (!bus) continue;
      try {
        state.applyRule(bus, doc);
      } catch {
        // A stored pattern a newer engine refuses must not stop the server: the rule is kept
        // (visible, deletable) but matches nothing until it is put again.
        bus.rules.set(doc.name, { doc, targetJson: [], busTarget: [] });
      }
    }
  }

  /** Rules whose bus this node has not heard of yet (the two kinds' feeds are not ordered together), by bus ARN. */
  private readonly waiting = new Map<string, RuleDoc[]>();

  /** Applies a bus or rule another node committed: the same effect as its `commit` there. */
  applyRemote(c: ResourceChange): void {
    if (c.kind === RESOURCE_KIND.bus) {
      if (c.doc === null) return void this.buses.delete(c.key);
      const doc = JSON.parse(c.doc) as BusDoc;
      const existing = this.buses.get(doc.arn);
      if (existing) Object.assign(existing, { doc, persisted: true });
      else this.buses.set(doc.arn, this.newEntry(doc, true));
      for (const r of this.waiting.get(doc.arn) ?? []) this.applyRemoteRule(r);
      this.waiting.delete(doc.arn);
      return;
    }
    if (c.doc !== null) return this.applyRemoteRule(JSON.parse(c.doc) as RuleDoc);
    for (const bus of this.buses.values()) {
      for (const [name, entry] of bus.rules) {
        if (entry.doc.arn !== c.key) continue;
        if (matching(entry.doc)) bus.matcher.remove(name);
        bus.rules.delete(name);
      }
    }
  }

  private applyRemoteRule(doc: RuleDoc): void {
    const bus = this.bus(doc.account, doc.region, doc.busName);
    if (!bus) {
      const arn = busArn(doc.region, doc.account, doc.busName);
      this.waiting.set(arn, [...(this.waiting.get(arn) ?? []), doc]);
      return;
    }
    try {
      this.applyRule(bus, doc);
    } catch {
      bus.rules.set(doc.name, { doc, targetJson: [], busTarget: [] });
    }
  }

  /** Runs control-plane read-check-write sequences one at a time. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The bus, or undefined. The default bus always exists. */
  bus(account: string, region: string, name: string): BusEntry | undefined {
    const arn = busArn(region, account, name);
    const found = this.buses.get(arn);
    if (found || name !== DEFAULT_BUS) return found;
    const now = this.clock.now();
    const entry = this.newEntry({ name, arn, account, region, tags: [], createdAt: now, updatedAt: now }, false);
    this.buses.set(arn, entry);
    return entry;
  }

  busesOf(account: string, region: string): BusEntry[] {
    this.bus(account, region, DEFAULT_BUS);
    return [...this.buses.values()]
      .filter((b) => b.doc.account === account && b.doc.region === region)
      .sort((a, b) => (a.doc.name < b.doc.name ? -1 : a.doc.name > b.doc.name ? 1 : 0));
  }

  allBuses(): IterableIterator<BusEntry> {
    return this.buses.values();
  }

  /** Persists bus and rule changes in one atomic write, then applies them to memory. */
  async commit(change: {
    putBus?: BusDoc;
    deleteBus?: BusDoc;
    putRules?: RuleDoc[];
    deleteRules?: RuleDoc[];
    resources?: ResourceWrite[];
  }): Promise<void> {
    // `resources`: other documents written in the same transaction (an archive with its managed rule).
    const writes: ResourceWrite[] = [...(change.resources ?? [])];
    if (change.putBus) writes.push({ kind: RESOURCE_KIND.bus, key: change.putBus.arn, doc: JSON.stringify(change.putBus) });
    if (change.deleteBus) writes.push({ kind: RESOURCE_KIND.bus, key: change.deleteBus.arn, doc: null });
    for (const r of change.putRules ?? []) writes.push({ kind: RESOURCE_KIND.rule, key: r.arn, doc: JSON.stringify(r) });
    for (const r of change.deleteRules ?? []) writes.push({ kind: RESOURCE_KIND.rule, key: r.arn, doc: null });
    await this.store.writeResources(writes);

    if (change.putBus) {
      const existing = this.buses.get(change.putBus.arn);
      if (existing) Object.assign(existing, { doc: change.putBus, persisted: true });
      else this.buses.set(change.putBus.arn, this.newEntry(change.putBus, true));
    }
    for (const r of change.deleteRules ?? []) {
      const bus = this.bus(r.account, r.region, r.busName);
      const prev = bus?.rules.get(r.name);
      if (bus && prev) {
        if (matching(prev.doc)) bus.matcher.remove(r.name);
        bus.rules.delete(r.name);
      }
    }
    for (const r of change.putRules ?? []) {
      const bus = this.bus(r.account, r.region, r.busName);
      if (bus) this.applyRule(bus, r);
    }
    if (change.deleteBus) this.buses.delete(change.deleteBus.arn);
  }

  private newEntry(doc: BusDoc, persisted: boolean): BusEntry {
    return { doc, persisted, rules: new Map(), matcher: new Matcher() };
  }

  private applyRule(bus: BusEntry, doc: RuleDoc): void {
    const targetJson = doc.targets.map((target) =>
      JSON.stringify({
        ruleName: doc.name,
        ruleArn: doc.arn,
        busArn: bus.doc.arn,
        account: doc.account,
        region: doc.region,
        target,
      } satisfies DeliveryTarget),
    );
    const prev = bus.rules.get(doc.name);
    if (prev && matching(prev.doc)) bus.matcher.remove(doc.name);
    const busTarget = doc.targets.map((t) => /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//.test(t.Arn ?? ''));
    bus.rules.set(doc.name, { doc, targetJson, busTarget });
    if (matching(doc)) bus.matcher.add(doc.name, doc.eventPattern!);
  }
}

/** A disabled rule matches nothing; a scheduled rule is fired by the scheduler, not by events. */
const matching = (doc: RuleDoc): boolean => doc.state !== 'DISABLED' && doc.eventPattern !== undefined;
