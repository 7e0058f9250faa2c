import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/server/app.js';
import type { Config } from '../../src/server/config.js';
import { startTestServer } from '../e2e/helpers.js';
import { startNatsServer, type NatsCluster } from './nats-server.js';

/** Two amiwatch nodes (in this process) on one single-server JetStream cluster. */
export interface TwoNodes {
  readonly nats: NatsCluster;
  readonly a: App;
  readonly b: App;
  /** Stops both nodes (a node already closed is fine: App.close is idempotent), the server, the data. */
  close(): Promise<void>;
}

export async function startTwoNodes(name: string, overrides: Partial<Config> = {}): Promise<TwoNodes> {
  const dir = mkdtempSync(join(tmpdir(), `amiwatch-${name}-`));
  const nats = await startNatsServer();
  const node = (n: string) => startTestServer({ inMemory: false, dataDir: join(dir, n), natsUrl: nats.url, natsReplicas: 1, ...overrides });
  const started: App[] = [];
  const close = async () => {
    for (const app of started) await app.close();
    await nats.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    started.push(await node('a'));
    started.push(await node('b'));
  } catch (err) {
    await close();
    throw err;
  }
  return { nats, a: started[0]!, b: started[1]!, close };
}
