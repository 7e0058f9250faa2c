import { readFileSync } from 'node:fs';
import type { Credential, CredentialsLookup } from '../wire/sigv4/credentials.js';
import { ConfigError } from './config.js';

/**
 * The credentials file: JSON `{"credentials": [{"accessKeyId", "secretAccessKey", "accountId"}]}`.
 * With it, every request's signature is verified and its account is the key's account.
 */
export function loadCredentials(
  path: string,
): CredentialsLookup & { readonly all: readonly Credential[]; readonly accounts: readonly string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read credentials file ${path}: ${(err as Error).message}`);
  }
  const list = (parsed as { credentials?: unknown }).credentials;
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigError(`${path}: expected {"credentials": [{accessKeyId, secretAccessKey, accountId}, ...]}`);
  const byKey = new Map<string, Credential>();
  for (const [i, c] of list.entries()) {
    const { accessKeyId, secretAccessKey, accountId } = (c ?? {}) as Record<string, unknown>;
    if (
      typeof accessKeyId !== 'string' ||
      typeof secretAccessKey !== 'string' ||
      typeof accountId !== 'string' ||
      !/^\d{12}$/.test(accountId)
    ) {
      throw new ConfigError(`${path}: credentials[${i}] needs string accessKeyId, secretAccessKey and a 12-digit accountId`);
    }
    byKey.set(accessKeyId, Object.freeze({ accessKeyId, secretAccessKey, accountId }));
  }
  // `all`, in the file's order: the embedded server signs its clients with the first key.
  const accounts = Object.freeze([...new Set([...byKey.values()].map((c) => c.accountId))]);
  return { get: (key) => byKey.get(key), all: [...byKey.values()], accounts };
}
