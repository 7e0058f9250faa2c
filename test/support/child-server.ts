import { startApp } from '../../src/server/app.js';
import { defaults, type Config } from '../../src/server/config.js';

/**
 * A server in its own process, for tests that measure it from outside (its RSS): config
 * overrides as JSON in argv[2]; prints `READY <port>` once listening; stops on SIGTERM.
 */
const overrides = JSON.parse(process.argv[2] ?? '{}') as Partial<Config>;
const app = await startApp({ config: Object.freeze({ ...defaults, port: 0, inMemory: true, ...overrides }), log: () => {} });
process.stdout.write(`READY ${app.port}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
