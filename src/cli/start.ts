import { dirname, resolve } from 'node:path';
import { startApp, VERSION, type App } from '../server/app.js';
import { DataInUseError, DiskFullError, isDiskFull } from '../storage/store-errors.js';
import { configFromValues, ConfigError, type Config, type FlagValues } from '../server/config.js';
import type { CliContext } from './context.js';
import { CliError, exitCodes } from './exit-codes.js';
import type { InitSpec } from './init-file.js';
import { logFeed } from './feed-log.js';
import { createLogger, type Logger } from './logger.js';

export interface StartFlags extends FlagValues {
  readonly init?: string;
}

/**
 * `amiwatch start`: the server in this process until Ctrl-C / SIGTERM. Configuration comes from
 * the flags and AMIWATCH_* variables through the server's one parser; an --init file is read
 * before listening (a typo fails fast) and applied once the APIs answer.
 */
export async function runStart(ctx: CliContext, flags: StartFlags): Promise<number> {
  const config = toConfig(flags, ctx.env);
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, out: ctx.out });
  // The init file's reader (and its YAML parser) is loaded only for --init.
  const spec = flags.init !== undefined ? await (await import('./init-file.js')).readInitFile(flags.init) : null;
  const app = await listen(config, logger);
  try {
    if (spec) await initialise(app, config, spec, dirname(resolve(ctx.cwd, flags.init!)), logger, ctx.env);
  } catch (err) {
    await app.close();
    throw err;
  }
  const unwatch = config.logLevel === 'debug' ? logFeed(app, logger) : () => {};
  await banner(ctx, app, config, logger);
  const signal = await ctx.interrupted;
  logger.info(`amiwatch: ${signal}, shutting down`);
  unwatch();
  await app.close();
  logger.info('amiwatch: stopped');
  return exitCodes.ok;
}

export function toConfig(flags: FlagValues, env: Readonly<Record<string, string | undefined>>): Config {
  try {
    return configFromValues(flags, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, exitCodes.usage, 'see `amiwatch start --help` for every option');
    throw err;
  }
}

async function listen(config: Config, logger: Logger): Promise<App> {
  try {
    return await startApp({ config, log: (m) => logger.warn(m) });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, exitCodes.usage);
    if (err instanceof DataInUseError)
      throw new CliError(err.message, exitCodes.usage, 'check with `amiwatch status` whether it is running');
    if (err instanceof DiskFullError || isDiskFull(err)) {
      throw new CliError(
        err instanceof DiskFullError ? err.message : `the disk holding ${config.dataDir} is full: ${(err as Error).message}`,
        exitCodes.usage,
        'free some space (or pass another --data-dir) and start again',
      );
    }
    if ((err as { code?: string }).code === 'EADDRINUSE') {
      throw new CliError(
        `port ${config.port} on ${config.host} is already in use`,
        exitCodes.usage,
        `is amiwatch already running? Check with \`amiwatch status\`, or pick another port: amiwatch start --port ${config.port + 1}`,
      );
    }
    if ((err as { code?: string }).code === 'ENOENT' || (err as { code?: string }).code === 'EACCES') {
      throw new CliError(`${(err as Error).message}`, exitCodes.usage, 'check --data-dir and --credentials-file');
    }
    throw err;
  }
}

async function initialise(
  app: App,
  config: Config,
  spec: InitSpec,
  initDir: string,
  logger: Logger,
  env: CliContext['env'],
): Promise<void> {
  const credentials = config.credentialsFile
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' }
    : { accessKeyId: 'test', secretAccessKey: 'test' };
  // Loaded only for --init: it brings the AWS SDK clients, ~0.4 s of module loading that a plain
  // start does not need (startup is promised under 2 s).
  const { applyInit } = await import('./apply-init.js');
  const made = await applyInit(spec, {
    endpoint: { url: app.url, region: config.defaultRegion, credentials },
    account: config.defaultAccount,
    services: app.registry.names,
    baseDir: initDir,
  });
  for (const line of made) logger.info(`init: ${line}`);
}

async function banner(ctx: CliContext, app: App, config: Config, logger: Logger): Promise<void> {
  const consoleUrl = (await servesConsole(app.url)) ? `${app.url}/` : null;
  const exports = `export AWS_ENDPOINT_URL=${app.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=${config.defaultRegion}`;
  if (config.logFormat === 'json') {
    logger.info('amiwatch started', {
      version: VERSION,
      url: app.url,
      console: consoleUrl,
      services: app.registry.names,
      storage: config.inMemory ? 'memory' : config.dataDir,
      python: app.lambda.pythonSummary,
    });
    return;
  }
  const s = ctx.style;
  const lines = [
    `${s.bold(`amiwatch ${VERSION}`)} listening on ${app.url} (${config.natsUrl ? `state on JetStream at ${config.natsUrl}, replicas ${config.natsReplicas}` : config.inMemory ? 'in memory: nothing is kept' : `data in ${config.dataDir}`})`,
    `  AWS APIs  ${s.cyan(app.url)}  (${app.registry.names.join(', ')})`,
    ...(consoleUrl ? [`  console   ${s.cyan(consoleUrl)}`] : []),
    `  control   ${s.cyan(`${app.url}/_amiwatch/health`)}`,
    '',
    'Point the AWS CLI and SDKs at it:',
    `  ${exports}`,
    `  (AWS CLI v2 older than 2.13 ignores AWS_ENDPOINT_URL: add --endpoint-url ${app.url})`,
    config.credentialsFile ? `  SigV4 is verified with the keys in ${config.credentialsFile}: use one of them instead of test/test.` : '',
    'Then try: amiwatch quickstart     Stop with Ctrl-C.',
  ].filter((l, i, all) => l !== '' || all[i - 1] !== '');
  ctx.out.write(`${lines.join('\n')}\n`);
}

/** The console lives in another part of the server: name its URL only when it answers. */
async function servesConsole(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
    await response.arrayBuffer();
    return response.ok && (response.headers.get('content-type') ?? '').includes('text/html');
  } catch {
    return false;
  }
}
