import { check, matches } from '@amiwatch/event-pattern';
import { dirname, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { busArn } from '../core/events/names.js';
import type { FeedEvent } from '../core/events/event-feed.js';
import type { EventView } from '../storage/store.js';
import { startApp, type App } from '../server/app.js';
import { configFromValues, ConfigError, type Config } from '../server/config.js';
import { loadCredentials } from '../server/credentials-file.js';
import { logFeed } from '../cli/feed-log.js';
import { createLogger, type Logger } from '../cli/logger.js';
import { embeddedFaults } from './faults.js';
import { toFlagValues, type AmiwatchOptions } from './options.js';
import type { Amiwatch, AmiwatchEvent, AmiwatchMail, WaitForEventOptions, WaitForMailOptions } from './types.js';
import { Waiters } from './waiter.js';

const DEFAULT_TIMEOUT_MS = 10_000;

interface Identity {
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly account: string;
}

/**
 * Whom the clients act as: `test`/`test` in the default account (any key is accepted without a
 * credentials file), or with `credentialsFile` its first key, in that key's account — where
 * that key's images and events then are.
 */
function identity(config: Config): Identity {
  if (!config.credentialsFile) return { credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, account: config.defaultAccount };
  const first = loadCredentials(config.credentialsFile).all[0]!;
  return { credentials: { accessKeyId: first.accessKeyId, secretAccessKey: first.secretAccessKey }, account: first.accountId };
}

/**
 * `startAmiwatch(options)`: the server `amiwatch start` runs, in the caller's process, with the
 * handles a test needs. Configuration is the command's (the same option table and parser);
 * AMIWATCH_* variables are not read: a test's server is what its options say.
 */
export async function startEmbedded(options: AmiwatchOptions = {}): Promise<Amiwatch> {
  const config = configFromValues(toFlagValues(options), {});
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, out: logOutput(options) });
  const spec = options.init !== undefined ? await (await import('../cli/init-file.js')).readInitFile(options.init) : null;
  const app = await startApp({ config, log: (m) => logger.warn(m) });
  const id = identity(config);
  try {
    if (spec) await initialise(app, config, id, spec, dirname(resolve(options.init!)), logger);
  } catch (err) {
    await app.close();
    throw err;
  }
  // As `amiwatch start --log-level debug`: every event and delivery outcome.
  const unwatch = config.logLevel === 'debug' ? logFeed(app, logger) : () => {};
  return embedded(app, config, id, unwatch);
}

/** The log goes where `log` says, as `amiwatch start` writes it (level, text or JSON lines). */
function logOutput(options: AmiwatchOptions): Writable {
  if (options.log === undefined) return process.stderr;
  const sink = options.log;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (sink !== false) for (const line of chunk.toString().split('\n').filter(Boolean)) sink(line);
      done();
    },
  });
}

async function initialise(
  app: App,
  config: Config,
  id: Identity,
  spec: import('../cli/init-file.js').InitSpec,
  baseDir: string,
  logger: Logger,
): Promise<void> {
  const { applyInit } = await import('../cli/apply-init.js');
  const made = await applyInit(spec, {
    endpoint: { url: app.url, region: config.defaultRegion, credentials: id.credentials },
    account: id.account,
    services: app.registry.names,
    baseDir,
  });
  for (const line of made) logger.info(`init: ${line}`);
}

function embedded(app: App, config: Config, id: Identity, unwatch: () => void): Amiwatch {
  const waiters = new Waiters();
  const region = config.defaultRegion;
  const { account, credentials } = id;
  const arnOf = (bus = 'default') => (bus.startsWith('arn:') ? bus : busArn(region, account, bus));
  const eventQuery = (o: Omit<WaitForEventOptions, 'timeoutMs'>) => ({
    arn: arnOf(o.bus),
    accept: eventFilter(o),
    since: o.since === undefined ? undefined : +o.since,
  });
  let closing: Promise<void> | null = null;
  const server: Amiwatch = {
    url: app.url,
    port: app.port,
    region,
    account,
    clientConfig: { endpoint: app.url, region, credentials: { ...credentials } },
    env: {
      AWS_ENDPOINT_URL: app.url,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
    },
    async events<D>(o: Omit<WaitForEventOptions, 'timeoutMs'> = {}) {
      const q = eventQuery(o);
      return (await history(app, q.arn, q.since)).filter(q.accept).map((e) => JSON.parse(e.body) as AmiwatchEvent<D>);
    },
    async waitForEvent<D>(o: WaitForEventOptions = {}) {
      const q = eventQuery(o);
      const found = await waiters.wait<FeedEvent | EventView>({
        listen: (on) =>
          app.events.feed.onEvents((events) =>
            events.forEach((e) => e.busArn === q.arn && (q.since === undefined || e.ingestedAt >= q.since) && on(e)),
          ),
        recorded: () => history(app, q.arn, q.since),
        accept: q.accept,
        key: (e) => e.eventId,
        timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        what: `event on ${q.arn}${o.pattern === undefined ? '' : ` matching ${typeof o.pattern === 'string' ? o.pattern : JSON.stringify(o.pattern)}`}`,
      });
      return JSON.parse(found.body) as AmiwatchEvent<D>;
    },
    waitForMail: (o: WaitForMailOptions = {}) => waitForMail(app, waiters, o),
    faults: embeddedFaults(app.ec2.faults),
    advance: () => app.ec2.lifecycle.advance(),
    close() {
      closing ??= (async () => {
        waiters.cancelAll('amiwatch: the server closed while waiting');
        unwatch();
        await app.close();
      })();
      return closing;
    },
    [Symbol.asyncDispose]: () => server.close(),
  };
  return server;
}

/** The pattern is checked when the wait starts, with AWS's message: a typo fails at once, not by timeout. */
function eventFilter(o: Omit<WaitForEventOptions, 'timeoutMs'>): (e: { body: string }) => boolean {
  if (o.pattern === undefined) return () => true;
  const pattern = typeof o.pattern === 'string' ? o.pattern : JSON.stringify(o.pattern);
  const problem = check(pattern);
  if (problem !== null) throw new ConfigError(`amiwatch: invalid event pattern: ${problem}`);
  return (e) => matches(pattern, e.body);
}

/** Every recorded event on the bus (since a time), oldest first. */
async function history(app: App, arn: string, since: number | undefined): Promise<EventView[]> {
  const pages: EventView[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await app.store.readEvents({
      busArn: arn,
      limit: 1000,
      ...(since !== undefined && { from: since }),
      ...(before !== undefined && { beforeSeq: before }),
    });
    pages.push(...page);
    if (page.length < 1000) return pages.reverse();
    before = page[page.length - 1]!.seq;
  }
}

function waitForMail(app: App, waiters: Waiters, o: WaitForMailOptions): Promise<AmiwatchMail> {
  const mailbox = app.notifications.mailbox;
  if (!mailbox) return Promise.reject(new ConfigError('amiwatch: mail goes to the SMTP server of smtpUrl; the built-in mailbox is off'));
  const since = o.since === undefined ? undefined : +o.since;
  const subject = o.subject;
  const accept = (m: AmiwatchMail): boolean =>
    (o.to === undefined || m.to.toLowerCase() === o.to.toLowerCase()) &&
    (since === undefined || m.at >= since) &&
    (subject === undefined || (typeof subject === 'string' ? m.subject.includes(subject) : subject.test(m.subject)));
  return waiters.wait<AmiwatchMail>({
    listen: (on) => mailbox.onMail(on),
    recorded: async () => (await mailbox.list(o.to, Number.MAX_SAFE_INTEGER)).reverse(),
    accept,
    key: (m) => m.id,
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    what: `mail${o.to === undefined ? '' : ` to ${o.to}`}${subject === undefined ? '' : ` with subject ${String(subject)}`}`,
  });
}
