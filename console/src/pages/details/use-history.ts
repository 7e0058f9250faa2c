import { useEffect, useState } from 'preact/hooks';
import { followStream, listEvents, type StoredEvent } from '../../api/control.js';
import { useSession } from '../../api/session.js';

/**
 * The newest events of a search of the event history (`/_amiwatch/events`, filtered on the
 * server), kept current by the event stream: a new event or a delivery outcome reloads it.
 */
export function useHistory(query: Record<string, string>, limit = 20): { events: StoredEvent[] | null; error: unknown } {
  const { account, region } = useSession();
  const [events, setEvents] = useState<StoredEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(query);
  useEffect(() => {
    const load = () =>
      listEvents({ ...query, account, region, limit: String(limit) }).then((p) => (setEvents(p.events), setError(null)), setError);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 250);
    };
    void load();
    const stop = new AbortController();
    void followStream({ event: later, delivery: later }, stop.signal);
    return () => {
      stop.abort();
      clearTimeout(timer);
    };
  }, [key, account, region]);
  return { events, error };
}
