import { useState } from 'preact/hooks';
import { LOOKUP_ATTRIBUTES, lookupEvents, type TrailEvent } from '../../api/cloudtrail.js';
import { useSession } from '../../api/session.js';
import { ResourceLink } from '../../components/resource-link.js';
import { Empty, ErrorNotice, Loading, Pager } from '../../components/ui.js';
import { usePaged } from '../../components/use-paged.js';
import { TrailsPanel } from './trails-panel.js';

/**
 * CloudTrail: the trails, and the event history of the account and region (LookupEvents,
 * newest first, by one lookup attribute). The history is read again with Refresh, not on every
 * change: each read is itself a recorded API call, so following changes would feed itself.
 */
export function CloudTrailPage() {
  const { region } = useSession();
  const [key, setKey] = useState<string>('EventName');
  const [value, setValue] = useState('');
  const [applied, setApplied] = useState<{ key: string; value: string } | null>(null);
  const history = usePaged((token) => lookupEvents(applied, token), [region, applied?.key, applied?.value]);
  return (
    <div>
      <h1>CloudTrail</h1>
      <p class="sub">API calls to amiwatch — by the console, the AWS CLI, an SDK — recorded while a trail is logging.</p>
      <TrailsPanel />
      <h2>Event history</h2>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const next = value ? { key, value } : null;
          // The same lookup again reads again; another one starts from its first page.
          if (next?.key === applied?.key && next?.value === applied?.value) void history.reload();
          else setApplied(next);
        }}
      >
        <select aria-label="Lookup attribute" value={key} onChange={(e) => setKey((e.target as HTMLSelectElement).value)}>
          {LOOKUP_ATTRIBUTES.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <input
          class="grow"
          aria-label="Lookup value"
          placeholder="exact value, e.g. CreateImage (empty: every event)"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
        <button class="primary" type="submit">
          Look up
        </button>
        <button type="button" onClick={() => void history.reload()}>
          Refresh
        </button>
      </form>
      <ErrorNotice error={history.error} />
      {history.items === null && !history.error && <Loading what="events" />}
      {history.items?.length === 0 && <Empty title={applied ? `No event with ${applied.key} ${applied.value}` : 'No events recorded'} />}
      {history.items && history.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Event time</th>
                <th>Event name</th>
                <th>Event source</th>
                <th>User name</th>
                <th>Resources</th>
              </tr>
            </thead>
            <tbody>
              {history.items.map((e) => (
                <HistoryRow key={e.EventId} e={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={history.page} hasNext={history.hasNext} onPrev={history.prevPage} onNext={history.nextPage} />
    </div>
  );
}

function HistoryRow({ e }: { e: TrailEvent }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr data-testid="trail-event">
        <td>{e.EventTime ? new Date(e.EventTime * 1000).toLocaleString() : ''}</td>
        <td>
          <button class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {e.EventName}
          </button>
        </td>
        <td class="mono">{e.EventSource}</td>
        <td>{e.Username}</td>
        <td>
          {(e.Resources ?? []).map((r, i) => (
            <div key={i}>
              <span class="hint">{r.ResourceType}</span> {r.ResourceName && <ResourceLink value={r.ResourceName} />}
            </div>
          ))}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <pre data-testid="trail-event-json">{e.CloudTrailEvent ? JSON.stringify(JSON.parse(e.CloudTrailEvent), null, 2) : ''}</pre>
          </td>
        </tr>
      )}
    </>
  );
}
