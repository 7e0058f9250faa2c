import Database from 'better-sqlite3';
import { LogsService } from '../core/logs/logs-service.js';
import type { Clock } from '../core/shared/clock.js';
import { LogGroupTransport } from '../delivery/transports/log-group-transport.js';
import type { Transport } from '../delivery/transport.js';
import { MemoryLogsStore } from '../storage/memory/memory-logs-store.js';
import type { ChangeFeed } from '../storage/ports/change-feed.js';
import type { LogsStore } from '../storage/ports/logs-store.js';
import { publishingLogsStore } from '../storage/publishing-logs-store.js';
import { SqliteLogsStore } from '../storage/sqlite/sqlite-logs-store.js';
import { createLogsHandler, logsError } from '../wire/services/logs.js';
import { databasePath, type Config } from './config.js';
import type { ServiceRoute } from './service-registry.js';

export interface LogsModule {
  readonly logs: LogsService;
  readonly route: ServiceRoute;
  /** The EventBridge target transport, for service `logs`. */
  readonly transport: Transport;
  close(): void;
}

/** How often events past their group's retention are deleted (they are never read once expired). */
const EXPIRY_INTERVAL_MS = 60_000;

/**
 * CloudWatch Logs, assembled: its store (SQLite tables in the server's file, or memory), the
 * JSON 1.1 API, the `logs` rule-target transport, and the retention sweep.
 */
export function startLogs(o: {
  config: Config;
  clock: Clock;
  log: (m: string) => void;
  /** The cluster's store (--nats-url); else SQLite tables in the server's file, or memory. */
  store?: LogsStore;
  changes?: ChangeFeed;
}): LogsModule {
  let db: Database.Database | null = null;
  let store: LogsStore;
  if (o.store) store = o.store;
  else if (o.config.inMemory) store = new MemoryLogsStore();
  else {
    db = new Database(databasePath(o.config));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    store = new SqliteLogsStore(db);
  }
  // Committed writes go on the change feed for the console's live log pages (publishing-logs-store.ts).
  const logs = new LogsService({ store: o.changes ? publishingLogsStore(store, o.changes) : store, clock: o.clock });
  const sweep = setInterval(() => {
    logs.events.expire().catch((e: unknown) => o.log(`logs: retention sweep failed: ${String(e)}`));
  }, EXPIRY_INTERVAL_MS);
  sweep.unref();
  return {
    logs,
    route: {
      signingName: 'logs',
      targetPrefixes: ['Logs_20140328'],
      handler: createLogsHandler(logs, (err) => o.log(`logs: internal error: ${(err as Error).stack ?? String(err)}`)),
      renderError: logsError,
      authDialect: 'json',
    },
    transport: new LogGroupTransport(logs.events),
    close() {
      clearInterval(sweep);
      store.close();
      db?.close();
    },
  };
}
