import type { Database } from 'better-sqlite3';

/**
 * Brings a module's own tables to the newest of its migrations, in one transaction. Each module
 * that shares the SQLite file keeps its version in its own `<prefix>_schema_version` table (not
 * `PRAGMA user_version`, which is the file's); a file newer than this build is refused.
 * Append migrations; never edit a released one.
 */
export function migrateTables(db: Database, prefix: string, migrations: readonly string[]): void {
  const table = `${prefix}_schema_version`;
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER NOT NULL)`);
  const row = db.prepare(`SELECT version FROM ${table}`).get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > migrations.length)
    throw new Error(`${prefix} tables are at version ${current}, newer than this build knows (${migrations.length})`);
  db.transaction(() => {
    for (let v = current; v < migrations.length; v++) db.exec(migrations[v]!);
    if (row) db.prepare(`UPDATE ${table} SET version = ?`).run(migrations.length);
    else db.prepare(`INSERT INTO ${table} (version) VALUES (?)`).run(migrations.length);
  })();
}
