import { createHash, randomUUID } from 'node:crypto';
import type { FunctionRecord, LambdaStore } from '../ports/lambda-store.js';
import type { ResourceChange } from '../store.js';
import type { JetStreamConnection } from './connection.js';
import { ResourceBucket } from './resource-bucket.js';

const FUNCTION = 'function';
const CODE = 'code';
const VERSION = 'version';
const LEASE = 'lease';
/** Under nats-server's default 1 MB message limit, with room for the base64 text. */
const CHUNK = 512 * 1024;
const fnKey = (accountId: string, region: string, name: string): string => `${accountId}/${region}/${name}`;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface StoredFunction {
  readonly record: FunctionRecord;
  /** Code chunks are keyed `<function>/<code id>/<n>`; a new zip gets a new id. */
  readonly codeId: string;
  readonly chunks: number;
}

/**
 * LambdaStore on JetStream: each function a document of the `amiwatch_lambda` KV bucket; its zip
 * in 512 KiB chunks beside it (a zip may be 50 MB, a NATS message 1 MB). Chunks are written
 * first under a fresh code id, then the function document points at them with one write, so a
 * reader never sees a record with half its code; CreateFunction is a KV create (fails when the
 * name is taken, on any node) and updates compare-and-set on the document's revision.
 * Chunks a replaced zip leaves behind are removed after the document moved on.
 * A published version is a document of its own (`<function>/<version>`) with its own chunks,
 * written together with the function's record in one atomic group (ResourceBucket's intent);
 * leases (event source mapping pollers) are documents changed only by compare-and-set, so two
 * nodes asking at once cannot both win.
 */
export class JetStreamLambdaStore implements LambdaStore {
  private constructor(private readonly docs: ResourceBucket) {}

  static async open(c: JetStreamConnection): Promise<JetStreamLambdaStore> {
    const kv = await c.bucket('lambda');
    return new JetStreamLambdaStore(new ResourceBucket(kv, c.name('lambda'), c.requests, c.jsm, randomUUID));
  }

  /** Every document change made by other nodes (remote-changes.ts feeds the console's change stream from it). */
  watchAllDocs(onChange: (change: ResourceChange) => void): Promise<() => void> {
    return this.docs.watchAll(onChange);
  }

  private async stored(key: string): Promise<{ fn: StoredFunction; revision: number } | null> {
    const got = await this.docs.get(FUNCTION, key);
    return got && { fn: JSON.parse(got.doc) as StoredFunction, revision: got.revision };
  }

  async getFunction(accountId: string, region: string, name: string): Promise<FunctionRecord | undefined> {
    return (await this.stored(fnKey(accountId, region, name)))?.fn.record;
  }

  async listFunctions(accountId: string, region: string, afterName: string | undefined, limit: number): Promise<FunctionRecord[]> {
    return (await this.docs.load(FUNCTION))
      .map((r) => (JSON.parse(r.doc) as StoredFunction).record)
      .filter((r) => r.accountId === accountId && r.region === region && (afterName === undefined || r.name > afterName))
      .sort((a, b) => cmp(a.name, b.name))
      .slice(0, limit);
  }

  private async putCode(key: string, zip: Buffer): Promise<{ codeId: string; chunks: number }> {
    const codeId = `${createHash('sha256').update(zip).digest('hex').slice(0, 16)}-${randomUUID().slice(0, 8)}`;
    const chunks = Math.max(1, Math.ceil(zip.length / CHUNK));
    await Promise.all(
      Array.from({ length: chunks }, (_, i) =>
        this.docs.write([{ kind: CODE, key: `${key}/${codeId}/${i}`, doc: zip.subarray(i * CHUNK, (i + 1) * CHUNK).toString('base64') }]),
      ),
    );
    return { codeId, chunks };
  }

  private async dropCode(key: string, fn: StoredFunction): Promise<void> {
    await Promise.all(
      Array.from({ length: fn.chunks }, (_, i) => this.docs.write([{ kind: CODE, key: `${key}/${fn.codeId}/${i}`, doc: null }])),
    );
  }

  async createFunction(record: FunctionRecord, zip: Buffer): Promise<boolean> {
    const key = fnKey(record.accountId, record.region, record.name);
    if (await this.stored(key)) return false;
    const code = await this.putCode(key, zip);
    const created = await this.docs.create(FUNCTION, key, JSON.stringify({ record, ...code } satisfies StoredFunction));
    if (!created) await this.dropCode(key, { record, ...code });
    return created;
  }

  async updateFunction(record: FunctionRecord, zip?: Buffer): Promise<boolean> {
    const key = fnKey(record.accountId, record.region, record.name);
    for (;;) {
      const current = await this.stored(key);
      if (!current) return false;
      const code = zip ? await this.putCode(key, zip) : { codeId: current.fn.codeId, chunks: current.fn.chunks };
      const next: StoredFunction = { record, ...code };
      if (await this.docs.compareAndSet(this.docs.key(FUNCTION, key), current.revision, JSON.stringify(next))) {
        if (zip) await this.dropCode(key, current.fn);
        return true;
      }
      if (zip) await this.dropCode(key, next); // another node updated it first: decide again
    }
  }

  async deleteFunction(accountId: string, region: string, name: string): Promise<boolean> {
    const key = fnKey(accountId, region, name);
    const current = await this.stored(key);
    if (!current || !(await this.docs.compareAndSet(this.docs.key(FUNCTION, key), current.revision, null))) return false;
    await this.dropCode(key, current.fn);
    // Its published versions go with it (DeleteFunction without a qualifier).
    for (const v of await this.listVersions(accountId, region, name)) await this.deleteVersion(accountId, region, name, v.version!);
    return true;
  }

  async publishVersion(latest: FunctionRecord, version: FunctionRecord, zip: Buffer): Promise<boolean> {
    const key = fnKey(latest.accountId, latest.region, latest.name);
    const vkey = `${key}/${version.version!}`;
    const current = await this.stored(key);
    if (!current || (await this.docs.get(VERSION, vkey))) return false;
    const code = await this.putCode(key, zip);
    await this.docs.write([
      {
        kind: FUNCTION,
        key,
        doc: JSON.stringify({ record: latest, codeId: current.fn.codeId, chunks: current.fn.chunks } satisfies StoredFunction),
      },
      { kind: VERSION, key: vkey, doc: JSON.stringify({ record: version, ...code } satisfies StoredFunction) },
    ]);
    return true;
  }

  private async storedVersion(
    accountId: string,
    region: string,
    name: string,
    version: string,
  ): Promise<{ fn: StoredFunction; revision: number } | null> {
    const got = await this.docs.get(VERSION, `${fnKey(accountId, region, name)}/${version}`);
    return got && { fn: JSON.parse(got.doc) as StoredFunction, revision: got.revision };
  }

  async getVersion(accountId: string, region: string, name: string, version: string): Promise<FunctionRecord | undefined> {
    return (await this.storedVersion(accountId, region, name, version))?.fn.record;
  }

  async listVersions(accountId: string, region: string, name: string): Promise<FunctionRecord[]> {
    const prefix = `${fnKey(accountId, region, name)}/`;
    return (await this.docs.load(VERSION))
      .filter((r) => r.key.startsWith(prefix) && !r.key.slice(prefix.length).includes('/'))
      .map((r) => (JSON.parse(r.doc) as StoredFunction).record)
      .sort((a, b) => Number(a.version) - Number(b.version));
  }

  async getVersionCode(accountId: string, region: string, name: string, version: string): Promise<Buffer | undefined> {
    const v = await this.storedVersion(accountId, region, name, version);
    return v ? this.readCode(fnKey(accountId, region, name), v.fn) : undefined;
  }

  async deleteVersion(accountId: string, region: string, name: string, version: string): Promise<boolean> {
    const key = fnKey(accountId, region, name);
    const v = await this.storedVersion(accountId, region, name, version);
    if (!v || !(await this.docs.compareAndSet(this.docs.key(VERSION, `${key}/${version}`), v.revision, null))) return false;
    await this.dropCode(key, v.fn);
    return true;
  }

  async tryLease(key: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const doc = JSON.stringify({ owner, until: now + ttlMs });
    const held = await this.docs.get(LEASE, key);
    if (!held) return this.docs.create(LEASE, key, doc);
    const lease = JSON.parse(held.doc) as { owner: string; until: number };
    if (lease.owner !== owner && lease.until > now) return false;
    // Compare-and-set: of two nodes taking a lease that ran out, one wins.
    return this.docs.compareAndSet(this.docs.key(LEASE, key), held.revision, doc);
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    const held = await this.docs.get(LEASE, key);
    if (!held || (JSON.parse(held.doc) as { owner: string }).owner !== owner) return;
    await this.docs.compareAndSet(this.docs.key(LEASE, key), held.revision, null);
  }

  async getCode(accountId: string, region: string, name: string): Promise<Buffer | undefined> {
    const key = fnKey(accountId, region, name);
    const current = await this.stored(key);
    return current ? this.readCode(key, current.fn) : undefined;
  }

  private async readCode(key: string, fn: StoredFunction): Promise<Buffer | undefined> {
    const parts = await Promise.all(Array.from({ length: fn.chunks }, (_, i) => this.docs.get(CODE, `${key}/${fn.codeId}/${i}`)));
    if (parts.some((p) => p === null)) return undefined;
    return Buffer.concat(parts.map((p) => Buffer.from(p!.doc, 'base64')));
  }

  /** The connection belongs to the node (shared by every JetStream adapter). */
  close(): void {}
}
