import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CredentialEntry {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
}

/** A credentials file (`--credentials-file`) in a temporary directory, and how to remove it. */
export function tempCredentialsFile(credentials: readonly CredentialEntry[]): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'amiwatch-credentials-'));
  const file = join(dir, 'credentials.json');
  writeFileSync(file, JSON.stringify({ credentials }));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
