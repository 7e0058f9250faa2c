import { Fragment } from 'preact';
import type { StoredEvent } from '../../api/control.js';
import { ResourceLink } from '../../components/resource-link.js';
import { Badge, ErrorNotice } from '../../components/ui.js';

/** A resource's scalar fields: `main` first in that order, then the rest by name; ids link. */
export function FieldList({ fields, main, testId }: { fields: Record<string, string>; main: readonly string[]; testId: string }) {
  const keys = [
    ...main.filter((k) => fields[k] !== undefined),
    ...Object.keys(fields)
      .filter((k) => !main.includes(k))
      .sort(),
  ];
  return (
    <dl class="kv" data-testid={testId}>
      {keys.map((k) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd class="wrap">
            <ResourceLink value={fields[k]!} mono={false} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function TagTable({ tags, testId }: { tags: Record<string, string>; testId: string }) {
  if (Object.keys(tags).length === 0) return <p class="hint">No tags.</p>;
  return (
    <table data-testid={testId}>
      <tbody>
        {Object.entries(tags).map(([k, v]) => (
          <tr key={k}>
            <td class="mono">{k}</td>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The events of a resource (a search of the event history), with the rules each matched. */
export function EventList({
  history,
  state,
  empty,
  testId,
}: {
  history: { events: StoredEvent[] | null; error: unknown };
  state: (e: StoredEvent) => string;
  empty: string;
  testId: string;
}) {
  return (
    <section class="panel">
      <h2>Its events</h2>
      <ErrorNotice error={history.error} />
      {history.events === null ? (
        <p class="loading-line">Loading events…</p>
      ) : history.events.length === 0 ? (
        <p class="hint">{empty}</p>
      ) : (
        <ul>
          {history.events.map((e) => (
            <li key={e.id} data-testid={testId}>
              {new Date(e.ingestedAt).toLocaleString()} · {e.event['detail-type']} <Badge state={state(e)} /> · matched{' '}
              {e.rules.length === 0
                ? 'no rule'
                : e.rules.map((r, i) => (
                    <span key={r}>
                      {i > 0 && ', '}
                      <a href={`#/rule/${encodeURIComponent(e.bus.slice(e.bus.lastIndexOf('/') + 1))}/${encodeURIComponent(r)}`}>{r}</a>
                    </span>
                  ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
