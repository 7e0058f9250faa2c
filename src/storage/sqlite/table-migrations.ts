import type { Database } from 'better-sqlite3';

/**
 * Applies a module's migrations to its own tables, tracked in its own version table
 * (`<prefix>_schema_version`), so modules share the SQLite file without sharing
 * `PRAGMA user_version`. All pending migrations run in one transaction.
 */
export function migrateTables(db: Database, prefix: string, label: string, migrations: readonly string[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${prefix}_schema_version (version INTEGER NOT NULL)`);
  const row = db.prepare(`SELECT version FROM ${prefix}_schema_version`).get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > migrations.length) throw new Error(`${label} tables are at version ${current}, newer than this build knows (${migrations.length})`);
  db.transaction(() => {
    for (let v = current; v < migrations.length; v++) db.exec(migrations[v]!);
    if (row) db.prepare(`UPDATE ${prefix}_schema_version SET version = ?`).run(migrations.length);
    else db.prepare(`INSERT INTO ${prefix}_schema_version (version) VALUES (?)`).run(migrations.length);
  })();
}
