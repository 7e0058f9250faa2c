import type { FunctionRecord, LambdaStore } from '../ports/lambda-store.js';

const key = (accountId: string, region: string, name: string) => `${accountId}/${region}/${name}`;
const copy = (r: FunctionRecord): FunctionRecord => structuredClone(r);

/** LambdaStore in memory (tests, `--in-memory`). Records are copied in and out, as a real store would. */
export class MemoryLambdaStore implements LambdaStore {
  private readonly functions = new Map<string, { record: FunctionRecord; zip: Buffer }>();
  /** Published versions by function key, then version. */
  private readonly versions = new Map<string, Map<string, { record: FunctionRecord; zip: Buffer }>>();

  async getFunction(accountId: string, region: string, name: string): Promise<FunctionRecord | undefined> {
    const f = this.functions.get(key(accountId, region, name));
    return f && copy(f.record);
  }

  async listFunctions(accountId: string, region: string, afterName: string | undefined, limit: number): Promise<FunctionRecord[]> {
    return [...this.functions.values()]
      .map((f) => f.record)
      .filter((r) => r.accountId === accountId && r.region === region && (afterName === undefined || r.name > afterName))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, limit)
      .map(copy);
  }

  async createFunction(record: FunctionRecord, zip: Buffer): Promise<boolean> {
    const k = key(record.accountId, record.region, record.name);
    if (this.functions.has(k)) return false;
    this.functions.set(k, { record: copy(record), zip: Buffer.from(zip) });
    return true;
  }

  async updateFunction(record: FunctionRecord, zip?: Buffer): Promise<boolean> {
    const k = key(record.accountId, record.region, record.name);
    const existing = this.functions.get(k);
    if (!existing) return false;
    this.functions.set(k, { record: copy(record), zip: zip ? Buffer.from(zip) : existing.zip });
    return true;
  }

  async deleteFunction(accountId: string, region: string, name: string): Promise<boolean> {
    this.versions.delete(key(accountId, region, name));
    return this.functions.delete(key(accountId, region, name));
  }

  async publishVersion(latest: FunctionRecord, version: FunctionRecord, zip: Buffer): Promise<boolean> {
    const k = key(latest.accountId, latest.region, latest.name);
    const existing = this.functions.get(k);
    const versions = this.versions.get(k) ?? new Map<string, { record: FunctionRecord; zip: Buffer }>();
    if (!existing || versions.has(version.version!)) return false;
    versions.set(version.version!, { record: copy(version), zip: Buffer.from(zip) });
    this.versions.set(k, versions);
    this.functions.set(k, { record: copy(latest), zip: existing.zip });
    return true;
  }

  async getVersion(accountId: string, region: string, name: string, version: string): Promise<FunctionRecord | undefined> {
    const v = this.versions.get(key(accountId, region, name))?.get(version);
    return v && copy(v.record);
  }

  async listVersions(accountId: string, region: string, name: string): Promise<FunctionRecord[]> {
    const all = [...(this.versions.get(key(accountId, region, name))?.values() ?? [])].map((v) => copy(v.record));
    return all.sort((a, b) => Number(a.version) - Number(b.version));
  }

  async getVersionCode(accountId: string, region: string, name: string, version: string): Promise<Buffer | undefined> {
    const v = this.versions.get(key(accountId, region, name))?.get(version);
    return v && Buffer.from(v.zip);
  }

  async deleteVersion(accountId: string, region: string, name: string, version: string): Promise<boolean> {
    return this.versions.get(key(accountId, region, name))?.delete(version) ?? false;
  }

  async getCode(accountId: string, region: string, name: string): Promise<Buffer | undefined> {
    const f = this.functions.get(key(accountId, region, name));
    return f && Buffer.from(f.zip);
  }

  private readonly leases = new Map<string, { owner: string; until: number }>();

  async tryLease(key: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const held = this.leases.get(key);
    if (held && held.owner !== owner && held.until > now) return false;
    this.leases.set(key, { owner, until: now + ttlMs });
    return true;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    if (this.leases.get(key)?.owner === owner) this.leases.delete(key);
  }

  close(): void {}
}
