import type { Database } from 'better-sqlite3';

/**
 * Migrations for a module that keeps its own tables in the shared SQLite file (EC2, Lambda,
 * archives): its own version table, `<prefix>_schema_version`, so modules never share
 * `PRAGMA user_version`. Runs the migrations not yet applied, all in one transaction; refuses a
 * file written by a newer build. Append migrations; never edit a released one.
 */
export function migrateModule(db: Database, prefix: string, label: string, migrations: readonly string[]): void {
  const table = `${prefix}_schema_version`;
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER NOT NULL)`);
  const row = db.prepare(`SELECT version FROM ${table}`).get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > migrations.length)
    throw new Error(`${label} tables are at version ${current}, newer than this build knows (${migrations.length})`);
  db.transaction(() => {
    for (let v = current; v < migrations.length; v++) db.exec(migrations[v]!);
    if (row) db.prepare(`UPDATE ${table} SET version = ?`).run(migrations.length);
    else db.prepare(`INSERT INTO ${table} (version) VALUES (?)`).run(migrations.length);
  })();
}
