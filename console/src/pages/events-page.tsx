import { check, matches } from '@amiwatch/event-pattern';
import { useEffect, useRef, useState } from 'preact/hooks';
import { followStream, listEvents, type StoredEvent } from '../api/control.js';
import { allBusNames } from '../api/eventbridge.js';
import { useSession } from '../api/session.js';
import { DeliveryCells } from '../components/delivery-cells.js';
import { ResourceLink } from '../components/resource-link.js';
import { Badge, Empty, ErrorNotice } from '../components/ui.js';

const ruleName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
const busName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * Events as they arrive (the server's event stream) over the recent history, newest first,
 * filtered by bus, source, detail-type or a pattern: the server searches the whole history
 * (not only the rows loaded); events arriving live are filtered here by the same rules and engine. Each event
 * opens to its JSON, the rules it matched and each delivery's status and attempts; an event with
 * a failed delivery is marked.
 */
export function EventsPage() {
  const { region, account } = useSession();
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [buses, setBuses] = useState<string[]>([]);
  const [bus, setBus] = useState('');
  const [source, setSource] = useState('');
  const [detailType, setDetailType] = useState('');
  const [pattern, setPattern] = useState('');
  const [live, setLive] = useState<'connecting' | 'live' | 'down'>('connecting');
  const [error, setError] = useState<unknown>(null);
  const refresh = useRef<() => void>(() => undefined);

  // Typing settles for 300 ms before the server is asked again.
  const [filters, setFilters] = useState({ source: '', detailType: '', pattern: '' });
  useEffect(() => {
    const t = setTimeout(
      () =>
        setFilters({
          source: source.trim(),
          detailType: detailType.trim(),
          pattern: pattern.trim() && !check(pattern) ? pattern.trim() : '',
        }),
      300,
    );
    return () => clearTimeout(t);
  }, [source, detailType, pattern]);
  const filtering = Boolean(filters.source || filters.detailType || filters.pattern);
  const params = (): Record<string, string> => ({
    limit: '50',
    region,
    account,
    ...(bus && { bus }),
    ...(filters.source && { source: filters.source }),
    ...(filters.detailType && { detailType: filters.detailType }),
    ...(filters.pattern && { pattern: filters.pattern }),
  });
  const [loading, setLoading] = useState(true);
  useEffect(() => void allBusNames().then(setBuses, () => undefined), []);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    setLoading(true);
    const load = () =>
      listEvents(params())
        .then((page) => {
          setEvents(page.events);
          setNext(page.next);
          setError(null);
        }, setError)
        .finally(() => setLoading(false));
    refresh.current = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 200);
    };
    void load();
    const stop = new AbortController();
    void followStream(
      {
        open: () => setLive('live'),
        down: () => setLive('down'),
        event: (e) => {
          setEvents((list) => (list.some((x) => x.id === e.id) ? list : [e, ...list]));
          refresh.current();
        },
        delivery: () => refresh.current(),
      },
      stop.signal,
    );
    return () => {
      stop.abort();
      clearTimeout(timer);
      setLive('connecting');
    };
  }, [bus, region, filters]);

  const older = async () => {
    if (!next) return;
    const page = await listEvents({ ...params(), before: next });
    setEvents((list) => [...list, ...page.events]);
    setNext(page.next);
  };
  const patternError = pattern.trim() ? check(pattern) : null;
  const shown = events.filter((e) => {
    const ev = e.event;
    if (ev.region && ev.region !== region) return false;
    if (
      source &&
      !String(ev.source ?? '')
        .toLowerCase()
        .includes(source.trim().toLowerCase())
    )
      return false;
    if (
      detailType &&
      !String(ev['detail-type'] ?? '')
        .toLowerCase()
        .includes(detailType.trim().toLowerCase())
    )
      return false;
    if (pattern.trim() && !patternError && !matches(pattern, ev)) return false;
    return true;
  });
  return (
    <div>
      <div class="toolbar">
        <h1 class="grow">Events</h1>
        <span class={`live${live === 'live' ? ' on' : live === 'down' ? ' down' : ''}`} data-testid="live">
          {live === 'live' ? 'Live' : live === 'down' ? 'Server down' : 'Connecting'}
        </span>
      </div>
      <p class="sub">Every event on the buses of {region}, as it arrives: the rules it matched and what became of each delivery.</p>
      <div class="panel">
        <div class="toolbar">
          <label>
            Event bus{' '}
            <select value={bus} onChange={(e) => setBus((e.target as HTMLSelectElement).value)}>
              <option value="">All buses</option>
              {buses.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </label>
          <input
            aria-label="Source filter"
            placeholder="source, e.g. aws.ec2"
            value={source}
            onInput={(e) => setSource((e.target as HTMLInputElement).value)}
          />
          <input
            aria-label="Detail type filter"
            placeholder="detail-type"
            value={detailType}
            onInput={(e) => setDetailType((e.target as HTMLInputElement).value)}
          />
        </div>
        <label class="field" style="max-width:none">
          <span>Event pattern filter – optional</span>
          <textarea
            rows={2}
            aria-label="Pattern filter"
            placeholder='{"detail": {"State": ["failed"]}}'
            value={pattern}
            onInput={(e) => setPattern((e.target as HTMLTextAreaElement).value)}
          />
          {patternError && <span class="error">Event pattern is not valid. Reason: {patternError}</span>}
        </label>
      </div>
      <ErrorNotice error={error} />
      {shown.length === 0 && loading ? (
        <p class="loading-line" aria-busy="true">
          {filtering ? 'Searching the event history…' : 'Loading events…'}
        </p>
      ) : shown.length === 0 && filtering ? (
        <div class="panel">
          <Empty title="No events match these filters">
            <p>
              The whole history of {region} was searched
              {next ? ' as far as the first 5,000 events; choose Older events to search further back' : ''}.
            </p>
          </Empty>
        </div>
      ) : shown.length === 0 ? (
        <div class="panel">
          <Empty title="No events yet">
            <p>
              Events appear here the moment they arrive. Create an image on the <a href="#/amis">AMIs</a> page: its state change is sent to
              the default bus.
            </p>
          </Empty>
        </div>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Source / detail-type</th>
                <th>Bus</th>
                <th>Rules</th>
                <th>Deliveries</th>
              </tr>
            </thead>
            {shown.map((e) => (
              <EventRow key={e.id} e={e} />
            ))}
          </table>
        </div>
      )}
      {next && (
        <div class="pager">
          <button onClick={() => void older()}>Older events</button>
        </div>
      )}
    </div>
  );
}

function EventRow({ e }: { e: StoredEvent }) {
  const [open, setOpen] = useState(false);
  const failed = e.deliveries.some((d) => d.status === 'failed');
  const state = typeof e.event.detail?.State === 'string' ? e.event.detail.State : null;
  return (
    <tbody data-testid="event-row">
      <tr class={failed ? 'row-failed' : ''}>
        <td>
          <button aria-expanded={open} onClick={() => setOpen(!open)} aria-label={open ? 'Collapse event' : 'Expand event'}>
            {open ? '▾' : '▸'}
          </button>{' '}
          {new Date(e.ingestedAt).toLocaleTimeString()}
        </td>
        <td>
          <b>{e.event.source}</b> · {e.event['detail-type']} {state && <Badge state={state} />}
        </td>
        <td>
          <ResourceLink value={e.bus} mono={false}>
            {busName(e.bus)}
          </ResourceLink>
        </td>
        <td>
          {e.rules.length === 0 ? (
            <span class="hint">no rule matched</span>
          ) : (
            e.rules.map((r, i) => (
              <span key={r}>
                {i > 0 && ', '}
                <a href={`#/rule/${encodeURIComponent(busName(e.bus))}/${encodeURIComponent(ruleName(r))}`}>{ruleName(r)}</a>
              </span>
            ))
          )}
        </td>
        <td>
          {e.deliveries.map((d) => (
            <span key={d.id} title={d.lastError}>
              <Badge state={d.status} />{' '}
            </span>
          ))}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <div class="grid2">
              <div>
                <h3>Event</h3>
                <pre data-testid="event-json">{JSON.stringify(e.event, null, 2)}</pre>
              </div>
              <div>
                <h3>Matched rules</h3>
                {e.rules.length === 0 ? (
                  <p class="hint">None: no rule on this bus matched the event.</p>
                ) : (
                  <ul>
                    {e.rules.map((r) => (
                      <li key={r}>
                        <a class="mono" href={`#/rule/${encodeURIComponent(busName(e.bus))}/${encodeURIComponent(ruleName(r))}`}>
                          {r}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
                {(e.event.resources ?? []).length > 0 && (
                  <>
                    <h3>Resources</h3>
                    <ul>
                      {(e.event.resources ?? []).map((r) => (
                        <li key={r}>
                          <ResourceLink value={r} />
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                <h3>Deliveries</h3>
                {e.deliveries.length === 0 ? (
                  <p class="hint">None.</p>
                ) : (
                  <table>
                    <thead>
                      <tr>
                        <th>Target</th>
                        <th>Status</th>
                        <th>Attempts</th>
                      </tr>
                    </thead>
                    <tbody>
                      {e.deliveries.map((d) => (
                        <tr key={d.id} class={d.status === 'failed' ? 'row-failed' : ''}>
                          <DeliveryCells d={d} rule={ruleName(d.rule)} />
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            </div>
          </td>
        </tr>
      )}
    </tbody>
  );
}
