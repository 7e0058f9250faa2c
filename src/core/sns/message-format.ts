import type { Notification, SubscriptionDoc, TopicDoc } from './model.js';

/**
 * The JSON documents SNS sends to http/https, sqs (not raw) and email-json subscribers
 * (sns-message-and-json-formats), signed as sns-verify-signature-of-message describes:
 * `Name\nValue\n` for a fixed list of fields in byte order, SHA1withRSA for SignatureVersion 1,
 * SHA256withRSA for 2.
 */
export interface Signer {
  /** Base64 RSA signature of `text` with SHA1 (`1`) or SHA256 (`2`). */
  sign(text: string, version: '1' | '2'): string;
  /** The same off the calling thread (deliveries sign on every core). */
  signAsync?(text: string, version: '1' | '2'): Promise<string>;
  readonly certUrl: string;
}

/** Where amiwatch serves the links a message carries. */
export interface Links {
  subscribeUrl(topicArn: string, token: string): string;
  unsubscribeUrl(subscriptionArn: string): string;
}

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

export function stringToSign(doc: Readonly<Record<string, unknown>>): string {
  const fields = doc.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  let out = '';
  for (const f of fields) {
    const v = doc[f];
    if (typeof v === 'string') out += `${f}\n${v}\n`;
  }
  return out;
}

const version = (topic: TopicDoc): '1' | '2' => (topic.attributes.SignatureVersion === '2' ? '2' : '1');

/** The message text a protocol receives (MessageStructure json picks per protocol, else `default`). */
export function messageFor(n: Notification, protocol: string): string {
  return n.perProtocol?.[protocol] ?? n.perProtocol?.default ?? n.message;
}

export function notificationDoc(
  n: Notification,
  sub: SubscriptionDoc,
  topic: TopicDoc,
  signer: Signer,
  links: Links,
): Record<string, unknown> {
  const doc = notificationFields(n, sub, topic);
  return signedNotification(doc, signer.sign(stringToSign(doc), version(topic)), n, sub, signer, links);
}

/** `notificationDoc`, signed off the calling thread when the signer can. */
export async function notificationDocAsync(
  n: Notification,
  sub: SubscriptionDoc,
  topic: TopicDoc,
  signer: Signer,
  links: Links,
): Promise<Record<string, unknown>> {
  if (!signer.signAsync) return notificationDoc(n, sub, topic, signer, links);
  const doc = notificationFields(n, sub, topic);
  return signedNotification(doc, await signer.signAsync(stringToSign(doc), version(topic)), n, sub, signer, links);
}

/** The fields a notification's signature covers, in the document's order. */
function notificationFields(n: Notification, sub: SubscriptionDoc, topic: TopicDoc): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: n.messageId,
    // FIFO topics' notifications carry the SequenceNumber (sns-message-and-json-formats).
    ...(n.sequenceNumber !== undefined && { SequenceNumber: n.sequenceNumber }),
    TopicArn: n.topicArn,
    ...(n.subject !== undefined && { Subject: n.subject }),
    Message: messageFor(n, sub.protocol),
    Timestamp: new Date(n.timestamp).toISOString(),
    SignatureVersion: version(topic),
  };
}

function signedNotification(
  doc: Record<string, unknown>,
  signature: string,
  n: Notification,
  sub: SubscriptionDoc,
  signer: Signer,
  links: Links,
): Record<string, unknown> {
  doc.Signature = signature;
  doc.SigningCertURL = signer.certUrl;
  doc.UnsubscribeURL = links.unsubscribeUrl(sub.arn);
  const attrs = Object.entries(n.attributes);
  if (attrs.length > 0)
    doc.MessageAttributes = Object.fromEntries(
      attrs.map(([k, v]) => [k, { Type: v.DataType, Value: v.StringValue ?? v.BinaryValue ?? '' }]),
    );
  return doc;
}

export function confirmationDoc(
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
  messageId: string,
  sub: SubscriptionDoc,
  token: string,
  topic: TopicDoc,
  now: number,
  signer: Signer,
  links: Links,
): Record<string, unknown> {
  const message =
    type === 'SubscriptionConfirmation'
      ? `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
      : `You have chosen to deactivate subscription ${sub.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
  const doc: Record<string, unknown> = {
    Type: type,
    MessageId: messageId,
    Token: token,
    TopicArn: topic.arn,
    Message: message,
    SubscribeURL: links.subscribeUrl(topic.arn, token),
    Timestamp: new Date(now).toISOString(),
    SignatureVersion: version(topic),
  };
  doc.Signature = signer.sign(stringToSign(doc), version(topic));
  doc.SigningCertURL = signer.certUrl;
  return doc;
}

/**
 * A value in a link's query string written as AWS writes it in its links: percent-encoded where a
 * query needs it, but `:` and `@` left alone (real mails carry `SubscriptionArn=arn:aws:sns:…`
 * and `Endpoint=user@example.com`), so the link reads and parses the same.
 */
export function linkValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%40/g, '@');
}

/**
 * AWS's email footer (captured from real notification mails): the unsubscribe link names the
 * subscription and the address, `unsubscribe.html?SubscriptionArn=<arn>&Endpoint=<email>`.
 */
export function emailFooter(sub: SubscriptionDoc, links: Links): string {
  return (
    '\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n' +
    `${links.unsubscribeUrl(sub.arn)}&Endpoint=${linkValue(sub.endpoint)}\n\n` +
    'Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support'
  );
}
