import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../api/changes.js';

const PAGE = 25;

/**
 * A list page's rows: loaded whole, sorted newest first, paged here; reloaded on every change of
 * these EC2 kinds (the console's, the CLI's, an SDK's, or a lifecycle step).
 */
export function useEc2List<T>(region: string, kinds: string[], load: () => Promise<T[]>, newestFirst: (a: T, b: T) => number) {
  const [all, setAll] = useState<T[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [page, setPage] = useState(0);
  const reload = useCallback(async () => {
    try {
      setAll((await load()).sort(newestFirst));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [region]);
  useEffect(() => {
    setPage(0);
    void reload();
  }, [reload]);
  useChanges('ec2', kinds, reload);
  const pages = Math.max(1, Math.ceil((all?.length ?? 0) / PAGE));
  const current = Math.min(page, pages - 1);
  return {
    items: all && all.slice(current * PAGE, (current + 1) * PAGE),
    error,
    reload,
    page: current,
    hasNext: current < pages - 1,
    nextPage: () => setPage(current + 1),
    prevPage: () => setPage(Math.max(0, current - 1)),
  };
}
