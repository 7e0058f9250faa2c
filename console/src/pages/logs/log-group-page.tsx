import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { describeLogGroup, describeLogStreams, filterEvents, logs, type LogEvent, type LogGroup } from '../../api/logs.js';
import { useSession } from '../../api/session.js';
import { Empty, ErrorNotice, Loading, Pager } from '../../components/ui.js';
import { useAction } from '../../components/use-action.js';
import { usePaged } from '../../components/use-paged.js';
import { DetailHeader } from '../details/detail-header.js';
import { LogEventsTable } from './log-events-table.js';
import { streamHref } from './log-routes.js';
import { RetentionSelect, setRetention } from './retention-select.js';

/** Matches shown by "Search log group" (FilterLogEvents pages on until this many). */
const SEARCH_LIMIT = 500;

/**
 * One log group: its ARN and retention, its streams (the one written to last first), and a search
 * of every stream with a filter pattern (FilterLogEvents), as the CloudWatch console's
 * "Search log group" does. Streams appear and move up as events arrive (the change stream).
 */
export function LogGroupPage({ name }: { name: string }) {
  const { account, region } = useSession();
  const [group, setGroup] = useState<LogGroup | null | undefined>(undefined);
  const arn = `arn:aws:logs:${region}:${account}:log-group:${name}`;
  const streams = usePaged((token) => describeLogStreams(name, token), [name, region]);
  const { error, setError, run } = useAction(() => Promise.all([loadGroup(), streams.reload()]));
  const loadGroup = useCallback(
    () =>
      describeLogGroup(name).then(
        (g) => (setGroup(g), setError(null)),
        (e: unknown) => setError(e),
      ),
    [name, region],
  );
  useEffect(() => void loadGroup(), [loadGroup]);
  useChanges('logs', ['log-group'], loadGroup, arn);
  useChanges('logs', ['log-stream'], streams.reload, arn);
  return (
    <div>
      <DetailHeader list="Log groups" listHref="#/logs" name={name}>
        {group && (
          <button
            class="danger"
            onClick={() =>
              confirm(`Delete log group ${name} and all its log streams and events?`) &&
              void run(() => logs('DeleteLogGroup', { logGroupName: name })).then((ok) => ok && (location.hash = '#/logs'))
            }
          >
            Delete log group
          </button>
        )}
      </DetailHeader>
      <ErrorNotice error={error} />
      {group === undefined && !error && <Loading what="the log group" />}
      {group === null && (
        <Empty title={`No log group ${name} in ${region}`}>
          <p>A Lambda function's group is created when it first runs.</p>
        </Empty>
      )}
      {group && (
        <>
          <section class="panel">
            <dl class="kv" data-testid="log-group-fields">
              <dt>ARN</dt>
              <dd class="mono">{group.logGroupArn ?? arn}</dd>
              <dt>Retention</dt>
              <dd>
                <RetentionSelect
                  group={name}
                  days={group.retentionInDays}
                  onChange={(days) => void run(() => setRetention(logs, name, days))}
                />
              </dd>
              <dt>Created</dt>
              <dd>{group.creationTime ? new Date(group.creationTime).toLocaleString() : ''}</dd>
            </dl>
          </section>
          <h2>Log streams</h2>
          <ErrorNotice error={streams.error} />
          {streams.items === null && !streams.error && <Loading what="log streams" />}
          {streams.items?.length === 0 && <Empty title="No log streams" />}
          {streams.items && streams.items.length > 0 && (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Log stream</th>
                    <th>Last event</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {streams.items.map((s) => (
                    <tr key={s.logStreamName} data-testid="log-stream">
                      <td>
                        <a class="mono" href={streamHref(name, s.logStreamName)}>
                          {s.logStreamName}
                        </a>
                      </td>
                      <td>{s.lastEventTimestamp ? new Date(s.lastEventTimestamp).toLocaleString() : 'no events'}</td>
                      <td>{s.creationTime ? new Date(s.creationTime).toLocaleString() : ''}</td>
                      <td>
                        <button
                          class="danger"
                          onClick={() =>
                            confirm(`Delete log stream ${s.logStreamName} and its events?`) &&
                            void run(() => logs('DeleteLogStream', { logGroupName: name, logStreamName: s.logStreamName }))
                          }
                        >
                          Delete
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager page={streams.page} hasNext={streams.hasNext} onPrev={streams.prevPage} onNext={streams.nextPage} />
          <GroupSearch group={name} />
        </>
      )}
    </div>
  );
}

/** "Search log group": a filter pattern over every stream (empty: every event), oldest first. */
function GroupSearch({ group }: { group: string }) {
  const [pattern, setPattern] = useState('');
  const [found, setFound] = useState<LogEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const search = async () => {
    setBusy(true);
    setError(null);
    try {
      setFound(await filterEvents(group, pattern, null, SEARCH_LIMIT));
    } catch (e) {
      setFound(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel">
      <h2>Search log group</h2>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <input
          class="grow mono"
          aria-label="Filter pattern"
          placeholder='ERROR, "Task timed out", { $.detail.State = "available" }'
          value={pattern}
          onInput={(e) => setPattern((e.target as HTMLInputElement).value)}
        />
        <button class="primary" type="submit" disabled={busy}>
          Search
        </button>
      </form>
      <ErrorNotice error={error} />
      {busy && <Loading what="matching events" />}
      {found && !busy && (
        <>
          <p class="hint" data-testid="search-summary">
            {found.length === 0
              ? 'No event matches.'
              : `${found.length}${found.length >= SEARCH_LIMIT ? '+' : ''} event(s) match${found.length >= SEARCH_LIMIT ? ' (the first ones shown)' : ''}.`}
          </p>
          {found.length > 0 && <LogEventsTable group={group} events={found} withStream={true} />}
        </>
      )}
    </section>
  );
}
