import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { describeBus, eventbridge, type EventBus } from '../../api/eventbridge.js';
import { ErrorNotice } from '../../components/ui.js';
import { samples } from '../../wizard/catalog.js';
import { DetailHeader } from './detail-header.js';

interface PutEventsResult {
  FailedEntryCount?: number;
  Entries?: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

/**
 * One event bus: its ARN and resource policy, a link to its rules, and "Send events" as AWS's
 * console has it — source, detail-type and detail (started from the guide's sample events), sent
 * with PutEvents; the answer (the event id, or the entry's error) is shown as it came.
 */
export function BusPage({ name }: { name: string }) {
  const [bus, setBus] = useState<EventBus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => describeBus(name).then((b) => (setBus(b), setError(null)), setError), [name]);
  useEffect(() => void load(), [load]);
  useChanges('events', ['bus'], load);
  return (
    <div>
      <DetailHeader list="Event buses" listHref="#/buses" name={name} />
      <ErrorNotice error={error} />
      {bus && (
        <section class="panel">
          <dl class="kv">
            <dt>ARN</dt>
            <dd class="mono">{bus.Arn}</dd>
            <dt>Rules</dt>
            <dd>
              <a href={`#/rules/${encodeURIComponent(name)}`}>Rules on {name}</a>
            </dd>
          </dl>
          <h2>Resource policy</h2>
          {bus.Policy ? (
            <pre>{JSON.stringify(JSON.parse(bus.Policy), null, 2)}</pre>
          ) : (
            <p class="hint">None: only this account can put events on it.</p>
          )}
        </section>
      )}
      <SendEvents bus={name} />
    </div>
  );
}

function SendEvents({ bus }: { bus: string }) {
  const first = samples[0]!.event;
  const [source, setSource] = useState(String(first.source));
  const [detailType, setDetailType] = useState(String(first['detail-type']));
  const [detail, setDetail] = useState(JSON.stringify(first.detail, null, 2));
  const [resources, setResources] = useState(((first.resources as string[] | undefined) ?? []).join('\n'));
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pick = (i: number) => {
    const e = samples[i]!.event;
    setSource(String(e.source));
    setDetailType(String(e['detail-type']));
    setDetail(JSON.stringify(e.detail, null, 2));
    setResources(((e.resources as string[] | undefined) ?? []).join('\n'));
  };
  const send = async () => {
    setError(null);
    setResult(null);
    try {
      const r = await eventbridge<PutEventsResult>('PutEvents', {
        Entries: [
          {
            EventBusName: bus,
            Source: source,
            DetailType: detailType,
            Detail: detail,
            Resources: resources
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean),
          },
        ],
      });
      const entry = r.Entries?.[0];
      if (entry?.ErrorCode) setError({ code: entry.ErrorCode, message: entry.ErrorMessage });
      else setResult(`Event sent: ${entry?.EventId ?? ''}. It appears on the Events page with the rules it matched.`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form class="panel" aria-label="Send events" onSubmit={(e) => (e.preventDefault(), void send())}>
      <h2>Send events</h2>
      <label class="field">
        <span>Start from a sample event</span>
        <select aria-label="Sample event" onChange={(e) => pick(Number((e.target as HTMLSelectElement).value))}>
          {samples.map((s, i) => (
            <option key={s.label} value={i}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>Event source</span>
        <input aria-label="Event source" value={source} onInput={(e) => setSource((e.target as HTMLInputElement).value)} required />
        {source.startsWith('aws.') && (
          <span class="hint">
            Sources starting with "aws." are reserved for AWS services: PutEvents refuses them (NotAuthorizedForSourceException). To see a
            real AMI event, create an image on the <a href="#/amis">AMIs</a> page; to try a pattern on this sample, use the wizard's
            sandbox.
          </span>
        )}
      </label>
      <label class="field">
        <span>Detail type</span>
        <input aria-label="Detail type" value={detailType} onInput={(e) => setDetailType((e.target as HTMLInputElement).value)} required />
      </label>
      <label class="field" style="max-width:none">
        <span>Event detail (JSON)</span>
        <textarea aria-label="Event detail" rows={6} value={detail} onInput={(e) => setDetail((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label class="field" style="max-width:none">
        <span>Resources – optional, one ARN per line</span>
        <textarea
          aria-label="Resources"
          rows={2}
          value={resources}
          onInput={(e) => setResources((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <ErrorNotice error={error} />
      {result && (
        <p class="notice ok" role="status">
          {result}
        </p>
      )}
      <button class="primary" type="submit">
        Send
      </button>
    </form>
  );
}
