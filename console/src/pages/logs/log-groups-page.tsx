import { useState } from 'preact/hooks';
import { describeLogGroups, logs } from '../../api/logs.js';
import { Empty, ErrorNotice, Loading, Pager } from '../../components/ui.js';
import { useAction } from '../../components/use-action.js';
import { usePaged } from '../../components/use-paged.js';
import { groupHref } from './log-routes.js';
import { retentionLabel, RetentionSelect, setRetention } from './retention-select.js';

/**
 * CloudWatch Logs' log groups of the region: search by name (DescribeLogGroups'
 * logGroupNamePattern, a case-insensitive substring), create, set the retention, delete. Kept
 * current by the change stream (a function's first run creates /aws/lambda/NAME).
 */
export function LogGroupsPage() {
  const [pattern, setPattern] = useState('');
  const [name, setName] = useState('');
  const list = usePaged((token) => describeLogGroups(token, pattern), [pattern], { service: 'logs', kinds: ['log-group'] });
  const { error, run } = useAction(list.reload);
  return (
    <div>
      <h1>Log groups</h1>
      <p class="sub">
        CloudWatch Logs: each Lambda function writes to <span class="mono">/aws/lambda/NAME</span>; a rule can send its events to a log
        group too.
      </p>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => logs('CreateLogGroup', { logGroupName: name })).then((ok) => ok && setName(''));
        }}
      >
        <input
          aria-label="New log group name"
          placeholder="/my/log-group"
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button class="primary" type="submit" disabled={!name}>
          Create log group
        </button>
        <span class="grow" />
        <input
          type="search"
          aria-label="Filter log groups"
          placeholder="Filter log groups by name"
          value={pattern}
          onInput={(e) => setPattern((e.target as HTMLInputElement).value)}
        />
      </form>
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="log groups" />}
      {list.items?.length === 0 && (
        <Empty title={pattern ? `No log group's name contains "${pattern}"` : 'No log groups'}>
          <p>A Lambda function's group appears when it first runs.</p>
        </Empty>
      )}
      {list.items && list.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Log group</th>
                <th>Retention</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.items.map((g) => (
                <tr key={g.logGroupName} data-testid={`log-group-${g.logGroupName}`}>
                  <td>
                    <a class="mono" href={groupHref(g.logGroupName)}>
                      {g.logGroupName}
                    </a>
                  </td>
                  <td title={retentionLabel(g.retentionInDays)}>
                    <RetentionSelect
                      group={g.logGroupName}
                      days={g.retentionInDays}
                      onChange={(days) => void run(() => setRetention(logs, g.logGroupName, days))}
                    />
                  </td>
                  <td>{g.creationTime ? new Date(g.creationTime).toLocaleString() : ''}</td>
                  <td>
                    <button
                      class="danger"
                      onClick={() =>
                        confirm(`Delete log group ${g.logGroupName} and all its log streams and events?`) &&
                        void run(() => logs('DeleteLogGroup', { logGroupName: g.logGroupName }))
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
      <Pager page={list.page} hasNext={list.hasNext} onPrev={list.prevPage} onNext={list.nextPage} />
    </div>
  );
}
