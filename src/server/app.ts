import type { AddressInfo } from 'node:net';
import { EventsService } from '../core/events/events-service.js';
import { systemClock, type Clock } from '../core/shared/clock.js';
import { cryptoRandom, type Random } from '../core/shared/random.js';
import { DeliveryWorker } from '../delivery/delivery-worker.js';
import { TransportRegistry } from '../delivery/transport.js';
import { EventBusTransport } from '../delivery/transports/event-bus-transport.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';
import { createEventsHandler } from '../wire/json11/events-handler.js';
import { json11Error } from '../wire/json11/json11-protocol.js';
import { ConfigError, databasePath, isLoopback, type Config } from './config.js';
import { ControlApi } from './control-api.js';
import { loadCredentials } from './credentials-file.js';
import { createListener } from './http-listener.js';
import { ServiceRegistry } from './service-registry.js';

export interface AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly log?: (message: string) => void;
  /** Extra transports by target service (tests and benchmarks register controllable ones). */
  readonly transports?: Readonly<Record<string, import('../delivery/transport.js').Transport>>;
  /** Scheduler tick, ms (default 1000); 0 disables the timer (tests call fireDue themselves). */
  readonly schedulerIntervalMs?: number;
}

export interface App {
  readonly url: string;
  readonly port: number;
  readonly events: EventsService;
  readonly store: Store;
  readonly worker: DeliveryWorker;
  readonly registry: ServiceRegistry;
  close(): Promise<void>;
}

export const VERSION = '0.1.0';

/**
 * The composition root: configuration → store → domain services → wire handlers → one HTTP
 * listener, plus the delivery worker and the schedule timer. Other AWS services plug in by
 * registering a route in `registerServices`.
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? cryptoRandom;
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  if (!isLoopback(config.host) && !config.credentialsFile) {
    throw new ConfigError(
      `refusing to listen on ${config.host} without credentials: anyone who can reach it could act as any account. ` +
        'Pass --credentials-file (access keys verified with SigV4) or listen on 127.0.0.1.',
    );
  }
  const credentials = config.credentialsFile ? loadCredentials(config.credentialsFile) : null;
  const store = new SqliteStore({ path: databasePath(config), durability: config.durability });
  try {
    // Single owner: whatever the previous process had in flight is due again now.
    await store.releaseLeases(clock.now());
    const events = await EventsService.open({ store, clock, random });
    const registry = new ServiceRegistry();
    registerServices(registry, { events, log });

    const transports = new TransportRegistry();
    transports.register('events', new EventBusTransport(events.ingestion));
    for (const [service, t] of Object.entries(options.transports ?? {})) transports.register(service, t);
    const worker = new DeliveryWorker({ store, transports, clock, random, feed: events.feed, onError: (e) => log(`delivery: ${String(e)}`) });

    const control = new ControlApi({ events, store, services: () => registry.names, defaultAccount: config.defaultAccount, defaultRegion: config.defaultRegion, version: VERSION });
    const server = createListener({
      registry,
      control,
      auth: { credentials, defaultAccount: config.defaultAccount, defaultRegion: config.defaultRegion, clock },
      bodyLimit: config.bodyLimit,
      clock,
      log,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    worker.start();
    const interval = options.schedulerIntervalMs ?? 1000;
    const schedule = interval > 0 ? setInterval(() => void events.scheduler.fireDue().then(() => undefined, (e: unknown) => log(`scheduler: ${String(e)}`)), interval) : null;
    schedule?.unref();
    const port = (server.address() as AddressInfo).port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}`,
      port,
      events,
      store,
      worker,
      registry,
      close() {
        closing ??= (async () => {
          if (schedule) clearInterval(schedule);
          control.closeStreams();
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          await closed;
          await worker.stop();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Every AWS service amiwatch serves, on the one port. */
function registerServices(registry: ServiceRegistry, deps: { events: EventsService; log: (m: string) => void }): void {
  registry.register({
    signingName: 'events',
    targetPrefixes: ['AWSEvents'],
    handler: createEventsHandler(deps.events, (err) => deps.log(`events: internal error: ${(err as Error).stack ?? String(err)}`)),
    renderError: json11Error,
  });
}
