import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { filterEvents, newerEvents, streamEvents, type LogEvent } from '../../api/logs.js';
import { useSession } from '../../api/session.js';
import { Empty, ErrorNotice, Loading } from '../../components/ui.js';
import { LogEventsTable } from './log-events-table.js';
import { groupHref } from './log-routes.js';

/** Events read per page (the newest first, "Load older events" for the ones before). */
const PAGE = 100;
/** Rows kept while following: the oldest go first. */
const KEPT = 2000;
/** Matches shown for a filter pattern. */
const FILTER_LIMIT = 500;

/**
 * One log stream's events, oldest first, the newest at the bottom (as AWS's console and
 * `aws logs tail` show them). Following (on by default) appends new events as they are written:
 * the change stream names the stream when events are appended, and the page reads on from its
 * last event's GetLogEvents forward token. A filter pattern shows the matching events instead
 * (FilterLogEvents on this stream), read again on each change while following.
 */
export function LogStreamPage({ group, stream }: { group: string; stream: string }) {
  const { account, region } = useSession();
  const [events, setEvents] = useState<LogEvent[] | null>(null);
  const [older, setOlder] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [follow, setFollow] = useState(true);
  const [input, setInput] = useState('');
  const [pattern, setPattern] = useState('');
  const newer = useRef<string | undefined>(undefined);
  // Reads one at a time, in order: a burst of changes never appends the same events twice.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const enqueue = (read: () => Promise<void>) => {
    queue.current = queue.current.then(read).catch((e: unknown) => setError(e));
    return queue.current;
  };

  const load = useCallback(
    () =>
      enqueue(async () => {
        setError(null);
        if (pattern) {
          setEvents(await filterEvents(group, pattern, [stream], FILTER_LIMIT));
          setOlder(undefined);
          return;
        }
        const page = await streamEvents(group, stream, PAGE);
        newer.current = page.newer;
        setEvents(page.events);
        setOlder(page.older);
      }),
    [group, stream, pattern, region],
  );
  useEffect(() => {
    setEvents(null);
    void load();
  }, [load]);

  const onChange = () => {
    if (!follow) return;
    if (pattern || !newer.current) return void load();
    void enqueue(async () => {
      const next = await newerEvents(group, stream, newer.current!);
      newer.current = next.newer;
      if (next.events.length > 0) setEvents((shown) => [...(shown ?? []), ...next.events].slice(-KEPT));
    });
  };
  useChanges('logs', ['log-stream'], onChange, `arn:aws:logs:${region}:${account}:log-group:${group}:log-stream:${stream}`);

  const loadOlder = () =>
    enqueue(async () => {
      if (!older) return;
      const page = await streamEvents(group, stream, PAGE, older);
      setEvents((shown) => [...page.events, ...(shown ?? [])]);
      setOlder(page.older);
    });

  const missing = (error as { code?: string } | null)?.code === 'ResourceNotFoundException';
  return (
    <div>
      <p class="crumbs">
        <a href="#/logs">Log groups</a> › <a href={groupHref(group)}>{group}</a> › {stream}
      </p>
      <div class="toolbar">
        <h1 class="grow">{stream}</h1>
      </div>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setPattern(input.trim());
        }}
      >
        <input
          class="grow mono"
          aria-label="Filter events"
          placeholder='Filter pattern: ERROR, "Task timed out", { $.level = "error" }'
          value={input}
          onInput={(e) => setInput((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Filter</button>
        {pattern && (
          <button
            type="button"
            onClick={() => {
              setInput('');
              setPattern('');
            }}
          >
            Clear
          </button>
        )}
        <label class="field inline">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow((e.target as HTMLInputElement).checked)} /> Follow new events
        </label>
      </form>
      {missing ? <Empty title={`No log stream ${stream} in ${group} (${region})`} /> : <ErrorNotice error={error} />}
      {events === null && !error && <Loading what="log events" />}
      {older && !pattern && (
        <button type="button" onClick={() => void loadOlder()}>
          Load older events
        </button>
      )}
      {events?.length === 0 && (
        <Empty title={pattern ? 'No event matches the filter pattern' : 'No events yet'}>
          {follow && <p>New events appear here as they are written.</p>}
        </Empty>
      )}
      {events && events.length > 0 && <LogEventsTable group={group} events={events} withStream={false} />}
      {pattern && events && events.length >= FILTER_LIMIT && <p class="hint">The first {FILTER_LIMIT} matching events are shown.</p>}
    </div>
  );
}
