import type { SnsService } from '../core/sns/sns-service.js';
import { isServiceError } from '../core/shared/service-error.js';
import type { SnsDeliveryLog } from '../delivery/sns/delivery-log.js';
import type { Mailbox } from '../delivery/sns/mail.js';
import type { Outbox } from '../delivery/sns/outbox.js';
import { queryError, queryResponse } from '../wire/protocols/query.js';
import { SNS_NAMESPACE } from '../wire/services/sns.js';
import type { ServiceHandler, WireResponse } from '../wire/service-handler.js';

export const SNS_PUBLIC = '/_amiwatch/sns/public';
export const CERT_FILE = 'SimpleNotificationService-amiwatch.pem';

export interface NotificationsControlDeps {
  readonly sns: SnsService;
  readonly certPem: string;
  readonly log: SnsDeliveryLog;
  /** null when mail goes to an SMTP server. */
  readonly mailbox: Mailbox | null;
  readonly outbox: Outbox;
}

/**
 * amiwatch's SNS pages and lists (control API, not AWS):
 *  - `/_amiwatch/sns/public/confirm?TopicArn&Token` — an HTTP subscriber's SubscribeURL (XML, like AWS's);
 *  - `/_amiwatch/sns/public/confirmation.html?TopicArn&Token` — the link in the confirmation mail;
 *  - `/_amiwatch/sns/public/unsubscribe.html?SubscriptionArn` — the unsubscribe link;
 *  - `/_amiwatch/sns/public/SimpleNotificationService-amiwatch.pem` — the SigningCertURL;
 *  - `/_amiwatch/sns/deliveries`, `/_amiwatch/mailbox?to=`, `/_amiwatch/outbox` — JSON lists;
 *  - `POST /_amiwatch/sns/sms-opt-out` `{"phoneNumber":"+1…"}` — the number's owner replies STOP:
 *    the caller's account (and Region) stops sending to it until OptInPhoneNumber.
 */
export function notificationsControl(d: NotificationsControlDeps): ServiceHandler {
  return async (req) => {
    const url = new URL(req.url, 'http://localhost');
    const q = url.searchParams;
    const limit = Math.min(Number(q.get('limit') ?? 100) || 100, 1000);
    const ctx = req.context;
    switch (url.pathname) {
      case `${SNS_PUBLIC}/${CERT_FILE}`:
        return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: d.certPem };
      case `${SNS_PUBLIC}/confirm`:
        try {
          const r = await d.sns.subscriptions.confirmByLink({ TopicArn: q.get('TopicArn') ?? '', Token: q.get('Token') ?? '' });
          return queryResponse(SNS_NAMESPACE, 'ConfirmSubscription', ctx.requestId, { SubscriptionArn: r.SubscriptionArn });
        } catch (err) {
          if (isServiceError(err)) return queryError(SNS_NAMESPACE, ctx.requestId, err);
          throw err;
        }
      case `${SNS_PUBLIC}/confirmation.html`:
        try {
          const r = await d.sns.subscriptions.confirmByLink({ TopicArn: q.get('TopicArn') ?? '', Token: q.get('Token') ?? '' });
          return page(
            200,
            'Subscription confirmed!',
            `You have successfully subscribed.<br>Your subscription's id is: ${esc(r.SubscriptionArn ?? '')}`,
          );
        } catch (err) {
          if (isServiceError(err)) return page(err.status, 'Subscription not confirmed', esc(err.message));
          throw err;
        }
      case `${SNS_PUBLIC}/unsubscribe.html`:
        try {
          await d.sns.subscriptions.unsubscribeByLink({ SubscriptionArn: q.get('SubscriptionArn') ?? '' });
          return page(
            200,
            'Subscription removed!',
            'Your subscription has been removed. You will no longer receive notifications from this topic.',
          );
        } catch (err) {
          if (isServiceError(err)) return page(err.status, 'Not unsubscribed', esc(err.message));
          throw err;
        }
      case '/_amiwatch/sns/sms-opt-out':
        if (req.method !== 'POST') return json(405, { error: 'POST to opt a phone number out' });
        try {
          const phoneNumber = String((JSON.parse(req.body.toString('utf8') || '{}') as { phoneNumber?: unknown }).phoneNumber ?? '');
          await d.sns.push.sms.optOut(ctx.accountId, ctx.region, phoneNumber);
          return json(200, { phoneNumber, optedOut: true });
        } catch (err) {
          if (isServiceError(err)) return json(err.status, { error: err.message });
          if (err instanceof SyntaxError) return json(400, { error: 'the body must be JSON: {"phoneNumber":"+1…"}' });
          throw err;
        }
      case '/_amiwatch/sns/deliveries':
        return json(200, { deliveries: d.log.list(limit).map((r) => ({ ...r, at: new Date(r.at).toISOString() })) });
      case '/_amiwatch/mailbox':
        if (!d.mailbox) return json(404, { error: 'mail goes to the SMTP server given with --smtp-url; the built-in mailbox is off' });
        return json(200, {
          messages: (await d.mailbox.list(q.get('to') ?? undefined, limit)).map((m) => ({ ...m, at: new Date(m.at).toISOString() })),
        });
      case '/_amiwatch/outbox':
        return json(200, { messages: (await d.outbox.list(limit)).map((m) => ({ ...m, at: new Date(m.at).toISOString() })) });
      default:
        return json(404, { error: `no such endpoint: ${url.pathname}` });
    }
  };
}

const json = (status: number, body: unknown): WireResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const page = (status: number, title: string, text: string): WireResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`,
});
