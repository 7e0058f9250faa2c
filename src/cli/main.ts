#!/usr/bin/env node
import { ConfigError, parseConfig } from '../server/config.js';
import { startApp } from '../server/app.js';

/**
 * `amiwatch start [--host H] [--port P] [--data-dir D] [--in-memory] [--credentials-file F]`:
 * serves every amiwatch service on one port until SIGINT/SIGTERM. (The fuller CLI — tail,
 * quickstart, test-pattern — is a later issue.)
 */
const USAGE = `usage: amiwatch start [--host 127.0.0.1] [--port 4566] [--data-dir ./.amiwatch] [--in-memory]
                      [--credentials-file FILE] [--default-account 000000000000] [--default-region us-east-1]
                      [--body-limit BYTES] [--durability process|power] [--retention-hours 168]
environment: AMIWATCH_HOST, AMIWATCH_PORT, AMIWATCH_DATA_DIR, AMIWATCH_IN_MEMORY, AMIWATCH_CREDENTIALS_FILE, ...`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'start') {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  }
  let app;
  try {
    const config = parseConfig(rest, process.env);
    app = await startApp({ config });
    process.stdout.write(
      `amiwatch listening on ${app.url} (${config.inMemory ? 'in memory' : `data in ${config.dataDir}`}; ` +
        `${config.credentialsFile ? 'SigV4 verified' : 'any well-formed SigV4 accepted'})\n`,
    );
  } catch (err) {
    if (err instanceof ConfigError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'EADDRINUSE') {
      process.stderr.write(`amiwatch: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
  const running = app;
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`amiwatch: ${signal}, shutting down\n`);
      void running.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`amiwatch: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
