import {
  callBefore,
  hasAttribute,
  newestFirst,
  type ApiCallQuery,
  type ApiCallRecord,
  type CloudTrailStore,
  type TrailRecord,
} from '../ports/cloudtrail-store.js';

const key = (accountId: string, region: string, name: string) => `${accountId}/${region}/${name}`;

/** CloudTrailStore in memory (tests, `--in-memory`). Records are copied in and out. */
export class MemoryCloudTrailStore implements CloudTrailStore {
  private readonly trails = new Map<string, TrailRecord>();
  private calls: ApiCallRecord[] = [];

  async allTrails(): Promise<TrailRecord[]> {
    return [...this.trails.values()].map((t) => structuredClone(t));
  }

  async createTrail(trail: TrailRecord): Promise<boolean> {
    const k = key(trail.accountId, trail.region, trail.name);
    if (this.trails.has(k)) return false;
    this.trails.set(k, structuredClone(trail));
    return true;
  }

  async updateTrail(trail: TrailRecord): Promise<boolean> {
    const k = key(trail.accountId, trail.region, trail.name);
    if (!this.trails.has(k)) return false;
    this.trails.set(k, structuredClone(trail));
    return true;
  }

  async deleteTrail(accountId: string, region: string, name: string): Promise<boolean> {
    return this.trails.delete(key(accountId, region, name));
  }

  async appendCalls(records: readonly ApiCallRecord[]): Promise<void> {
    for (const r of records) this.calls.push(structuredClone(r));
  }

  async lookupCalls(q: ApiCallQuery): Promise<ApiCallRecord[]> {
    return this.calls
      .filter((r) => r.accountId === q.accountId && r.region === q.region && r.eventTime >= q.startTime && r.eventTime <= q.endTime)
      .filter((r) => (q.attribute ? hasAttribute(r, q.attribute) : true) && (q.before ? callBefore(r, q.before) : true))
      .sort(newestFirst)
      .slice(0, q.limit)
      .map((r) => structuredClone(r));
  }

  async pruneCalls(before: number, limit: number): Promise<number> {
    const old = this.calls
      .filter((r) => r.eventTime < before)
      .sort((a, b) => a.eventTime - b.eventTime)
      .slice(0, limit);
    const gone = new Set(old);
    this.calls = this.calls.filter((r) => !gone.has(r));
    return old.length;
  }

  close(): void {}
}
