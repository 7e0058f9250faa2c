import type { Store } from '../../storage/store.js';

export interface Mail {
  readonly fromName: string;
  readonly fromAddress: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** Where email notifications go: an SMTP server, or the built-in mailbox. */
export interface MailSender {
  send(mail: Mail): Promise<void>;
}

/**
 * SMTP through nodemailer; `url` as nodemailer takes it (`smtp://user:pass@host:587`, `smtps://…`).
 * nodemailer is loaded here, not at module load: a server without `--smtp-url` never needs it.
 */
export async function smtpSender(url: string): Promise<MailSender & { close(): void }> {
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(url);
  return {
    async send(m) {
      await transport.sendMail({
        from: { name: m.fromName, address: m.fromAddress },
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.html && { html: m.html }),
      });
    },
    close: () => transport.close(),
  };
}

export interface MailboxEntry extends Mail {
  readonly id: string;
  readonly at: number;
}

const KIND = 'sns.mailbox';

/**
 * The built-in mailbox: with no SMTP server configured, mail is kept in the store (it survives
 * restarts) and shown at `GET /_amiwatch/mailbox`, so the embedded default needs nothing else.
 */
export class Mailbox implements MailSender {
  private seq = 0;
  private readonly listeners = new Set<(entry: MailboxEntry) => void>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly id: () => string,
  ) {}

  async send(mail: Mail): Promise<void> {
    const at = this.now();
    const entry: MailboxEntry = { ...mail, id: this.id(), at };
    // Keys sort by time, then by arrival within a millisecond.
    const key = `${String(at).padStart(15, '0')}-${String(this.seq++).padStart(6, '0')}`;
    await this.store.writeResources([{ kind: KIND, key, doc: JSON.stringify(entry) }]);
    for (const listener of this.listeners) listener(entry);
  }

  /** Called with each message once it is stored (the embedded server's `waitForMail`). */
  onMail(listener: (entry: MailboxEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Newest first, optionally only mail to one address. */
  async list(to?: string, limit = 100): Promise<MailboxEntry[]> {
    const all = (await this.store.loadResources(KIND)).map((r) => JSON.parse(r.doc) as MailboxEntry).reverse();
    return (to ? all.filter((m) => m.to.toLowerCase() === to.toLowerCase()) : all).slice(0, limit);
  }
}
