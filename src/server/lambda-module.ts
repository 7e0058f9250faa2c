import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FunctionLogs } from '../core/lambda/function-logs.js';
import { Invocations } from '../core/lambda/invocations.js';
import type { LogReader, LogWriter } from '../core/lambda/log-writer.js';
import { AsyncInvokeQueue, LAMBDA_ASYNC_JOB } from '../core/lambda/async-queue.js';
import { EventInvokeConfigs } from '../core/lambda/event-invoke-config.js';
import { ConcurrencyGate, FunctionConcurrency } from '../core/lambda/function-concurrency.js';
import { FunctionVersions } from '../core/lambda/versions.js';
import { FunctionAliases } from '../core/lambda/aliases.js';
import type { EventFeed } from '../core/events/event-feed.js';
import type { Store } from '../storage/store.js';
import type { JobHandler } from '../delivery/job-handler.js';
import { AsyncInvokeHandler } from '../delivery/lambda-async/async-invoke-handler.js';
import type { AsyncOutlets } from '../delivery/lambda-async/async-outlets.js';
import { EventSourceMappings, type QueueLookup } from '../core/lambda/event-source-mappings.js';
import { SqsPoller, type SqsPollPort } from '../delivery/lambda-sqs/sqs-poller.js';
import type { LambdaInvoker } from '../core/lambda/invoker.js';
import { LambdaFunctions } from '../core/lambda/lambda-service.js';
import type { MetricsRecorder } from '../core/metrics/metrics.js';
import type { Clock } from '../core/shared/clock.js';
import type { Random } from '../core/shared/random.js';
import type { Transport } from '../delivery/transport.js';
import { LambdaTransport } from '../delivery/transports/lambda-transport.js';
import { CodeCache } from '../runtime/code-cache.js';
import { ProcessRunner } from '../runtime/process-runner.js';
import { detectSandbox } from '../runtime/sandbox.js';
import { findPythons } from '../runtime/python-interpreter.js';
import { pythonsForSandbox } from '../runtime/python-in-sandbox.js';
import { MemoryLambdaStore } from '../storage/memory/memory-lambda-store.js';
import type { LambdaStore } from '../storage/ports/lambda-store.js';
import type { ChangeFeed } from '../storage/ports/change-feed.js';
import { publishingLambdaStore } from '../storage/change-publishing.js';
import { SqliteLambdaStore } from '../storage/sqlite/sqlite-lambda-store.js';
import { createFunctionsHandler, functionsPath } from '../wire/control/functions-handler.js';
import { createLambdaHandler, LAMBDA_BODY_LIMIT, lambdaError as restJsonError } from '../wire/services/lambda.js';
import type { ServiceHandler } from '../wire/service-handler.js';
import { ConfigError, databasePath, type Config } from './config.js';
import type { ServiceRoute } from './service-registry.js';

export interface LambdaModule {
  readonly functions: LambdaFunctions;
  /** What SNS `lambda` subscriptions call. */
  readonly invoker: LambdaInvoker;
  readonly invocations: Invocations;
  readonly route: ServiceRoute;
  /** The EventBridge target transport, for service `lambda`. */
  readonly transport: Transport;
  readonly mounts: readonly { prefix: string; handler: ServiceHandler }[];
  /** Which Python runs python3.x functions, or why none can (python-interpreter.ts). */
  readonly pythonSummary: string;
  /** The delivery queue's `lambda-async` job handler (asynchronous invocations), given where records go. */
  jobHandlers(outlets: AsyncOutlets): ReadonlyMap<string, JobHandler>;
  /** Connects SQS (event source mappings check queues through `facts` and poll through `port`) and starts polling. */
  startPolling(sqs: { facts: QueueLookup; port: SqsPollPort }, owner: string): void;
  /** Stops the SQS pollers (before SQS closes) and gives their leases up. */
  stopPolling(): Promise<void>;
  /** Tells functions where amiwatch listens (AWS_ENDPOINT_URL), once it does. */
  listening(url: string): void;
  close(): Promise<void>;
}

/**
 * Lambda, assembled: its store (SQLite tables in the server's file, or memory), the process
 * runner with its code cache (`<data-dir>/lambda-code`, or a temporary directory in memory mode),
 * the REST-JSON API, the `lambda` target transport and the control endpoints for logs.
 */
export async function startLambda(o: {
  config: Config;
  clock: Clock;
  random: Random;
  metrics: MetricsRecorder;
  log: (m: string) => void;
  /** The durable delivery queue asynchronous invocations wait in, and the feed that wakes its worker. */
  queueStore: Store;
  feed: EventFeed;
  /** A cluster's store (--nats-url); else one of its own. */
  store?: LambdaStore;
  /** Where committed writes are published (the console's live pages). */
  changes?: ChangeFeed;
  /** CloudWatch Logs: where each run's log lines go, and where the control API reads them. */
  logWriter?: LogWriter & LogReader;
}): Promise<LambdaModule> {
  let db: Database.Database | null = null;
  let store: LambdaStore;
  if (o.store)
    store = o.store; // a cluster's (--nats-url)
  else if (o.config.inMemory) store = new MemoryLambdaStore();
  else {
    db = new Database(databasePath(o.config));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    store = new SqliteLambdaStore(db);
  }
  if (o.changes) store = publishingLambdaStore(store, o.changes);
  let endpoint: string | undefined;
  let sandbox;
  try {
    sandbox = detectSandbox(o.config.functionSandbox);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  // With credentials, keys of several accounts meet here: a function that could read the
  // credentials file or /proc of the server would hold every one of them.
  const refusal =
    o.config.credentialsFile !== null && sandbox.kind === 'none'
      ? 'amiwatch runs no Lambda functions: with --credentials-file they need a sandbox (install bubblewrap, or run the server as root so they run as an unprivileged user).'
      : undefined;
  // bubblewrap is the expected case: only a weaker confinement (or none) is worth a warning at start.
  if (refusal) o.log(`lambda: ${refusal}`);
  else if (sandbox.kind !== 'bubblewrap') o.log(`lambda: ${sandbox.description}`);
  // Functions run as another user cannot reach into the data directory (amiwatch makes it 0700):
  // their code is extracted into a temporary directory they may pass through.
  const cache = await CodeCache.open(o.config.inMemory || sandbox.kind === 'user' ? null : join(o.config.dataDir, 'lambda-code'));
  const pythons = await findPythons(o.config.python);
  // Python runs in the sandbox too: an interpreter the sandbox cannot run (a pyenv under /root for
  // the `user` fallback) is said at start and left out, rather than failing at every invoke.
  const inSandbox = refusal
    ? { usable: [...pythons.interpreters], problems: [] }
    : await pythonsForSandbox(sandbox, pythons.interpreters, cache.root);
  for (const problem of inSandbox.problems) o.log(`lambda: ${problem}`);
  const pythonSummary =
    inSandbox.problems.length === 0
      ? pythons.summary
      : inSandbox.usable.length > 0
        ? `python functions run on ${inSandbox.usable.map((p) => `Python ${p.version} (${p.path}, boto3 ${p.boto3})`).join(', ')}`
        : `python functions cannot run: ${inSandbox.problems.join('; ')}`;
  // The server's log is for problems: no usable Python is one (said at start, with the fix);
  // which Python runs the functions is in `amiwatch start`'s "started" line (pythonSummary).
  if (pythons.interpreters.length === 0) o.log(`lambda: ${pythons.summary}`);
  const runner = new ProcessRunner({
    cache,
    endpointUrl: () => endpoint,
    accountKeys: o.config.credentialsFile === null,
    sandbox,
    pythons: inSandbox.usable,
    ...(refusal && { refusal }),
  });
  const logs = new FunctionLogs();
  const functions = new LambdaFunctions({
    store,
    runner,
    clock: o.clock,
    random: o.random,
    nodeVersion: process.version,
    onDeleted: (arn) => logs.forget(arn),
  });
  const invocations = new Invocations({
    functions,
    runner,
    logs,
    metrics: o.metrics,
    clock: o.clock,
    random: o.random,
    onBackgroundError: (e) => o.log(`lambda: ${String(e)}`),
    ...(o.logWriter && { logWriter: o.logWriter }),
    queue: new AsyncInvokeQueue({ store: o.queueStore, feed: o.feed, clock: o.clock }),
    gate: new ConcurrencyGate(),
  });
  const eventInvokeConfigs = new EventInvokeConfigs(functions, o.clock);
  const concurrency = new FunctionConcurrency(functions, store);
  const versions = new FunctionVersions(functions, store);
  const aliases = new FunctionAliases({ functions, store, random: o.random });
  // SQS is opened after Lambda: the mappings ask it about queues once it is connected.
  let queueFacts: QueueLookup = async () => undefined;
  const mappings = await EventSourceMappings.open({
    store: o.queueStore,
    functions,
    clock: o.clock,
    random: o.random,
    queue: (arn, account) => queueFacts(arn, account),
  });
  let poller: SqsPoller | null = null;
  return {
    functions,
    invoker: invocations,
    invocations,
    route: {
      signingName: 'lambda',
      handler: createLambdaHandler({ functions, invocations, eventInvokeConfigs, concurrency, versions, aliases, mappings }, (err) =>
        o.log(`lambda: internal error: ${(err as Error).stack ?? String(err)}`),
      ),
      bodyLimit: LAMBDA_BODY_LIMIT,
      renderError: restJsonError,
      authDialect: 'json',
    },
    transport: new LambdaTransport(invocations),
    pythonSummary,
    mounts: [{ prefix: functionsPath, handler: createFunctionsHandler(functions, logs, o.logWriter) }],
    jobHandlers(outlets) {
      const handler = new AsyncInvokeHandler({
        run: (job, payload) => invocations.runQueued(job, payload),
        outlets,
        clock: o.clock,
        random: o.random,
        metrics: o.metrics,
      });
      return new Map([[LAMBDA_ASYNC_JOB, handler]]);
    },
    startPolling(sqs, owner) {
      queueFacts = sqs.facts;
      poller = new SqsPoller({
        mappings,
        sqs: sqs.port,
        run: (arn, payload) => invocations.runForMapping(arn, payload),
        leases: store,
        owner,
        now: () => Date.now(),
        log: o.log,
      });
      poller.start();
    },
    async stopPolling() {
      await poller?.stop();
      poller = null;
    },
    listening(url) {
      endpoint = url;
    },
    async close() {
      await poller?.stop();
      await runner.close();
      store.close();
      db?.close();
    },
  };
}
