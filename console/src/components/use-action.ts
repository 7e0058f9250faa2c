import { useState } from 'preact/hooks';

/**
 * A page's actions: `run` calls one, then `after` (reading the page again), and shows a failure
 * as `error` instead of throwing it; true when it succeeded (a refused name then stays in its
 * field, to be corrected).
 */
export function useAction(after: () => Promise<unknown>) {
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    try {
      setError(null);
      await action();
      await after();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  return { error, setError, run };
}
