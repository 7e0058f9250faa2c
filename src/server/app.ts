import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Ec2Service } from '../core/ec2/ec2-service.js';
import { ec2Options } from '../core/ec2/options.js';
import type { CloudTrailService } from '../core/cloudtrail/cloudtrail-service.js';
import { EventsService } from '../core/events/events-service.js';
import { systemClock, type Clock } from '../core/shared/clock.js';
import { cryptoRandom, type Random } from '../core/shared/random.js';
import { DeliveryWorker } from '../delivery/delivery-worker.js';
import { OutboundPolicy } from '../delivery/outbound-policy.js';
import { parseArn } from '../core/shared/arn.js';
import { ServiceError } from '../core/shared/service-error.js';
import { TransportRegistry } from '../delivery/transport.js';
import { ApiDestinationTransport } from '../delivery/transports/api-destination/api-destination-transport.js';
import { OAuthTokenFetcher } from '../delivery/transports/api-destination/oauth-token-fetcher.js';
import { ArchiveTransport } from '../delivery/transports/archive-transport.js';
import { EventBusTransport } from '../delivery/transports/event-bus-transport.js';
import { EventsTransport } from '../delivery/transports/events-transport.js';
import { MemoryArchiveStore } from '../storage/memory/memory-archive-store.js';
import { SqliteArchiveStore } from '../storage/sqlite/sqlite-archive-store.js';
import { MemoryEc2Store } from '../storage/memory/memory-ec2-store.js';
import type { Ec2Store } from '../storage/ports/ec2-store.js';
import { SqliteEc2Store } from '../storage/sqlite/sqlite-ec2-store.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';
import { publishingEc2Store, publishingStore } from '../storage/change-publishing.js';
import { LocalChangeFeed } from '../storage/ports/change-feed.js';
import { createEc2FaultsHandler, faultsPath } from '../wire/control/ec2-faults-handler.js';
import { createEc2QueryHandler, ec2Error, EC2_QUERY_VERSION } from '../wire/services/ec2.js';
import { createEventsHandler, eventsError } from '../wire/services/events.js';
import { ConfigError, databasePath, isLoopback, type Config } from './config.js';
import { openClusterStorage } from './cluster-storage.js';
import { ControlApi } from './control-api.js';
import { createControlHandle } from './control-handle.js';
import { loadCredentials } from './credentials-file.js';
import { createHandle, type Handle } from './handle.js';
import { createListener } from './http-listener.js';
import { createDoor } from './request-door.js';
import { pruneHistory } from './history-retention.js';
import { startCloudTrail, type CloudTrailModule } from './cloudtrail-module.js';
import { startLambda, type LambdaModule } from './lambda-module.js';
import { startLogs, type LogsModule } from './logs-module.js';
import { startMetrics, type MetricsModule } from './metrics-module.js';
import { ServiceRegistry } from './service-registry.js';
import { openNotifications, type Notifications } from './notifications.js';
import { snsMetrics } from '../core/metrics/metrics.js';

export interface AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly log?: (message: string) => void;
  /** Extra transports by target service (tests and benchmarks register controllable ones). */
  readonly transports?: Readonly<Record<string, import('../delivery/transport.js').Transport>>;
  /** Replay pacing (benchmarks compare settings): archived events per step, least pause, duty cycle. */
  readonly replayPacing?: { readonly batchSize?: number; readonly pauseMs?: number; readonly idleRatio?: number };
  /** Scheduler tick, ms (default 1000); 0 disables the timer (tests call fireDue themselves). */
  readonly schedulerIntervalMs?: number;
}

export interface App {
  readonly url: string;
  readonly port: number;
  readonly events: EventsService;
  readonly ec2: Ec2Service;
  readonly store: Store;
  readonly worker: DeliveryWorker;
  readonly registry: ServiceRegistry;
  /** The AWS endpoint and control API without a socket: what the listener calls; tests call it directly. */
  readonly handle: Handle;
  /** SNS and SQS (issue 5). */
  readonly notifications: Notifications;
  /** Lambda functions (docs/lambda.md): `lambda.invoker` is what SNS `lambda` subscriptions call. */
  readonly lambda: LambdaModule;
  /** Metrics (docs/metrics.md): `metrics.hub` is the MetricsRecorder services record through. */
  readonly metrics: MetricsModule;
  /** CloudTrail (docs/cloudtrail.md): trails, event history, the recorder. */
  readonly cloudtrail: CloudTrailService;
  close(): Promise<void>;
}

export const VERSION = '0.1.0';

/**
 * The composition root: configuration → store → domain services → wire handlers → one HTTP
 * listener, plus the delivery worker and the schedule timer. Other AWS services plug in by
 * registering a route in `registerServices`.
 */
/** A Lambda function sending to a destination or dead-letter queue/topic: as its account (its execution role), not a service. */
const lambdaCaller = (source: { functionArn: string; account: string }) => ({
  sourceArn: source.functionArn,
  sourceAccount: source.account,
});

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
  // --nats-url: every port on the JetStream cluster (several nodes, docs/scale-out.md); else SQLite.
  const cluster = config.natsUrl ? await openClusterStorage(config, config.port) : null;
  const store: Store = cluster?.store ?? new SqliteStore({ path: databasePath(config), durability: config.durability });
  let ec2Db: Database.Database | null = null;
  let archiveDb: Database.Database | null = null;
  let lambda: LambdaModule | null = null;
  let logs: LogsModule | null = null;
  let cloudtrail: CloudTrailModule | null = null;
  try {
    // Single owner: whatever the previous process had in flight is due again now. (On a cluster
    // the other nodes' leases are theirs: releasing only gives back what this process holds.)
    await store.releaseLeases(clock.now());
    // Every committed write of a resource is published (change-publishing.ts) for the console's live pages.
    const changes = new LocalChangeFeed();
    // On a cluster the other nodes' writes reach this node's feed too (their KV watches).
    await cluster?.followChanges(changes);
    const publishing = publishingStore(store, changes);
    // Archived events: on the cluster's stream, or their own tables and connection in the same file (as EC2's).
    if (!cluster && !config.inMemory) archiveDb = openSide(databasePath(config), config.durability);
    const archiveStore = cluster?.archive ?? (archiveDb ? new SqliteArchiveStore(archiveDb) : new MemoryArchiveStore());
    const events = await EventsService.open({
      store: publishing,
      clock,
      random,
      organizations: config.organizations,
      archiveStore,
      onReplayError: (e) => log(`replay: ${String(e)}`),
      ...(options.replayPacing?.batchSize !== undefined && { replayBatchSize: options.replayPacing.batchSize }),
      ...(options.replayPacing?.pauseMs !== undefined && { replayPauseMs: options.replayPacing.pauseMs }),
      ...(options.replayPacing?.idleRatio !== undefined && { replayIdleRatio: options.replayPacing.idleRatio }),
    });
    // EC2 keeps its own tables in the same file, through its own connection (its port is
    // synchronous-per-call and serialises its writes); in memory it has its own store.
    let ec2Store: Ec2Store;
    if (cluster) ec2Store = cluster.ec2;
    else if (config.inMemory) ec2Store = new MemoryEc2Store();
    else {
      ec2Db = openSide(databasePath(config), config.durability);
      ec2Store = new SqliteEc2Store(ec2Db);
    }
    const ec2 = new Ec2Service({
      store: publishingEc2Store(ec2Store, changes),
      // AMI events enter the account's default bus through the durable, idempotent path.
      sink: { emit: (event) => events.ingestion.ingestServiceEvent(event) },
      clock,
      random,
      options: ec2Options({
        durations: config.amiDurations,
        instanceDurations: config.instanceDurations,
        snapshotDurationMs: config.snapshotDurationMs,
      }),
      onSinkError: (e) => log(`ec2: event sink refused an event (kept, retried): ${String(e)}`),
    });
    // OAuth connections fetch their tokens over HTTP (delivery's side of the core port).
    events.connections.fetcher = new OAuthTokenFetcher(clock);
    for (const c of events.connections.docs.values()) if (c.state === 'AUTHORIZING') void events.connections.authorize(c.arn);
    const registry = new ServiceRegistry();
    registerServices(registry, { events, ec2, log });
    // Metrics and Lambda (issue 6): see metrics-module.ts and lambda-module.ts.
    const metrics = startMetrics({ clock, feed: events.feed });
    // CloudWatch Logs (issue 19): functions write /aws/lambda/NAME; log groups are rule targets.
    logs = startLogs({ config, clock, log, changes, ...(cluster && { store: cluster.logs }) });
    registry.register(logs.route);
    lambda = await startLambda({
      config,
      clock,
      random,
      metrics: metrics.hub,
      log,
      changes,
      logWriter: logs.logs.events,
      queueStore: store,
      feed: events.feed,
      ...(cluster && { store: cluster.lambda }),
    });
    registry.register(lambda.route);
    const functions = lambda;
    // SNS + SQS: routes, EventBridge transports, DLQ sink and control pages (src/server/notifications.ts).
    // SNS `lambda` subscriptions invoke through the Lambda service as AWS's SNS does: principal
    // sns.amazonaws.com, source ARN the topic (what `add-permission --source-arn` conditions on).
    let baseUrl = '';
    let listeningPort: number | undefined;
    let outbound: OutboundPolicy;
    try {
      outbound = new OutboundPolicy({
        restrictPrivate: credentials !== null,
        allow: config.allowOutbound,
        ownPort: () => listeningPort,
        publicUrl: config.publicUrl,
      });
    } catch (err) {
      throw new ConfigError(`--allow-outbound: ${(err as Error).message}`);
    }
    const notifications = await openNotifications({
      config,
      store: publishing,
      feed: events.feed,
      clock,
      random,
      log,
      baseUrl: () => baseUrl,
      outbound,
      metrics: snsMetrics(metrics.hub),
      lambda: {
        invoke: async (arn, event, topicArn) => {
          const r = await functions.invoker.invokeAsync(arn, event, { principal: 'sns.amazonaws.com', sourceArn: topicArn });
          return r.ok ? { ok: true } : { ok: false, code: r.code, message: r.message };
        },
      },
    });
    for (const route of notifications.routes) registry.register(route);
    // CloudTrail (docs/cloudtrail.md): its API, and the recorder every served call is offered to.
    cloudtrail = await startCloudTrail({ config, clock, random, events, log, changes, ...(cluster && { store: cluster.cloudtrail }) });
    registry.register(cloudtrail.route);

    const transports = new TransportRegistry();
    transports.register(
      'events',
      new EventsTransport({
        'event-bus': new EventBusTransport(events.ingestion),
        archive: new ArchiveTransport(events.archives),
        'api-destination': new ApiDestinationTransport(events.apiDestinations, events.connections, clock),
      }),
    );
    transports.register('lambda', lambda.transport);
    transports.register('logs', logs.transport);
    for (const [service, t] of Object.entries(notifications.transports)) transports.register(service, t);
    for (const [service, t] of Object.entries(options.transports ?? {})) transports.register(service, t);
    // Lambda's asynchronous invocations are jobs of the same queue; their records and dead
    // letters go out through the services themselves (src/delivery/lambda-async/).
    const lambdaJobs = lambda.jobHandlers({
      // As the function: a destination of another account takes it only if its policy lets the
      // function's account in (serviceMay / the topic's access check), as the execution role needs on AWS.
      sendSqs: async (arn, body, attributes, source) =>
        void (await notifications.sqs.messages.sendToArn(arn, { body, ...(attributes && { attributes }) }, lambdaCaller(source))),
      publishSns: async (arn, message, attributes, source) => {
        if (attributes)
          await notifications.sns.publisher.publish(
            { accountId: source.account, region: parseArn(arn)?.region ?? config.defaultRegion, requestId: random.uuid() },
            { TopicArn: arn, Message: message, MessageAttributes: attributes },
          );
        else await notifications.sns.publisher.publishEvent(arn, message, lambdaCaller(source));
      },
      putEvent: (busArn, event, fromAccount, key) => events.ingestion.forward(busArn, event, fromAccount, key),
      invokeAsync: async (arn, payload, source) => {
        // Another account's function: its policy must grant the sending function's account (the one access check).
        const where = parseArn(arn);
        if (where && where.account !== source.account) {
          try {
            await functions.functions.resolved({ accountId: source.account, region: where.region }, arn, undefined, 'InvokeFunction');
          } catch (err) {
            return { ok: false, message: err instanceof ServiceError ? `${err.code}: ${err.message}` : String(err) };
          }
        }
        const r = await functions.invoker.invokeAsync(arn, payload);
        return r.ok ? { ok: true } : { ok: false, message: `${r.code}: ${r.message}` };
      },
    });
    // SNS's deliveries are jobs of the same queue (src/delivery/sns/sns-job-handler.ts).
    const jobs = new Map([...lambdaJobs, ...notifications.jobs]);
    const worker = new DeliveryWorker({
      store,
      transports,
      clock,
      random,
      feed: events.feed,
      jobs,
      ...(cluster && { leaseMs: config.natsAckWaitMs }),
      deadLetters: notifications.deadLetters,
      observer: metrics.observer,
      onError: (e) => log(`delivery: ${String(e)}`),
    });

    const control = new ControlApi({
      events,
      store,
      services: () => registry.names,
      defaultAccount: config.defaultAccount,
      defaultRegion: config.defaultRegion,
      version: VERSION,
      signaturesRequired: credentials !== null,
      changes,
      mounts: [
        { prefix: faultsPath, handler: createEc2FaultsHandler(ec2.faults) },
        ...notifications.mounts,
        metrics.mount,
        ...lambda.mounts,
      ],
    });
    const auth = { credentials, defaultAccount: config.defaultAccount, defaultRegion: config.defaultRegion, clock };
    const operatorAccounts =
      credentials?.accounts.length === 1 ? [config.defaultAccount, credentials.accounts[0]!] : [config.defaultAccount];
    const controlHandle = createControlHandle({ control, auth, bodyLimit: config.bodyLimit, operatorAccounts });
    const handle = createHandle({
      registry,
      auth,
      bodyLimit: config.bodyLimit,
      audit: cloudtrail.service.recorder,
      control: controlHandle,
    });
    const server = createListener({
      handle,
      auth,
      bodyBudget: { total: config.bodyBudget, perConnection: config.connectionBodyBudget },
      clock,
      log,
      // With credentials every state change is signed, so any Host is fine unless --allowed-hosts narrows it.
      door: createDoor({
        listenHost: config.host,
        allowedHosts: config.allowedHosts.length > 0 ? config.allowedHosts : credentials ? ['*'] : [],
      }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    worker.start();
    events.replayRunner.start();
    // Lambda's SQS event source mappings poll through SQS's own operations.
    const sqsCtx = (arn: string) => ({
      accountId: parseArn(arn)?.account ?? '',
      region: parseArn(arn)?.region ?? '',
      requestId: random.uuid(),
    });
    const queuePath = (arn: string) => `/${parseArn(arn)?.account ?? ''}/${parseArn(arn)?.resource ?? ''}`;
    lambda.startPolling(
      {
        facts: async (arn, accountId) => {
          try {
            // As the mapping's account: SQS's access check (the queue policy) decides across accounts.
            const r = await notifications.sqs.getQueueAttributes(
              { ...sqsCtx(arn), accountId },
              { QueueUrl: queuePath(arn), AttributeNames: ['VisibilityTimeout'] },
            );
            return { visibilityTimeoutSeconds: Number(r.Attributes?.VisibilityTimeout ?? 30), fifo: arn.endsWith('.fifo') };
          } catch (err) {
            return err instanceof ServiceError && err.status === 403 ? 'denied' : undefined;
          }
        },
        port: {
          receive: async (arn, max, wait) =>
            (
              await notifications.sqs.messages.receiveMessage(sqsCtx(arn), {
                QueueUrl: queuePath(arn),
                MaxNumberOfMessages: max,
                WaitTimeSeconds: wait,
                MessageSystemAttributeNames: ['All'],
                MessageAttributeNames: ['All'],
              })
            ).Messages ?? [],
          delete: async (arn, handles) => {
            for (let i = 0; i < handles.length; i += 10) {
              const entries = handles.slice(i, i + 10).map((h, j) => ({ Id: String(j), ReceiptHandle: h }));
              await notifications.sqs.messages.deleteMessageBatch(sqsCtx(arn), { QueueUrl: queuePath(arn), Entries: entries });
            }
          },
        },
      },
      `amiwatch-${process.pid}-${random.uuid()}`,
    );
    ec2.lifecycle.start(250, (e) => log(`ec2 lifecycle: ${String(e)}`));
    const interval = options.schedulerIntervalMs ?? 1000;
    const schedule =
      interval > 0
        ? setInterval(
            () =>
              void events.scheduler.fireDue().then(
                () => undefined,
                (e: unknown) => log(`scheduler: ${String(e)}`),
              ),
            interval,
          )
        : null;
    schedule?.unref();
    // Event history retention (history-retention.ts): --retention-hours and --history-max-bytes, checked a minute apart.
    const retention = { maxAgeMs: config.retentionHours * 3_600_000, maxBytes: config.historyMaxBytes, now: () => clock.now() };
    const prune =
      retention.maxAgeMs > 0 || retention.maxBytes > 0
        ? setInterval(() => void pruneHistory(store, retention).catch((e: unknown) => log(`retention: ${String(e)}`)), 60_000)
        : null;
    prune?.unref();
    // Archive retention (each archive's RetentionDays), a batch a minute.
    const pruneArchives = setInterval(
      () => void events.archives.pruneExpired().catch((e: unknown) => log(`archive retention: ${String(e)}`)),
      60_000,
    );
    pruneArchives.unref();
    const port = (server.address() as AddressInfo).port;
    listeningPort = port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    baseUrl = `http://${host}:${port}`;
    lambda.listening(`http://${host}:${port}`);
    cluster?.store.listening(`http://${host}:${port}`);
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}`,
      port,
      events,
      ec2,
      store,
      worker,
      registry,
      handle,
      notifications,
      lambda,
      metrics,
      cloudtrail: cloudtrail.service,
      close() {
        closing ??= (async () => {
          if (schedule) clearInterval(schedule);
          if (prune) clearInterval(prune);
          clearInterval(pruneArchives);
          await events.replayRunner.stop();
          control.closeStreams();
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          // Keep-alive clients would hold the listener open for keepAliveTimeout: in-flight
          // requests get a short grace, then every connection is closed.
          const force = setTimeout(() => server.closeAllConnections(), 2_000);
          await lambda?.stopPolling();
          await notifications.close();
          await closed;
          clearTimeout(force);
          await ec2.lifecycle.stop();
          await worker.stop();
          await lambda?.close();
          logs?.close();
          cloudtrail?.close();
          metrics.close();
          ec2Db?.close();
          archiveDb?.close();
          await (cluster ? cluster.close() : store.close());
        })();
        return closing;
      },
    };
  } catch (err) {
    await lambda?.close();
    logs?.close();
    cloudtrail?.close();
    ec2Db?.close();
    archiveDb?.close();
    await (cluster ? cluster.close() : store.close());
    throw err;
  }
}

/** A second connection to the database file, for a module with its own tables (EC2, archives). */
function openSide(path: string, durability: Config['durability']): Database.Database {
  // The SQLite store may not have made the data directory yet: make it, private to the server's user.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'power' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Every AWS service amiwatch serves, on the one port. */
function registerServices(registry: ServiceRegistry, deps: { events: EventsService; ec2: Ec2Service; log: (m: string) => void }): void {
  registry.register({
    signingName: 'events',
    targetPrefixes: ['AWSEvents'],
    handler: createEventsHandler(deps.events, (err) => deps.log(`events: internal error: ${(err as Error).stack ?? String(err)}`)),
    renderError: eventsError,
    authDialect: 'json',
  });
  registry.register({
    signingName: 'ec2',
    queryVersions: [EC2_QUERY_VERSION],
    handler: createEc2QueryHandler(deps.ec2, {
      onInternalError: (err) => deps.log(`ec2: internal error: ${(err as Error).stack ?? String(err)}`),
    }),
    renderError: ec2Error,
    authDialect: 'ec2',
  });
}
