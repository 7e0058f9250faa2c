import { ec2Errors } from './errors.js';

/**
 * MaxResults/NextToken over a list sorted by a unique key. The token is opaque to clients (the
 * last key returned, encoded), so a page boundary survives items added or removed meanwhile.
 */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function checkMaxResults(maxResults: number | undefined, min: number, max: number): number | undefined {
  if (maxResults === undefined) return undefined;
  if (!Number.isInteger(maxResults) || maxResults < min || maxResults > max) {
    throw ec2Errors.invalidParameterValue(
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Parameter must be between ${min} and ${max}.`,
    );
  }
  return maxResults;
}

export function paginate<T>(
  sorted: readonly T[],
  key: (item: T) => string,
  maxResults: number | undefined,
  nextToken: string | undefined,
): Page<T> {
  const after = nextToken === undefined || nextToken === '' ? undefined : decodeToken(nextToken);
  const start = after === undefined ? 0 : sorted.findIndex((item) => key(item) > after);
  const rest = start < 0 ? [] : sorted.slice(start);
  if (maxResults === undefined || rest.length <= maxResults) return { items: rest };
  const items = rest.slice(0, maxResults);
  return { items, nextToken: encodeToken(key(items[items.length - 1]!)) };
}

const encodeToken = (key: string): string => Buffer.from(`v1:${key}`).toString('base64url');

function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw ec2Errors.invalidNextToken();
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('v1:')) throw ec2Errors.invalidNextToken();
  return text.slice(3);
}
