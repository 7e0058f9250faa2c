/**
 * The SQLite schema. Shaped by what was measured on this machine (better-sqlite3, WAL): rowid
 * (INTEGER PRIMARY KEY) keys, never random UUID keys, so inserts append to the B-tree's right
 * edge (~112k events/s with a delivery each, against ~20k with UUID keys); the event id is a
 * plain unindexed column. The only index on the hot path is the partial index over pending
 * deliveries, which stays as small as the backlog.
 *
 * Delivery status: `pending` (waiting in the table, due at due_at), `queued` (appended by the
 * running process and held in its memory queue — outside the partial index, so a fresh delivery
 * costs no index write; a process that opens the file turns every `queued` row back into
 * `pending`), `delivered`, `failed`.
 */
export const schemaVersion = 1;

export const schema = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS resources (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  bus_arn TEXT NOT NULL,
  ingested_at INTEGER NOT NULL,
  rules TEXT NOT NULL,
  body TEXT NOT NULL
);

-- A rule's target as deliveries carry it, stored once: every delivery of a rule version refers to
-- the same row, so a delivery row is a handful of integers.
CREATE TABLE IF NOT EXISTS targets (
  id INTEGER PRIMARY KEY,
  rule_arn TEXT NOT NULL,
  target TEXT NOT NULL,
  UNIQUE (rule_arn, target)
);

CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY,
  event_seq INTEGER NOT NULL,
  target_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  updated_at INTEGER NOT NULL
);

-- Keys of events appended idempotently (NewEvent.idempotencyKey); only producers that ask pay.
CREATE TABLE IF NOT EXISTS event_keys (
  key TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS deliveries_pending_due ON deliveries (due_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS deliveries_by_event ON deliveries (event_seq);
`;
