import { useEffect, useState } from 'preact/hooks';
import { allQueueUrls, moveTasks, queueArnOf, queueNameOf, sqs, type MoveTask } from '../api/sqs.js';
import { useSession } from '../api/session.js';
import { Badge, ErrorNotice } from '../components/ui.js';

/** StartMessageMoveTask's limit on MaxNumberOfMessagesPerSecond. */
const MAX_RATE = 500;

export function rateProblem(text: string): string | null {
  return /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_RATE
    ? null
    : `Enter a whole number of messages per second from 1 to ${MAX_RATE}.`;
}

/**
 * DLQ redrive, as the SQS console offers it for a dead-letter queue: back to the source queue(s)
 * the messages came from, or to a queue you choose; system-optimised or a maximum velocity. It
 * starts a message move task (StartMessageMoveTask) and follows it (ListMessageMoveTasks, every
 * second while one runs), which can be cancelled while RUNNING (CancelMessageMoveTask).
 */
export function DlqRedrive({
  url,
  arn,
  sources,
  onChange,
}: {
  url: string;
  arn: string;
  sources: readonly string[];
  onChange: () => void;
}) {
  const { region } = useSession();
  const [destination, setDestination] = useState<'source' | 'custom'>('source');
  const [custom, setCustom] = useState('');
  const [velocity, setVelocity] = useState<'optimized' | 'custom'>('optimized');
  const [rate, setRate] = useState('10');
  const [queues, setQueues] = useState<string[]>([]);
  const [tasks, setTasks] = useState<MoveTask[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => moveTasks(arn).then(setTasks, setError);
  useEffect(() => {
    void load();
    allQueueUrls().then((all) => setQueues(all.filter((u) => u !== url)), setError);
  }, [arn]);
  const running = tasks?.some((t) => t.Status === 'RUNNING') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load().then(onChange), 1000);
    return () => clearInterval(timer);
  }, [running, arn]);
  const problem = velocity === 'custom' ? rateProblem(rate) : null;
  const ready = !problem && (destination === 'source' || custom !== '') && !running;
  const act = async (op: string, input: object) => {
    try {
      setError(null);
      await sqs(op, input);
      await load();
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  const start = () =>
    act('StartMessageMoveTask', {
      SourceArn: arn,
      ...(destination === 'custom' && { DestinationArn: queueArnOf(custom, region) }),
      ...(velocity === 'custom' && { MaxNumberOfMessagesPerSecond: Number(rate) }),
    });
  return (
    <section class="redrive" aria-label={`DLQ redrive of ${queueNameOf(arn)}`}>
      <h3>Start DLQ redrive</h3>
      <form onSubmit={(e) => (e.preventDefault(), ready && void start())}>
        <div class="grid2">
          <fieldset>
            <legend>Redrive configuration</legend>
            <label class="choice">
              <input type="radio" name={`dest-${arn}`} checked={destination === 'source'} onChange={() => setDestination('source')} />
              <span>
                Redrive to source queue(s)
                <small>
                  Each message goes back to the queue it was dead-lettered from: {sources.map(queueNameOf).join(', ') || 'none'}.
                </small>
              </span>
            </label>
            <label class="choice">
              <input type="radio" name={`dest-${arn}`} checked={destination === 'custom'} onChange={() => setDestination('custom')} />
              <span>
                Redrive to custom destination<small>Every message goes to the queue you choose.</small>
              </span>
            </label>
            {destination === 'custom' && (
              <label class="field">
                <span>Destination queue</span>
                <select aria-label="Destination queue" value={custom} onChange={(e) => setCustom((e.target as HTMLSelectElement).value)}>
                  <option value="">Choose a queue</option>
                  {queues.map((u) => (
                    <option key={u} value={u}>
                      {queueNameOf(u)}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </fieldset>
          <fieldset>
            <legend>Velocity control settings</legend>
            <label class="choice">
              <input type="radio" name={`velocity-${arn}`} checked={velocity === 'optimized'} onChange={() => setVelocity('optimized')} />
              <span>
                System optimized<small>As fast as amiwatch can move them.</small>
              </span>
            </label>
            <label class="choice">
              <input type="radio" name={`velocity-${arn}`} checked={velocity === 'custom'} onChange={() => setVelocity('custom')} />
              <span>
                Custom max velocity<small>At most this many messages per second.</small>
              </span>
            </label>
            {velocity === 'custom' && (
              <label class="field">
                <span>Maximum messages per second</span>
                <input
                  aria-label="Maximum messages per second"
                  inputMode="numeric"
                  value={rate}
                  onInput={(e) => setRate((e.target as HTMLInputElement).value)}
                  aria-invalid={Boolean(problem)}
                />
                <span class={problem ? 'error' : 'hint'} aria-live="polite">
                  {problem ?? `1 to ${MAX_RATE}.`}
                </span>
              </label>
            )}
          </fieldset>
        </div>
        <button class="primary" type="submit" disabled={!ready}>
          DLQ redrive
        </button>
        {running && <span class="hint"> A redrive is running: one task at a time per dead-letter queue.</span>}
      </form>
      <ErrorNotice error={error} />
      <TaskList tasks={tasks} cancel={(t) => void act('CancelMessageMoveTask', { TaskHandle: t.TaskHandle })} />
    </section>
  );
}

function TaskList({ tasks, cancel }: { tasks: MoveTask[] | null; cancel: (t: MoveTask) => void }) {
  if (!tasks) return <p class="hint">Loading redrive tasks…</p>;
  if (tasks.length === 0) return <p class="hint">No redrive yet.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Status</th>
            <th>Progress</th>
            <th>Destination</th>
            <th>Velocity</th>
            <th>Started</th>
            <th>
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t, i) => (
            <tr key={`${t.StartedTimestamp ?? i}`} data-testid="redrive-task">
              <td>
                <Badge state={t.Status} />
                {t.FailureReason && <div class="error">{t.FailureReason}</div>}
              </td>
              <td>
                <TaskProgress task={t} />
              </td>
              <td>{t.DestinationArn ? queueNameOf(t.DestinationArn) : 'source queue(s)'}</td>
              <td>{t.MaxNumberOfMessagesPerSecond ? `${t.MaxNumberOfMessagesPerSecond}/s` : 'system optimized'}</td>
              <td>{t.StartedTimestamp ? new Date(t.StartedTimestamp).toLocaleTimeString() : '-'}</td>
              <td>
                {t.Status === 'RUNNING' && t.TaskHandle && (
                  <button class="danger" type="button" onClick={() => cancel(t)}>
                    Cancel redrive
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TaskProgress({ task }: { task: MoveTask }) {
  const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
  const total = task.ApproximateNumberOfMessagesToMove ?? moved;
  return (
    <span class="progress" data-testid="redrive-progress">
      <progress max={Math.max(total, 1)} value={moved} aria-label="Messages moved" /> {moved} of {total} moved
    </span>
  );
}
