import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { startApp, type App, type AppOptions } from '../../src/server/app.js';
import { defaults, type Config } from '../../src/server/config.js';

/**
 * An in-memory amiwatch on 127.0.0.1, an ephemeral port, and an SDK client pointed at it.
 * Instances pass their transient states in 100 ms (tests launch one to image it).
 */
export async function startTestServer(overrides: Partial<Config> = {}, options: Omit<AppOptions, 'config'> = {}): Promise<App> {
  const instanceDurations = { pending: 100, stopping: 100, 'shutting-down': 100 };
  const config: Config = Object.freeze({ ...defaults, port: 0, inMemory: true, instanceDurations, ...overrides });
  return startApp({ config, log: () => {}, ...options });
}

export function sdkClient(
  app: App,
  credentials = { accessKeyId: 'test', secretAccessKey: 'test' },
  region = 'us-east-1',
): EventBridgeClient {
  return new EventBridgeClient({ endpoint: app.url, region, credentials, maxAttempts: 1 });
}
