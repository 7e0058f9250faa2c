import Database from 'better-sqlite3';
import { CloudTrailService } from '../core/cloudtrail/cloudtrail-service.js';
import type { EventsService } from '../core/events/events-service.js';
import type { Clock } from '../core/shared/clock.js';
import type { Random } from '../core/shared/random.js';
import { MemoryCloudTrailStore } from '../storage/memory/memory-cloudtrail-store.js';
import type { ChangeFeed } from '../storage/ports/change-feed.js';
import type { CloudTrailStore } from '../storage/ports/cloudtrail-store.js';
import { publishingCloudTrailStore } from '../storage/publishing-cloudtrail-store.js';
import { SqliteCloudTrailStore } from '../storage/sqlite/sqlite-cloudtrail-store.js';
import { CLOUDTRAIL_TARGET_PREFIXES, cloudtrailError, createCloudTrailHandler } from '../wire/services/cloudtrail.js';
import { databasePath, type Config } from './config.js';
import type { ServiceRoute } from './service-registry.js';

export interface CloudTrailModule {
  readonly service: CloudTrailService;
  readonly route: ServiceRoute;
  close(): void;
}

/** How often records past the 90 days of event history are dropped. */
const PRUNE_INTERVAL_MS = 3_600_000;

/**
 * CloudTrail, assembled (docs/cloudtrail.md): its store (SQLite tables in the server's file, or
 * memory), the service, its JSON 1.1 route, the hourly pruning of the event history, and the
 * recorder (`service.recorder`) that the handle gives every request — recorded calls become
 * `AWS API Call via CloudTrail` events on the caller's default bus.
 */
export async function startCloudTrail(o: {
  config: Config;
  clock: Clock;
  random: Random;
  events: EventsService;
  log: (m: string) => void;
  /** The cluster's store (--nats-url); else SQLite tables in the server's file, or memory. */
  store?: CloudTrailStore;
  changes?: ChangeFeed;
}): Promise<CloudTrailModule> {
  let db: Database.Database | null = null;
  let store: CloudTrailStore;
  if (o.store) store = o.store;
  else if (o.config.inMemory) store = new MemoryCloudTrailStore();
  else {
    db = new Database(databasePath(o.config));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${o.config.durability === 'power' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    store = new SqliteCloudTrailStore(db);
  }
  const service = await CloudTrailService.open({
    // Trail writes go on the change feed for the console (publishing-cloudtrail-store.ts).
    store: o.changes ? publishingCloudTrailStore(store, o.changes) : store,
    sink: { emit: (event, readOnly) => o.events.ingestion.ingestServiceEvent(event, readOnly) },
    clock: o.clock,
    random: o.random,
    onError: (e) => o.log(`cloudtrail: a call was not recorded: ${String(e)}`),
  });
  const prune = setInterval(
    () => void service.prune().catch((e: unknown) => o.log(`cloudtrail: pruning: ${String(e)}`)),
    PRUNE_INTERVAL_MS,
  );
  prune.unref();
  return {
    service,
    route: {
      signingName: 'cloudtrail',
      targetPrefixes: CLOUDTRAIL_TARGET_PREFIXES,
      handler: createCloudTrailHandler(service, (err) => o.log(`cloudtrail: internal error: ${(err as Error).stack ?? String(err)}`)),
      renderError: cloudtrailError,
      authDialect: 'json',
    },
    close() {
      clearInterval(prune);
      service.close();
      store.close();
      db?.close();
    },
  };
}
