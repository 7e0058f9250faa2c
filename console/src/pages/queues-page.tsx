import { useEffect, useState } from 'preact/hooks';
import { sqs, type Message } from '../api/sqs.js';
import { useSession } from '../api/session.js';
import { Empty, ErrorNotice, Pager } from '../components/ui.js';
import { usePaged } from '../components/use-paged.js';

const queueName = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/**
 * SQS queues: message counts, the redrive policy (which queue is whose DLQ), the messages
 * themselves — looked at without consuming them (received with a zero visibility timeout) — and
 * purge or delete.
 */
export function QueuesPage() {
  const { region } = useSession();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const list = usePaged(async (token) => {
    const page = await sqs<{ QueueUrls?: string[]; NextToken?: string }>('ListQueues', { MaxResults: 25, ...(token && { NextToken: token }) });
    const queues = await Promise.all(
      (page.QueueUrls ?? []).map(async (url) => ({ url, attributes: (await sqs<{ Attributes?: Record<string, string> }>('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).Attributes ?? {} })),
    );
    return { items: queues, ...(page.NextToken && { next: page.NextToken }) };
  }, [region]);
  const run = async (op: string, input: object) => {
    try {
      setError(null);
      await sqs(op, input);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <h1>SQS queues</h1>
      <p class="sub">Queues can be rule targets, SNS subscribers and dead-letter queues for deliveries that failed.</p>
      <form class="toolbar" onSubmit={(e) => (e.preventDefault(), void run('CreateQueue', { QueueName: name }).then(() => setName('')))}>
        <input aria-label="New queue name" placeholder="queue name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <button class="primary" type="submit" disabled={!name}>
          Create queue
        </button>
      </form>
      <ErrorNotice error={error ?? list.error} />
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
                <th>Actions</th>
              </tr>
            </thead>
            {(list.items ?? []).map(({ url, attributes }) => (
              <tbody key={url} data-testid={`queue-${queueName(url)}`}>
                <tr>
                  <td>
                    <b>{queueName(url)}</b>
                    <div class="mono hint">{attributes.QueueArn}</div>
                  </td>
                  <td>{attributes.ApproximateNumberOfMessages ?? '-'}</td>
                  <td>{attributes.ApproximateNumberOfMessagesNotVisible ?? '-'}</td>
                  <td class="wrap">{attributes.RedrivePolicy ? String((JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn ?? '') : <span class="hint">none</span>}</td>
                  <td>
                    <div class="toolbar">
                      <button aria-expanded={open === url} onClick={() => setOpen(open === url ? null : url)}>
                        Messages
                      </button>
                      <button onClick={() => void run('PurgeQueue', { QueueUrl: url })}>Purge</button>
                      <button class="danger" onClick={() => confirm(`Delete queue ${queueName(url)}?`) && void run('DeleteQueue', { QueueUrl: url })}>
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
                {open === url && (
                  <tr>
                    <td colSpan={5}>
                      <Messages url={url} />
                    </td>
                  </tr>
                )}
              </tbody>
            ))}
          </table>
        </div>
      )}
      <Pager page={list.page} hasNext={list.hasNext} onPrev={list.prevPage} onNext={list.nextPage} />
    </div>
  );
}

function Messages({ url }: { url: string }) {
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    sqs<{ Messages?: Message[] }>('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0, AttributeNames: ['All'] }).then(
      (r) => setMessages(r.Messages ?? []),
      setError,
    );
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
