import { useEffect, useState } from 'preact/hooks';

/**
 * A page's data: loaded on mount, loaded again after each action (`run`), and polled every
 * second while `pollWhile` says something is still changing on the server (a replay running, an
 * OAuth connection authorizing). `run` shows the action's error instead of throwing it; `reload`
 * reads again (a page following the change stream calls it).
 */
export function useReloading<T>(load: () => Promise<T>, pollWhile: (data: T) => boolean = () => false) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = async () => {
    try {
      setData(await load());
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => void reload(), []);
  useEffect(() => {
    if (data === null || !pollWhile(data)) return;
    const t = setTimeout(() => void reload(), 1000);
    return () => clearTimeout(t);
  }, [data]);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    try {
      setError(null);
      await action();
      await reload();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  return { data, error, run, reload };
}
