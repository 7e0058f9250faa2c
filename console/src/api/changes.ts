import { useEffect, useRef, useState } from 'preact/hooks';
import { send } from './http.js';
import { session } from './session.js';
import { readEventStream } from './sse.js';

/**
 * The one live connection of the console: `/_amiwatch/changes` for the session's account and
 * region (resource changes committed by anyone: this console, the AWS CLI, an SDK, the AMI
 * lifecycle). List pages subscribe with `useChanges` and reload what changed; the header shows
 * the connection's state (`useConnection`): a server that stops answering is shown as down.
 */
export interface ResourceChange {
  service: string;
  kind: string;
  id: string;
  action: 'put' | 'delete';
}

export type ConnectionState = 'connecting' | 'live' | 'down';

type Listener = (changes: ResourceChange[]) => void;
const listeners = new Set<Listener>();
const stateListeners = new Set<(s: ConnectionState) => void>();
let state: ConnectionState = 'connecting';
let connection: { scope: string; stop: AbortController } | null = null;

function setState(next: ConnectionState): void {
  if (next === state) return;
  state = next;
  for (const l of stateListeners) l(state);
}

/** (Re)connects for the current session's scope; one connection whatever the number of pages. */
export function connectChanges(): void {
  const { account, region } = session();
  const scope = `${account}/${region}`;
  if (connection?.scope === scope) return;
  connection?.stop.abort();
  const stop = new AbortController();
  connection = { scope, stop };
  void run(new URLSearchParams({ account, region }).toString(), stop.signal);
}

async function run(query: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await send('GET', `/_amiwatch/changes?${query}`, 'amiwatch', { accept: 'text/event-stream' }, '', signal);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      setState('live');
      // Whatever changed while the stream was down is unknown: every subscriber reloads.
      for (const l of listeners) l([]);
      await readEventStream(res, (type, data) => {
        if (type !== 'change') return;
        const { changes } = JSON.parse(data) as { changes: ResourceChange[] };
        for (const l of listeners) l(changes);
      });
    } catch {
      // aborted, refused, or cut off: below
    }
    if (signal.aborted) return;
    setState('down');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Calls `reload` when a change of `service` (and one of `kinds`, if given; and, if `id` is given,
 * that resource or one within it, `id:…` — a page of one resource) arrives, at most once per 250 ms, and after a reconnect.
 * `reload` may change between renders.
 */
export function useChanges(service: string | string[], kinds: string[] | null, reload: () => unknown, id?: string): void {
  const latest = useRef(reload);
  latest.current = reload;
  const services = Array.isArray(service) ? service : [service];
  useEffect(() => {
    connectChanges();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const listener: Listener = (changes) => {
      const relevant =
        changes.length === 0 ||
        changes.some(
          (c) =>
            services.includes(c.service) &&
            (!kinds || kinds.includes(c.kind)) &&
            (id === undefined || c.id === id || c.id.startsWith(`${id}:`)),
        );
      if (!relevant || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void latest.current();
      }, 250);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (timer) clearTimeout(timer);
    };
  }, [services.join(','), kinds?.join(','), id]);
}

export function useConnection(): ConnectionState {
  const [s, set] = useState(state);
  useEffect(() => {
    connectChanges();
    stateListeners.add(set);
    set(state);
    return () => void stateListeners.delete(set);
  }, []);
  return s;
}
