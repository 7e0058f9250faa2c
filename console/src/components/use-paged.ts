import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../api/changes.js';

/**
 * A token-paged list (ListRules, DescribeImages, …): the current page, a stack of the tokens that
 * led to it, and a reload. `deps` restart from the first page (another bus, region, filter).
 * `live` names the resources whose changes (by any client, see api/changes.ts) reload the page.
 */
export function usePaged<T>(
  load: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
  deps: unknown[],
  live?: { service: string; kinds?: string[] },
) {
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const token = tokens[tokens.length - 1];
  const reload = useCallback(async () => {
    try {
      const page = await load(token);
      setItems(page.items);
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [token, ...deps]);
  useEffect(() => setTokens([undefined]), deps);
  useEffect(() => void reload(), [reload]);
  useChanges(live?.service ?? [], live?.kinds ?? null, reload);
  return {
    items,
    error,
    reload,
    page: tokens.length - 1,
    hasNext: next !== undefined,
    nextPage: () => next !== undefined && setTokens([...tokens, next]),
    prevPage: () => tokens.length > 1 && setTokens(tokens.slice(0, -1)),
  };
}
