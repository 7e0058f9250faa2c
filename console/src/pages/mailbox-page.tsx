import { useEffect, useState } from 'preact/hooks';
import { useConnection } from '../api/changes.js';
import { send } from '../api/http.js';
import { Empty, ErrorNotice } from '../components/ui.js';

interface Mail {
  id: string;
  at: string;
  fromName: string;
  fromAddress: string;
  to: string;
  subject: string;
  text: string;
}

interface OutboxRecord {
  id: string;
  at: string;
  protocol: 'sms' | 'application';
  endpoint: string;
  message: string;
  topicArn?: string;
  status: string;
  error?: string;
}

async function getList<T>(url: string, key: string): Promise<T[]> {
  const res = await send('GET', url, 'amiwatch', {});
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(String(body.error ?? res.statusText));
  return body[key] as T[];
}

/** URLs in a plain-text mail become links (the subscription confirmation link above all). */
function Linked({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <pre style="white-space:pre-wrap;overflow-wrap:anywhere">
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <a key={i} href={p} target="_blank" rel="noopener noreferrer">
            {p}
          </a>
        ) : (
          p
        ),
      )}
    </pre>
  );
}

/**
 * What amiwatch delivered to people: the built-in mailbox (email subscriptions, when no SMTP
 * server is configured) and the SMS / mobile push outbox, newest first, refreshed every 2 s.
 */
export function MailboxPage() {
  const [mail, setMail] = useState<Mail[] | null>(null);
  const [outbox, setOutbox] = useState<OutboxRecord[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // A server that stopped answering has not said "no mail": the banner above says it is down.
  const connection = useConnection();
  useEffect(() => {
    const load = () =>
      Promise.all([getList<Mail>('/_amiwatch/mailbox', 'messages'), getList<OutboxRecord>('/_amiwatch/outbox', 'messages')]).then(
        ([m, o]) => {
          setMail(m);
          setOutbox(o);
          setError(null);
        },
        setError,
      );
    void load();
    const t = setInterval(() => void load(), 2000);
    return () => clearInterval(t);
  }, []);
  return (
    <div>
      <h1>Mailbox</h1>
      <p class="sub">
        Email that SNS subscriptions received (amiwatch keeps it here when no SMTP server is configured), and SMS and push messages.
      </p>
      <ErrorNotice error={error} />
      <h2>Email</h2>
      {mail?.length === 0 && !error && connection !== 'down' ? (
        <div class="panel">
          <Empty title="No mail yet">
            <p>Subscribe an email address to a topic on the SNS page: the confirmation mail lands here, with its link.</p>
          </Empty>
        </div>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Received</th>
                <th>To</th>
                <th>Subject</th>
              </tr>
            </thead>
            {(mail ?? []).map((m) => (
              <tbody key={m.id} data-testid="mail">
                <tr>
                  <td>
                    <button
                      aria-expanded={open === m.id}
                      onClick={() => setOpen(open === m.id ? null : m.id)}
                      aria-label={open === m.id ? 'Close mail' : 'Open mail'}
                    >
                      {open === m.id ? '▾' : '▸'}
                    </button>{' '}
                    {new Date(m.at).toLocaleTimeString()}
                  </td>
                  <td>{m.to}</td>
                  <td>
                    <b>{m.subject}</b>
                    <div class="hint">
                      from {m.fromName} &lt;{m.fromAddress}&gt;
                    </div>
                  </td>
                </tr>
                {open === m.id && (
                  <tr>
                    <td colSpan={3}>
                      <Linked text={m.text} />
                    </td>
                  </tr>
                )}
              </tbody>
            ))}
          </table>
        </div>
      )}
      <h2 style="margin-top:18px">SMS and push outbox</h2>
      {outbox.length === 0 ? (
        <p class="hint">No SMS or push messages.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Protocol</th>
                <th>Endpoint</th>
                <th>Message</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {outbox.map((o) => (
                <tr key={o.id} class={o.status === 'failed' ? 'row-failed' : ''}>
                  <td>{new Date(o.at).toLocaleTimeString()}</td>
                  <td>{o.protocol}</td>
                  <td class="wrap">{o.endpoint}</td>
                  <td class="wrap">{o.message}</td>
                  <td>
                    {o.status}
                    {o.error && <div class="error">{o.error}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
