/**
 * The `amiwatch` package: the embeddable server. Importing it loads nothing heavy — the server
 * (SQLite, the AWS wire layer, the services) is loaded when `startAmiwatch` is first called.
 *
 *   import { startAmiwatch } from 'amiwatch';
 *   const amiwatch = await startAmiwatch({ amiDuration: '0s' });
 *   const ec2 = new EC2Client(amiwatch.clientConfig);
 *   …
 *   await amiwatch.close();
 *
 * See docs/testing-ami-automation.md.
 */
import type { AmiwatchOptions } from './embed/options.js';
import type { Amiwatch } from './embed/types.js';

export type { AmiwatchOptions, StartOptionsFromTable } from './embed/options.js';
export type * from './embed/types.js';

/**
 * Starts an amiwatch server in this process: every option of `amiwatch start`, with the same
 * names (`amiDuration`, `credentialsFile`, …). Defaults for tests: any free port (`port: 0`) and
 * nothing on disk (`inMemory`) unless `dataDir` is given. AMIWATCH_* variables are not read.
 */
export async function startAmiwatch(options: AmiwatchOptions = {}): Promise<Amiwatch> {
  const { startEmbedded } = await import('./embed/embedded-server.js');
  return startEmbedded(options);
}
