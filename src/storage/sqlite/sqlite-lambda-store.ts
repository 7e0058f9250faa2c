import type { Database, Statement } from 'better-sqlite3';
import type { FunctionRecord, LambdaStore } from '../ports/lambda-store.js';
import { migrateModule } from './module-migrations.js';

/**
 * The Lambda tables, self-contained like EC2's: their own version table so they share the
 * SQLite file without sharing `PRAGMA user_version`. Code zips are blobs beside their record,
 * so a function and its code are written in one statement and survive restarts together.
 * Append migrations; never edit a released one.
 */
const migrations: readonly string[] = [
  `CREATE TABLE lambda_functions (
     account_id TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     record TEXT NOT NULL,
     code BLOB NOT NULL,
     PRIMARY KEY (account_id, region, name)
   ) WITHOUT ROWID;`,
  `CREATE TABLE lambda_versions (
     account_id TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     version INTEGER NOT NULL,
     record TEXT NOT NULL,
     code BLOB NOT NULL,
     PRIMARY KEY (account_id, region, name, version)
   ) WITHOUT ROWID;`,
  `CREATE TABLE lambda_leases (
     key TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     until INTEGER NOT NULL
   ) WITHOUT ROWID;`,
];

const migrate = (db: Database): void => migrateModule(db, 'lambda', 'Lambda', migrations);

/** Thrown inside the publish transaction to roll it back. */
class VersionTaken extends Error {}

/** LambdaStore on SQLite (better-sqlite3, synchronous; the async signatures are the port's). */
export class SqliteLambdaStore implements LambdaStore {
  private readonly s: Record<
    | 'get'
    | 'list'
    | 'insert'
    | 'update'
    | 'updateCode'
    | 'delete'
    | 'code'
    | 'insertVersion'
    | 'getVersion'
    | 'listVersions'
    | 'versionCode'
    | 'deleteVersion'
    | 'deleteVersions'
    | 'lease'
    | 'release',
    Statement
  >;
  private readonly publishTx: (latest: FunctionRecord, version: FunctionRecord, zip: Buffer) => boolean;
  private readonly deleteTx: (accountId: string, region: string, name: string) => boolean;

  constructor(db: Database) {
    migrate(db);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      get: p('SELECT record FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ?'),
      list: p('SELECT record FROM lambda_functions WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?'),
      insert: p('INSERT OR IGNORE INTO lambda_functions (account_id, region, name, record, code) VALUES (?, ?, ?, ?, ?)'),
      update: p('UPDATE lambda_functions SET record = ? WHERE account_id = ? AND region = ? AND name = ?'),
      updateCode: p('UPDATE lambda_functions SET record = ?, code = ? WHERE account_id = ? AND region = ? AND name = ?'),
      delete: p('DELETE FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ?'),
      code: p('SELECT code FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ?'),
      insertVersion: p('INSERT OR IGNORE INTO lambda_versions (account_id, region, name, version, record, code) VALUES (?, ?, ?, ?, ?, ?)'),
      getVersion: p('SELECT record FROM lambda_versions WHERE account_id = ? AND region = ? AND name = ? AND version = ?'),
      listVersions: p('SELECT record FROM lambda_versions WHERE account_id = ? AND region = ? AND name = ? ORDER BY version'),
      versionCode: p('SELECT code FROM lambda_versions WHERE account_id = ? AND region = ? AND name = ? AND version = ?'),
      deleteVersion: p('DELETE FROM lambda_versions WHERE account_id = ? AND region = ? AND name = ? AND version = ?'),
      deleteVersions: p('DELETE FROM lambda_versions WHERE account_id = ? AND region = ? AND name = ?'),
      // One statement decides: a free, expired or own lease is taken; another's live one is not.
      lease: p(`INSERT INTO lambda_leases (key, owner, until) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until = excluded.until
                WHERE lambda_leases.owner = excluded.owner OR lambda_leases.until <= ?`),
      release: p('DELETE FROM lambda_leases WHERE key = ? AND owner = ?'),
    };
    this.publishTx = db.transaction((latest: FunctionRecord, version: FunctionRecord, zip: Buffer): boolean => {
      if (this.s.update.run(JSON.stringify(latest), latest.accountId, latest.region, latest.name).changes !== 1) return false;
      const added =
        this.s.insertVersion.run(version.accountId, version.region, version.name, Number(version.version), JSON.stringify(version), zip)
          .changes === 1;
      // A version number already taken leaves the function's record as it was.
      if (!added) throw new VersionTaken();
      return true;
    });
    this.deleteTx = db.transaction((accountId: string, region: string, name: string): boolean => {
      this.s.deleteVersions.run(accountId, region, name);
      return this.s.delete.run(accountId, region, name).changes === 1;
    });
  }

  async getFunction(accountId: string, region: string, name: string): Promise<FunctionRecord | undefined> {
    const row = this.s.get.get(accountId, region, name) as { record: string } | undefined;
    return row && (JSON.parse(row.record) as FunctionRecord);
  }

  async listFunctions(accountId: string, region: string, afterName: string | undefined, limit: number): Promise<FunctionRecord[]> {
    const rows = this.s.list.all(accountId, region, afterName ?? '', limit) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as FunctionRecord);
  }

  async createFunction(record: FunctionRecord, zip: Buffer): Promise<boolean> {
    return this.s.insert.run(record.accountId, record.region, record.name, JSON.stringify(record), zip).changes === 1;
  }

  async updateFunction(record: FunctionRecord, zip?: Buffer): Promise<boolean> {
    const r = zip
      ? this.s.updateCode.run(JSON.stringify(record), zip, record.accountId, record.region, record.name)
      : this.s.update.run(JSON.stringify(record), record.accountId, record.region, record.name);
    return r.changes === 1;
  }

  async deleteFunction(accountId: string, region: string, name: string): Promise<boolean> {
    return this.deleteTx(accountId, region, name);
  }

  async publishVersion(latest: FunctionRecord, version: FunctionRecord, zip: Buffer): Promise<boolean> {
    try {
      return this.publishTx(latest, version, zip);
    } catch (err) {
      if (err instanceof VersionTaken) return false;
      throw err;
    }
  }

  async getVersion(accountId: string, region: string, name: string, version: string): Promise<FunctionRecord | undefined> {
    const row = this.s.getVersion.get(accountId, region, name, Number(version)) as { record: string } | undefined;
    return row && (JSON.parse(row.record) as FunctionRecord);
  }

  async listVersions(accountId: string, region: string, name: string): Promise<FunctionRecord[]> {
    return (this.s.listVersions.all(accountId, region, name) as { record: string }[]).map((r) => JSON.parse(r.record) as FunctionRecord);
  }

  async getVersionCode(accountId: string, region: string, name: string, version: string): Promise<Buffer | undefined> {
    return (this.s.versionCode.get(accountId, region, name, Number(version)) as { code: Buffer } | undefined)?.code;
  }

  async deleteVersion(accountId: string, region: string, name: string, version: string): Promise<boolean> {
    return this.s.deleteVersion.run(accountId, region, name, Number(version)).changes === 1;
  }

  async getCode(accountId: string, region: string, name: string): Promise<Buffer | undefined> {
    const row = this.s.code.get(accountId, region, name) as { code: Buffer } | undefined;
    return row?.code;
  }

  async tryLease(key: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.s.lease.run(key, owner, now + ttlMs, now).changes === 1;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    this.s.release.run(key, owner);
  }

  /** The connection belongs to whoever opened it (the server shares one file between modules). */
  close(): void {}
}
