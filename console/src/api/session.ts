import { useEffect, useState } from 'preact/hooks';
import type { SigningKey } from './sigv4.js';

/**
 * Who the console acts as: the account, the region every AWS call is scoped to, and — when the
 * server verifies signatures — the access key the user logged in with. One module-level value
 * with subscribers, because every page and the API client read it.
 */
export interface Session {
  readonly account: string;
  readonly region: string;
  readonly key: SigningKey | null;
  /** The server has a credentials file: calls must be signed with a real key. */
  readonly signaturesRequired: boolean;
}

const keyStorage = 'amiwatch.key';
const regionStorage = 'amiwatch.region';

let current: Session = {
  account: '000000000000',
  region: localStorage.getItem(regionStorage) ?? 'us-east-1',
  key: readKey(),
  signaturesRequired: false,
};
const listeners = new Set<(s: Session) => void>();

function readKey(): SigningKey | null {
  try {
    const raw = sessionStorage.getItem(keyStorage);
    return raw ? (JSON.parse(raw) as SigningKey) : null;
  } catch {
    return null;
  }
}

export const session = (): Session => current;

export function updateSession(patch: Partial<Session>): void {
  current = { ...current, ...patch };
  if ('region' in patch) localStorage.setItem(regionStorage, current.region);
  if ('key' in patch) {
    if (current.key) sessionStorage.setItem(keyStorage, JSON.stringify(current.key));
    else sessionStorage.removeItem(keyStorage);
  }
  for (const l of listeners) l(current);
}

export function useSession(): Session {
  const [s, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    set(current);
    return () => void listeners.delete(set);
  }, []);
  return s;
}

export const regions = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
] as const;
