import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/server/app.js';
import { defaults } from '../../src/server/config.js';
import type { FuzzTarget } from './wire-fuzz.js';

export const FUZZ_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/**
 * The two servers the fuzzer runs against, in memory on a free port: `open` (no credentials:
 * any well-formed signature, the loopback default) and `verified` (a credentials file: every
 * signature checked). Each collects its own log.
 */
export async function startFuzzServer(mode: 'open' | 'verified'): Promise<{ target: FuzzTarget; app: App; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'amiwatch-fuzz-'));
  let credentialsFile: string | null = null;
  if (mode === 'verified') {
    credentialsFile = join(dir, 'credentials.json');
    writeFileSync(credentialsFile, JSON.stringify({ credentials: [{ ...FUZZ_KEYS, accountId: '000000000000' }] }));
  }
  const log: string[] = [];
  const app = await startApp({ config: Object.freeze({ ...defaults, port: 0, inMemory: true, credentialsFile }), log: (m) => log.push(m) });
  return {
    app,
    target: { url: app.url, log, ...(mode === 'verified' && { keys: FUZZ_KEYS }) },
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
