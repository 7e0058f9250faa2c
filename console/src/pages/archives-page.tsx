import { useEffect, useState } from 'preact/hooks';
import { listArchives, listReplays, replayProgress, type Archive } from '../api/archives.js';
import { allBusNames, eventbridge } from '../api/eventbridge.js';
import { useSession } from '../api/session.js';
import { Badge, Empty, ErrorNotice } from '../components/ui.js';
import { useChanges } from '../api/changes.js';
import { useReloading } from '../components/use-reloading.js';

const local = (epochSeconds: number | undefined) => (epochSeconds === undefined ? '—' : new Date(epochSeconds * 1000).toLocaleString());
const inputTime = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/**
 * Archives (a bus's events kept for replay) and replays (archived events put back on their bus,
 * optionally only to some rules), with each replay's progress from DescribeReplay's
 * EventLastReplayedTime, refreshed while one runs; a running replay can be cancelled.
 */
export function ArchivesPage() {
  const loaded = useReloading(
    async () => {
      const [archives, replays] = await Promise.all([listArchives(), listReplays()]);
      return { archives, replays };
    },
    (d) => d.replays.some((r) => ['STARTING', 'RUNNING', 'CANCELLING'].includes(r.State)),
  );
  // Made, changed or deleted by anyone (the CLI, another tab), a replay's progress too.
  useChanges('events', ['archive', 'replay'], loaded.reload);
  const { error } = loaded;
  const archives = loaded.data?.archives ?? null;
  const replays = loaded.data?.replays ?? null;
  const run: Run = (op, input) => loaded.run(() => eventbridge(op, input));
  return (
    <div>
      <h1>Archives and replays</h1>
      <p class="sub">
        Keep a bus's events, then replay a time window of them through the rules as they are now — for a rule that was wrong or a target
        that was down.
      </p>
      <ErrorNotice error={error} />
      <CreateArchive run={run} />
      {archives?.length === 0 && <Empty title="No archives" />}
      {(archives ?? []).map((a) => (
        <ArchivePanel key={a.ArchiveName} archive={a} run={run} />
      ))}
      <section class="panel">
        <h2>Replays</h2>
        {replays?.length === 0 && <Empty title="No replays" />}
        <table>
          <tbody>
            {(replays ?? []).map((r) => (
              <tr key={r.ReplayName} data-testid={`replay-${r.ReplayName}`}>
                <td>{r.ReplayName}</td>
                <td>{r.EventSourceArn.slice(r.EventSourceArn.lastIndexOf('/') + 1)}</td>
                <td>
                  <Badge state={r.State} /> {r.StateReason && <small>{r.StateReason}</small>}
                </td>
                <td>
                  <progress max={1} value={replayProgress(r)} aria-label={`Progress of ${r.ReplayName}`} /> last event{' '}
                  {local(r.EventLastReplayedTime)}
                </td>
                <td>
                  {(r.State === 'STARTING' || r.State === 'RUNNING') && (
                    <button onClick={() => void run('CancelReplay', { ReplayName: r.ReplayName })}>Cancel</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

type Run = (op: string, input: object) => Promise<boolean>;

function CreateArchive({ run }: { run: Run }) {
  const s = useSession();
  const [buses, setBuses] = useState<string[]>(['default']);
  const blank = { name: '', bus: 'default', pattern: '', retention: '0' };
  const [f, setF] = useState(blank);
  useEffect(() => void allBusNames().then(setBuses, () => undefined), []);
  const submit = () =>
    run('CreateArchive', {
      ArchiveName: f.name,
      EventSourceArn: `arn:aws:events:${s.region}:${s.account}:event-bus/${f.bus}`,
      RetentionDays: Number(f.retention),
      ...(f.pattern.trim() && { EventPattern: f.pattern }),
    });
  return (
    <section class="panel">
      <h2>Create archive</h2>
      <form onSubmit={(e) => (e.preventDefault(), void submit().then((ok) => ok && setF(blank)))}>
        <div class="grid2">
          <label class="field">
            <span>Archive name</span>
            <input aria-label="Archive name" value={f.name} onInput={(e) => setF({ ...f, name: (e.target as HTMLInputElement).value })} />
          </label>
          <label class="field">
            <span>Source event bus</span>
            <select
              aria-label="Source event bus"
              value={f.bus}
              onChange={(e) => setF({ ...f, bus: (e.target as HTMLSelectElement).value })}
            >
              {buses.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </label>
        </div>
        <label class="field">
          <span>Event pattern (optional: every event when empty)</span>
          <textarea
            aria-label="Archive event pattern"
            rows={3}
            value={f.pattern}
            placeholder='{"source": ["aws.ec2"]}'
            onInput={(e) => setF({ ...f, pattern: (e.target as HTMLTextAreaElement).value })}
          />
        </label>
        <label class="field">
          <span>Retention days (0 = forever)</span>
          <input
            aria-label="Retention days"
            type="number"
            min={0}
            value={f.retention}
            onInput={(e) => setF({ ...f, retention: (e.target as HTMLInputElement).value })}
          />
        </label>
        <button class="primary" type="submit" disabled={!f.name}>
          Create archive
        </button>
      </form>
    </section>
  );
}

function ArchivePanel({ archive: a, run }: { archive: Archive; run: Run }) {
  const now = new Date();
  // The last hour by default; the end rounded up to the next minute (the field has minutes only).
  const [f, setF] = useState({
    name: '',
    start: inputTime(new Date(now.getTime() - 3_600_000)),
    end: inputTime(new Date(now.getTime() + 60_000)),
    rules: '',
  });
  const start = () =>
    run('StartReplay', {
      ReplayName: f.name,
      EventSourceArn: a.EventSourceArn.replace(/:event-bus\/.*$/, `:archive/${a.ArchiveName}`),
      EventStartTime: new Date(f.start).getTime() / 1000,
      EventEndTime: new Date(f.end).getTime() / 1000,
      Destination: {
        Arn: a.EventSourceArn,
        ...(f.rules.trim() && {
          FilterArns: f.rules
            .split(',')
            .map(
              (r) =>
                `${a.EventSourceArn.replace(/:event-bus\/(.*)$/, (_m, bus: string) => (bus === 'default' ? ':rule/' : `:rule/${bus}/`))}${r.trim()}`,
            ),
        }),
      },
    });
  return (
    <section class="panel" data-testid={`archive-${a.ArchiveName}`}>
      <div class="toolbar">
        <h2 class="grow">{a.ArchiveName}</h2>
        <button
          class="danger"
          onClick={() =>
            confirm(`Delete archive ${a.ArchiveName} and its events?`) && void run('DeleteArchive', { ArchiveName: a.ArchiveName })
          }
        >
          Delete
        </button>
      </div>
      <dl class="kv">
        <dt>Event bus</dt>
        <dd class="mono">{a.EventSourceArn}</dd>
        <dt>Events</dt>
        <dd data-testid="event-count">
          {a.EventCount} ({a.SizeBytes} bytes)
        </dd>
        <dt>Retention</dt>
        <dd>{a.RetentionDays === 0 ? 'forever' : `${a.RetentionDays} days`}</dd>
      </dl>
      <form class="grid2" onSubmit={(e) => (e.preventDefault(), void start().then((ok) => ok && setF({ ...f, name: '' })))}>
        <label class="field">
          <span>Replay name</span>
          <input
            aria-label={`Replay name for ${a.ArchiveName}`}
            value={f.name}
            onInput={(e) => setF({ ...f, name: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label class="field">
          <span>Only these rules (comma-separated, optional)</span>
          <input
            aria-label={`Rules for ${a.ArchiveName}`}
            value={f.rules}
            onInput={(e) => setF({ ...f, rules: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label class="field">
          <span>Events from</span>
          <input
            type="datetime-local"
            aria-label={`Replay start for ${a.ArchiveName}`}
            value={f.start}
            onInput={(e) => setF({ ...f, start: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label class="field">
          <span>to</span>
          <input
            type="datetime-local"
            aria-label={`Replay end for ${a.ArchiveName}`}
            value={f.end}
            onInput={(e) => setF({ ...f, end: (e.target as HTMLInputElement).value })}
          />
        </label>
        <button class="primary" type="submit" disabled={!f.name}>
          Start replay
        </button>
      </form>
    </section>
  );
}
