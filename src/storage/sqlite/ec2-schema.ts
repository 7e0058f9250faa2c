import type { Database } from 'better-sqlite3';
import { migrateModule } from './module-migrations.js';

/**
 * The EC2 tables, self-contained: their own version table (`ec2_schema_version`) so they live
 * beside other modules' tables in one SQLite file without sharing `PRAGMA user_version`.
 * Records are JSON; the columns beside them are the ones queries select or order on.
 * Append migrations; never edit a released one.
 */
const migrations: readonly string[] = [
  `CREATE TABLE ec2_images (
     region TEXT NOT NULL,
     image_id TEXT NOT NULL,
     account_id TEXT NOT NULL,
     state TEXT NOT NULL,
     due_at INTEGER,
     deregistered_at INTEGER,
     record TEXT NOT NULL,
     PRIMARY KEY (region, image_id)
   ) WITHOUT ROWID;
   CREATE INDEX ec2_images_due ON ec2_images (due_at) WHERE state = 'pending';
   CREATE INDEX ec2_images_deregistered ON ec2_images (deregistered_at) WHERE state = 'deregistered';
   CREATE TABLE ec2_outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     json TEXT NOT NULL
   );
   CREATE TABLE ec2_store_tasks (
     region TEXT NOT NULL,
     bucket TEXT NOT NULL,
     object_key TEXT NOT NULL,
     account_id TEXT NOT NULL,
     image_id TEXT NOT NULL,
     state TEXT NOT NULL,
     due_at INTEGER NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (region, bucket, object_key)
   ) WITHOUT ROWID;
   CREATE INDEX ec2_store_tasks_due ON ec2_store_tasks (due_at) WHERE state = 'InProgress';
   CREATE TABLE ec2_fault_rules (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     record TEXT NOT NULL
   ) WITHOUT ROWID;`,
  `CREATE TABLE ec2_instances (
     region TEXT NOT NULL,
     instance_id TEXT NOT NULL,
     account_id TEXT NOT NULL,
     state TEXT NOT NULL,
     due_at INTEGER,
     terminated_at INTEGER,
     record TEXT NOT NULL,
     PRIMARY KEY (region, instance_id)
   ) WITHOUT ROWID;
   CREATE INDEX ec2_instances_due ON ec2_instances (due_at) WHERE due_at IS NOT NULL;
   CREATE INDEX ec2_instances_terminated ON ec2_instances (terminated_at) WHERE state = 'terminated';`,
  `CREATE TABLE ec2_key_pairs (
     account_id TEXT NOT NULL,
     region TEXT NOT NULL,
     key_name TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (account_id, region, key_name)
   ) WITHOUT ROWID;`,
  `CREATE TABLE ec2_security_groups (
     region TEXT NOT NULL,
     group_id TEXT NOT NULL,
     account_id TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (region, group_id)
   ) WITHOUT ROWID;`,
  `CREATE TABLE ec2_snapshots (
     region TEXT NOT NULL,
     snapshot_id TEXT NOT NULL,
     account_id TEXT NOT NULL,
     state TEXT NOT NULL,
     due_at INTEGER,
     record TEXT NOT NULL,
     PRIMARY KEY (region, snapshot_id)
   ) WITHOUT ROWID;
   CREATE INDEX ec2_snapshots_due ON ec2_snapshots (due_at) WHERE state = 'pending';`,
];

export function migrateEc2Schema(db: Database): void {
  migrateModule(db, 'ec2', 'EC2', migrations);
}
