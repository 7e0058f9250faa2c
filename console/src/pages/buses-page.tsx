import { useState } from 'preact/hooks';
import { describeBus, eventbridge, listBuses } from '../api/eventbridge.js';
import { Empty, ErrorNotice, Loading, Pager } from '../components/ui.js';
import { usePaged } from '../components/use-paged.js';

/** Event buses with their resource policies; create and delete custom buses. */
export function BusesPage() {
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const list = usePaged(
    async (token) => {
      const page = await listBuses(token);
      const buses = await Promise.all((page.EventBuses ?? []).map((b) => describeBus(b.Name).catch(() => b)));
      return { items: buses, ...(page.NextToken && { next: page.NextToken }) };
    },
    [],
    { service: 'events', kinds: ['bus'] },
  );
  /** True when the call succeeded: a refused name stays in the field, to be corrected. */
  const run = async (op: string, input: object): Promise<boolean> => {
    try {
      setError(null);
      await eventbridge(op, input);
      await list.reload();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  return (
    <div>
      <h1>Event buses</h1>
      <p class="sub">
        AWS services always send their events — the AMI state changes too — to the default bus. Custom buses carry your own events.
      </p>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void run('CreateEventBus', { Name: name }).then((ok) => ok && setName(''));
        }}
      >
        <input
          aria-label="New event bus name"
          placeholder="new-bus-name"
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button class="primary" type="submit" disabled={!name}>
          Create event bus
        </button>
      </form>
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="event buses" />}
      {list.items?.length === 0 && <Empty title="No event buses" />}
      {(list.items ?? []).map((b) => (
        <section class="panel" key={b.Arn} data-testid={`bus-${b.Name}`}>
          <div class="toolbar">
            <h2 class="grow">
              <a href={`#/bus/${encodeURIComponent(b.Name)}`}>{b.Name}</a>
            </h2>
            <a class="button" href={`#/rules/${encodeURIComponent(b.Name)}`}>
              Rules
            </a>
            {b.Name !== 'default' && (
              <button class="danger" onClick={() => confirm(`Delete event bus ${b.Name}?`) && void run('DeleteEventBus', { Name: b.Name })}>
                Delete
              </button>
            )}
          </div>
          <dl class="kv">
            <dt>ARN</dt>
            <dd class="mono">{b.Arn}</dd>
            {b.Description && (
              <>
                <dt>Description</dt>
                <dd>{b.Description}</dd>
              </>
            )}
            <dt>Resource policy</dt>
            <dd>
              {b.Policy ? (
                <pre>{JSON.stringify(JSON.parse(b.Policy), null, 2)}</pre>
              ) : (
                <span class="hint">None: only this account can send events (PutPermission grants others).</span>
              )}
            </dd>
          </dl>
        </section>
      ))}
      <Pager page={list.page} hasNext={list.hasNext} onPrev={list.prevPage} onNext={list.nextPage} />
    </div>
  );
}
