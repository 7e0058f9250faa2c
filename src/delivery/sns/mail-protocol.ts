import { emailFooter, messageFor, notificationDoc, type Links, type Signer } from '../../core/sns/message-format.js';
import type { Notification } from '../../core/sns/model.js';
import { CUSTOMER_MANAGED_POLICY } from './delivery-policy.js';
import type { Mail, MailSender } from './mail.js';
import { snsFailure, type PreparedSend, type SnsAttempt, type SnsAttemptResult, type SnsProtocolDriver } from './protocol-driver.js';

export interface MailProtocolOptions {
  readonly mail: MailSender;
  readonly mailFrom: string;
  readonly signer: Signer;
  readonly links: Links;
}

/**
 * email and email-json subscriptions: a mail to the SMTP server of --smtp-url or the built-in
 * mailbox, with SNS's fixed policy for customer-managed endpoints (50 attempts over 6 hours).
 * email gets the message text and AWS's footer; email-json the signed JSON document.
 */
export class MailProtocol implements SnsProtocolDriver {
  readonly jitter = true;

  constructor(private readonly o: MailProtocolOptions) {}

  retryPolicy() {
    return CUSTOMER_MANAGED_POLICY;
  }

  async attempt(a: SnsAttempt): Promise<SnsAttemptResult> {
    const mail = 'prepared' in a.message ? preparedMail(a.message.prepared) : this.render(a, a.message.notification);
    try {
      await this.o.mail.send(mail);
      return { ok: true };
    } catch (err) {
      return snsFailure('SMTP_ERROR', true, (err as Error).message);
    }
  }

  private render(a: SnsAttempt, n: Notification): Mail {
    const text =
      a.sub.protocol === 'email-json'
        ? JSON.stringify(notificationDoc(n, a.sub, a.topic, this.o.signer, this.o.links))
        : messageFor(n, 'email') + emailFooter(a.sub, this.o.links);
    return {
      fromName: fromName(a.topic),
      fromAddress: this.o.mailFrom,
      to: a.sub.endpoint,
      subject: n.subject ?? 'AWS Notification Message',
      text,
    };
  }
}

/** "AWS Notifications" unless the topic has a DisplayName. */
export const fromName = (topic: SnsAttempt['topic']): string => topic.attributes.DisplayName || 'AWS Notifications';

function preparedMail(p: PreparedSend): Mail {
  if (!('mail' in p)) throw new Error('an email delivery prepared without a mail');
  return p.mail;
}
