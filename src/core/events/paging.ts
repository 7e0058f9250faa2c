import { EventsErrors } from '../generated/errors.js';

/**
 * NextToken paging over a name-sorted list. The token is the last name returned, base64url
 * encoded, so pages stay stable while resources are added or deleted between calls.
 */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function paginate<T>(
  sorted: readonly T[],
  keyOf: (t: T) => string,
  limit: number | undefined,
  nextToken: string | undefined,
): Page<T> {
  let start = 0;
  if (nextToken !== undefined) {
    const after = decodeToken(nextToken);
    start = sorted.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = sorted.length;
  }
  const size = limit ?? 100;
  const items = sorted.slice(start, start + size);
  const more = start + size < sorted.length;
  return more ? { items, nextToken: encodeToken(keyOf(items[items.length - 1]!)) } : { items };
}

const PREFIX = 'amiwatch:';

function encodeToken(key: string): string {
  return Buffer.from(PREFIX + key, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  // AWS answers a token it did not issue with this ValidationException.
  if (!text.startsWith(PREFIX)) throw EventsErrors.ValidationException('The provided NextToken is not valid.');
  return text.slice(PREFIX.length);
}
