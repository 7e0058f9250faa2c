import type { TrailRecord } from '../../storage/ports/cloudtrail-store.js';

/**
 * Every trail in memory, loaded from the store at start; written store first, then here (memory
 * never shows what the store does not have). It answers the question every served call asks —
 * does a logging trail cover this account and region? — with two Set lookups.
 */
export class TrailSet {
  private readonly trails = new Map<string, TrailRecord>();
  /** `account/region` with a logging single-region trail; accounts with a logging multi-region trail. */
  private loggingRegions = new Set<string>();
  private loggingEverywhere = new Set<string>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(trails: readonly TrailRecord[] = []) {
    for (const t of trails) this.trails.set(key(t.accountId, t.region, t.name), t);
    this.reindex();
  }

  /** Runs trail read-check-write sequences one at a time. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  logging(accountId: string, region: string): boolean {
    return this.loggingEverywhere.has(accountId) || this.loggingRegions.has(`${accountId}/${region}`);
  }

  /** By home region and name; or, for a bare name, a multi-region trail of that name homed elsewhere. */
  find(accountId: string, region: string, name: string): TrailRecord | undefined {
    const own = this.trails.get(key(accountId, region, name));
    if (own) return own;
    return this.ofAccount(accountId).find((t) => t.name === name && t.isMultiRegionTrail);
  }

  /** The trails a region sees: its own and the account's multi-region trails (their shadows), by name. */
  inRegion(accountId: string, region: string): TrailRecord[] {
    return this.ofAccount(accountId).filter((t) => t.region === region || t.isMultiRegionTrail);
  }

  ofAccount(accountId: string): TrailRecord[] {
    return [...this.trails.values()]
      .filter((t) => t.accountId === accountId)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  put(t: TrailRecord): void {
    this.trails.set(key(t.accountId, t.region, t.name), t);
    this.reindex();
  }

  remove(t: Pick<TrailRecord, 'accountId' | 'region' | 'name'>): void {
    this.trails.delete(key(t.accountId, t.region, t.name));
    this.reindex();
  }

  private reindex(): void {
    const regions = new Set<string>();
    const everywhere = new Set<string>();
    for (const t of this.trails.values()) {
      if (!t.isLogging) continue;
      if (t.isMultiRegionTrail) everywhere.add(t.accountId);
      else regions.add(`${t.accountId}/${t.region}`);
    }
    this.loggingRegions = regions;
    this.loggingEverywhere = everywhere;
  }
}

const key = (accountId: string, region: string, name: string) => `${accountId}/${region}/${name}`;
