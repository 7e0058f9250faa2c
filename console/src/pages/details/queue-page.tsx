import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { sqs, type Message } from '../../api/sqs.js';
import { ResourceLink } from '../../components/resource-link.js';
import { ErrorNotice } from '../../components/ui.js';
import { Messages } from '../queues-page.js';
import { DetailHeader } from './detail-header.js';
import { PolicyView } from './policy-view.js';

/** The attributes shown, with the SQS console's words for them. */
const shown: Readonly<Record<string, string>> = {
  QueueArn: 'ARN',
  ApproximateNumberOfMessages: 'Messages available',
  ApproximateNumberOfMessagesNotVisible: 'Messages in flight',
  ApproximateNumberOfMessagesDelayed: 'Messages delayed',
  VisibilityTimeout: 'Visibility timeout (s)',
  MessageRetentionPeriod: 'Message retention period (s)',
  DelaySeconds: 'Delivery delay (s)',
  ReceiveMessageWaitTimeSeconds: 'Receive message wait time (s)',
  RedrivePolicy: 'Redrive policy',
  CreatedTimestamp: 'Created',
};

/**
 * One SQS queue: its attributes (counts kept current by the change stream), the SQS console's
 * "Send and receive messages": send a message, poll (ReceiveMessage: the messages become
 * invisible for the visibility timeout, as in SQS) and delete what was received.
 */
export function QueuePage({ name }: { name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [attributes, setAttributes] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  // The look at messages is read again after this page sends or deletes (not on every change:
  // looking is itself a receive, which would be a change).
  const [looked, setLooked] = useState(0);
  const load = useCallback(async () => {
    try {
      const { QueueUrl } = await sqs<{ QueueUrl: string }>('GetQueueUrl', { QueueName: name });
      const { Attributes } = await sqs<{ Attributes?: Record<string, string> }>('GetQueueAttributes', {
        QueueUrl,
        AttributeNames: ['All'],
      });
      setUrl(QueueUrl);
      setAttributes(Attributes ?? {});
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [name]);
  useEffect(() => void load(), [load]);
  useChanges('sqs', ['queue', 'message'], load);
  const dlq = attributes.RedrivePolicy
    ? (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
    : undefined;
  return (
    <div>
      <DetailHeader list="SQS queues" listHref="#/queues" name={name} />
      <ErrorNotice error={error} />
      {url && (
        <>
          <section class="panel">
            <dl class="kv" data-testid="queue-attributes">
              <dt>URL</dt>
              <dd class="mono">{url}</dd>
              {Object.entries(shown)
                .filter(([k]) => attributes[k] !== undefined)
                .map(([k, label]) => [
                  <dt key={`${k}-t`}>{label}</dt>,
                  <dd key={`${k}-d`} class="wrap" data-testid={`attr-${k}`}>
                    {k === 'CreatedTimestamp' ? new Date(Number(attributes[k]) * 1000).toLocaleString() : attributes[k]}
                  </dd>,
                ])}
              {dlq && [
                <dt key="dlq-t">Dead-letter queue</dt>,
                <dd key="dlq-d">
                  <ResourceLink value={dlq} />
                </dd>,
              ]}
            </dl>
          </section>
          <SendAndReceive url={url} onDone={() => setLooked((n) => n + 1)} />
          <section class="panel">
            <h2>Look at messages</h2>
            <Messages key={looked} url={url} />
          </section>
          <section class="panel">
            <h2>Access policy</h2>
            <PolicyView
              policy={attributes.Policy ?? null}
              none="No access policy: only the queue's owner can use it. A rule's target adds one (sqs:SendMessage for events.amazonaws.com) when it is saved."
            />
          </section>
        </>
      )}
    </div>
  );
}

function SendAndReceive({ url, onDone }: { url: string; onDone: () => void }) {
  const [body, setBody] = useState('{"hello": "from the amiwatch console"}');
  const [received, setReceived] = useState<Message[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = async (what: () => Promise<string>) => {
    setError(null);
    try {
      setNotice(await what());
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  const send = () =>
    act(async () => `Message sent: ${(await sqs<{ MessageId: string }>('SendMessage', { QueueUrl: url, MessageBody: body })).MessageId}.`);
  const poll = () =>
    act(async () => {
      const r = await sqs<{ Messages?: Message[] }>('ReceiveMessage', {
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        AttributeNames: ['All'],
      });
      setReceived(r.Messages ?? []);
      return `${r.Messages?.length ?? 0} message(s) received; they stay invisible to other consumers for the visibility timeout.`;
    });
  const remove = (m: Message) =>
    act(async () => {
      await sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
      setReceived((list) => (list ?? []).filter((x) => x.ReceiptHandle !== m.ReceiptHandle));
      return `Message ${m.MessageId} deleted.`;
    });
  return (
    <section class="panel">
      <h2>Send and receive messages</h2>
      <label class="field" style="max-width:none">
        <span>Message body</span>
        <textarea aria-label="Message body" rows={3} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
      </label>
      <div class="toolbar">
        <button class="primary" type="button" disabled={!body} onClick={() => void send()}>
          Send message
        </button>
        <button type="button" onClick={() => void poll()}>
          Poll for messages
        </button>
      </div>
      <ErrorNotice error={error} />
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      {received && received.length > 0 && (
        <ul>
          {received.map((m) => (
            <li key={m.ReceiptHandle} data-testid="received-message">
              <span class="mono">{m.MessageId}</span>
              <pre>{m.Body}</pre>
              <button type="button" class="danger" onClick={() => void remove(m)}>
                Delete message
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
