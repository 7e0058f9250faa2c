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
];

const migrate = (db: Database): void => migrateModule(db, 'lambda', 'Lambda', migrations);

/** LambdaStore on SQLite (better-sqlite3, synchronous; the async signatures are the port's). */
export class SqliteLambdaStore implements LambdaStore {
  private readonly s: Record<'get' | 'list' | 'insert' | 'update' | 'updateCode' | 'delete' | 'code', Statement>;

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
    };
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
    return this.s.delete.run(accountId, region, name).changes === 1;
  }

  async getCode(accountId: string, region: string, name: string): Promise<Buffer | undefined> {
    const row = this.s.code.get(accountId, region, name) as { code: Buffer } | undefined;
    return row?.code;
  }

  /** The connection belongs to whoever opened it (the server shares one file between modules). */
  close(): void {}
}
