import { useEffect, useState } from 'preact/hooks';
import { deadLetterSources, moveTasks, queueNameOf, sqs, type Message, type MoveTask } from '../api/sqs.js';
import { useSession } from '../api/session.js';
import { Badge, Empty, ErrorNotice, Loading, Pager } from '../components/ui.js';
import { usePaged } from '../components/use-paged.js';
import { ResourceLink } from '../components/resource-link.js';
import { DlqRedrive, TaskProgress } from './queue-redrive.js';

interface QueueRow {
  url: string;
  attributes: Record<string, string>;
  /** Queues whose dead-letter queue this one is (ListDeadLetterSourceQueues). */
  sources: string[];
  /** Its latest redrive, when it is a DLQ. */
  task?: MoveTask;
}

async function loadRow(url: string): Promise<QueueRow> {
  const [attrs, sources] = await Promise.all([
    sqs<{ Attributes?: Record<string, string> }>('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] }),
    deadLetterSources(url),
  ]);
  const attributes = attrs.Attributes ?? {};
  const [task] = sources.length > 0 && attributes.QueueArn ? await moveTasks(attributes.QueueArn, 1) : [];
  return { url, attributes, sources, ...(task && { task }) };
}

function redriveTarget(attributes: Record<string, string>): { arn: string; max: string } | null {
  if (!attributes.RedrivePolicy) return null;
  try {
    const p = JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    return p.deadLetterTargetArn ? { arn: p.deadLetterTargetArn, max: String(p.maxReceiveCount ?? '') } : null;
  } catch {
    return null;
  }
}

/**
 * SQS queues: message counts, which queue is whose dead-letter queue (its RedrivePolicy, and
 * ListDeadLetterSourceQueues the other way), the messages themselves — looked at without
 * consuming them (received with a zero visibility timeout) — DLQ redrive, purge and delete.
 */
export function QueuesPage() {
  const { region } = useSession();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<{ url: string; view: 'messages' | 'redrive' } | null>(null);
  const list = usePaged(
    async (token) => {
      const page = await sqs<{ QueueUrls?: string[]; NextToken?: string }>('ListQueues', {
        MaxResults: 25,
        ...(token && { NextToken: token }),
      });
      const queues = await Promise.all((page.QueueUrls ?? []).map(loadRow));
      return { items: queues, ...(page.NextToken && { next: page.NextToken }) };
    },
    [region],
    { service: 'sqs' },
  );
  const run = async (op: string, input: object) => {
    try {
      setError(null);
      await sqs(op, input);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const toggle = (url: string, view: 'messages' | 'redrive') => setOpen(open?.url === url && open.view === view ? null : { url, view });
  return (
    <div>
      <h1>SQS queues</h1>
      <p class="sub">Queues can be rule targets, SNS subscribers and dead-letter queues for deliveries that failed.</p>
      <form class="toolbar" onSubmit={(e) => (e.preventDefault(), void run('CreateQueue', { QueueName: name }).then(() => setName('')))}>
        <input
          aria-label="New queue name"
          placeholder="queue name"
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button class="primary" type="submit" disabled={!name}>
          Create queue
        </button>
      </form>
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="queues" />}
      {list.items?.length === 0 ? (
        <div class="panel">
          <Empty title={`No queues in ${region}`}>
            <p>Create one to use as a rule target or as a dead-letter queue for failed deliveries.</p>
          </Empty>
        </div>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Messages</th>
                <th>In flight</th>
                <th>Dead-letter queue</th>
                <th>Redrive</th>
                <th>Actions</th>
              </tr>
            </thead>
            {(list.items ?? []).map(({ url, attributes, sources, task }) => {
              const dlq = redriveTarget(attributes);
              const arn = attributes.QueueArn ?? '';
              return (
                <tbody key={url} data-testid={`queue-${queueNameOf(url)}`}>
                  <tr>
                    <td>
                      <b>
                        <a href={`#/queue/${encodeURIComponent(queueNameOf(url))}`}>{queueNameOf(url)}</a>
                      </b>{' '}
                      {sources.length > 0 && <span class="badge warn">DLQ</span>}
                      <div class="mono hint">{arn}</div>
                      {sources.length > 0 && <div data-testid="dlq-of">Dead-letter queue of {sources.map(queueNameOf).join(', ')}</div>}
                    </td>
                    <td>{attributes.ApproximateNumberOfMessages ?? '-'}</td>
                    <td>{attributes.ApproximateNumberOfMessagesNotVisible ?? '-'}</td>
                    <td>
                      {dlq ? (
                        <>
                          <span class="break">
                            <ResourceLink value={dlq.arn} mono={false}>
                              {queueNameOf(dlq.arn)}
                            </ResourceLink>
                          </span>
                          <div class="hint">after {dlq.max} receives</div>
                        </>
                      ) : (
                        <span class="hint">none</span>
                      )}
                    </td>
                    <td data-testid="redrive-status">
                      {task ? (
                        <>
                          <Badge state={task.Status} />
                          <div>
                            <TaskProgress task={task} />
                          </div>
                        </>
                      ) : (
                        <span class="hint">{sources.length > 0 ? 'not yet' : '-'}</span>
                      )}
                    </td>
                    <td>
                      <div class="toolbar">
                        <button aria-expanded={open?.url === url && open.view === 'messages'} onClick={() => toggle(url, 'messages')}>
                          Messages
                        </button>
                        {sources.length > 0 && (
                          <button aria-expanded={open?.url === url && open.view === 'redrive'} onClick={() => toggle(url, 'redrive')}>
                            Start DLQ redrive
                          </button>
                        )}
                        <button onClick={() => void run('PurgeQueue', { QueueUrl: url })}>Purge</button>
                        <button
                          class="danger"
                          onClick={() => confirm(`Delete queue ${queueNameOf(url)}?`) && void run('DeleteQueue', { QueueUrl: url })}
                        >
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                  {open?.url === url && (
                    <tr>
                      <td colSpan={6}>
                        {open.view === 'messages' ? (
                          <Messages url={url} />
                        ) : (
                          <DlqRedrive url={url} arn={arn} sources={sources} onChange={() => void list.reload()} />
                        )}
                      </td>
                    </tr>
                  )}
                </tbody>
              );
            })}
          </table>
        </div>
      )}
      <Pager page={list.page} hasNext={list.hasNext} onPrev={list.prevPage} onNext={list.nextPage} />
    </div>
  );
}

export function Messages({ url }: { url: string }) {
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    sqs<{ Messages?: Message[] }>('ReceiveMessage', {
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      AttributeNames: ['All'],
    }).then((r) => setMessages(r.Messages ?? []), setError);
  }, [url]);
  if (error) return <ErrorNotice error={error} />;
  if (!messages) return <p class="hint">Loading…</p>;
  if (messages.length === 0) return <p class="hint">The queue is empty.</p>;
  return (
    <div>
      <p class="hint">Up to 10 messages, looked at without consuming them.</p>
      {messages.map((m) => (
        <details key={m.MessageId} data-testid="queue-message">
          <summary class="mono">{m.MessageId}</summary>
          <pre>{pretty(m.Body)}</pre>
        </details>
      ))}
    </div>
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
