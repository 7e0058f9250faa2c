import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/http.js';
import { listSubscriptions, listTopics, sns, type Subscription } from '../api/sns.js';
import { useSession } from '../api/session.js';
import { Badge, Empty, ErrorNotice, Loading, Pager } from '../components/ui.js';
import { useChanges } from '../api/changes.js';
import { usePaged } from '../components/use-paged.js';
import { ResourceLink } from '../components/resource-link.js';

const topicName = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);

/**
 * SNS: topics, their subscriptions with the confirmation state, subscribe, publish a test message.
 * The guide's first step — a topic with an email subscription — is done here; the confirmation
 * mail arrives in the Mailbox.
 */
export function SnsPage() {
  const { region } = useSession();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const list = usePaged(listTopics, [region], { service: 'sns', kinds: ['topic'] });
  const create = async () => {
    try {
      setError(null);
      await sns('CreateTopic', { Name: name });
      setName('');
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <h1>SNS topics</h1>
      <p class="sub">
        A topic fans a message out to its subscribers: email, SMS, SQS queues, Lambda functions, HTTP endpoints. The guide's rule targets
        one.
      </p>
      <form class="toolbar" onSubmit={(e) => (e.preventDefault(), void create())}>
        <input
          aria-label="New topic name"
          placeholder="topic name, e.g. ami-notifications"
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button class="primary" type="submit" disabled={!name}>
          Create topic
        </button>
      </form>
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="topics" />}
      {list.items?.length === 0 && (
        <div class="panel">
          <Empty title={`No topics in ${region}`}>
            <p>Create a topic, subscribe your email address to it, confirm from the Mailbox, then choose it as the target of a rule.</p>
          </Empty>
        </div>
      )}
      {(list.items ?? []).map((arn) => (
        <section class="panel" key={arn} data-testid={`topic-${topicName(arn)}`}>
          <div class="toolbar">
            <h2 class="grow">
              <a href={`#/topic/${encodeURIComponent(arn)}`}>{topicName(arn)}</a>
            </h2>
            <button aria-expanded={open === arn} onClick={() => setOpen(open === arn ? null : arn)}>
              {open === arn ? 'Close' : 'Subscriptions and publish'}
            </button>
            <button
              class="danger"
              onClick={() =>
                confirm(`Delete topic ${topicName(arn)}?`) && void sns('DeleteTopic', { TopicArn: arn }).then(list.reload, setError)
              }
            >
              Delete
            </button>
          </div>
          <div class="mono hint">{arn}</div>
          {open === arn && <TopicDetail arn={arn} />}
        </section>
      ))}
      <Pager page={list.page} hasNext={list.hasNext} onPrev={list.prevPage} onNext={list.nextPage} />
    </div>
  );
}

export function TopicDetail({ arn }: { arn: string }) {
  const [subs, setSubs] = useState<Subscription[] | null>(null);
  const [protocol, setProtocol] = useState('email');
  const [endpoint, setEndpoint] = useState('');
  const [subject, setSubject] = useState('Test message');
  const [message, setMessage] = useState('Hello from amiwatch');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = () => listSubscriptions(arn).then(setSubs, setError);
  useEffect(() => void load(), [arn]);
  // A confirmation link followed in the mailbox, an unsubscribe by the CLI: shown as it happens.
  useChanges('sns', ['subscription', 'deactivated'], load);
  const run = async (action: string, params: Record<string, string>, what: string) => {
    try {
      setError(null);
      await sns(action, params);
      setDone(what);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e : new Error(String(e)));
    }
  };
  return (
    <div class="grid2" style="margin-top:10px">
      <div>
        <h3>Subscriptions</h3>
        {subs?.length === 0 && <p class="hint">No subscriptions yet.</p>}
        <ul>
          {(subs ?? []).map((s) => (
            <li key={s.SubscriptionArn + s.Endpoint} data-testid="subscription">
              {s.Protocol} →{' '}
              <ResourceLink value={s.Endpoint} mono={false}>
                <b>{s.Endpoint}</b>
              </ResourceLink>{' '}
              <Badge state={s.SubscriptionArn === 'PendingConfirmation' ? 'Pending confirmation' : 'Confirmed'} />{' '}
              {/* A pending subscription has no ARN yet: SNS cannot unsubscribe it (it expires unconfirmed). */}
              {s.SubscriptionArn.startsWith('arn:') && (
                <button
                  type="button"
                  class="danger"
                  onClick={() =>
                    confirm(`Unsubscribe ${s.Endpoint}?`) &&
                    void run('Unsubscribe', { SubscriptionArn: s.SubscriptionArn }, `Unsubscribed ${s.Endpoint}.`)
                  }
                >
                  Unsubscribe
                </button>
              )}
            </li>
          ))}
        </ul>
        <form
          class="toolbar"
          onSubmit={(e) => (
            e.preventDefault(), void run('Subscribe', { TopicArn: arn, Protocol: protocol, Endpoint: endpoint }, `Subscribed ${endpoint}.`)
          )}
        >
          <select aria-label="Protocol" value={protocol} onChange={(e) => setProtocol((e.target as HTMLSelectElement).value)}>
            {['email', 'email-json', 'sms', 'sqs', 'lambda', 'http', 'https', 'application'].map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
          <input
            aria-label="Endpoint"
            placeholder={protocol.startsWith('email') ? 'you@example.com' : 'endpoint'}
            value={endpoint}
            onInput={(e) => setEndpoint((e.target as HTMLInputElement).value)}
          />
          <button type="submit" disabled={!endpoint}>
            Create subscription
          </button>
        </form>
      </div>
      <div>
        <h3>Publish a message</h3>
        <label class="field">
          <span>Subject</span>
          <input aria-label="Subject" value={subject} onInput={(e) => setSubject((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>Message body</span>
          <textarea
            aria-label="Message body"
            rows={3}
            value={message}
            onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <button
          type="button"
          onClick={() => void run('Publish', { TopicArn: arn, Subject: subject, Message: message }, 'Message published.')}
        >
          Publish message
        </button>
      </div>
      <ErrorNotice error={error} />
      {done && (
        <p class="notice ok" role="status">
          {done}
        </p>
      )}
    </div>
  );
}
