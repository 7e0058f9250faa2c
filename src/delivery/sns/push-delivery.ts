import { messageFor } from '../../core/sns/message-format.js';
import type { Notification, SubscriptionDoc } from '../../core/sns/model.js';
import type { OutboxRecord } from './outbox.js';

/**
 * The outbox record of an SMS or a mobile push message. A push carries its endpoint's platform,
 * device token and application, so the provider (the webhook) can hand it to APNs, FCM, …; its
 * text is the platform's entry of a `MessageStructure: json` message (`APNS_SANDBOX`, `GCM`, …),
 * else `default` (sns-send-custom-platform-specific-payloads-mobile-devices). SMS takes `sms`.
 */
export function outboxRecord(sub: SubscriptionDoc, n: Notification, at: number): OutboxRecord {
  const push = sub.protocol === 'application' ? n.push : undefined;
  return {
    id: n.messageId,
    at,
    protocol: sub.protocol === 'sms' ? 'sms' : 'application',
    endpoint: sub.endpoint,
    message: messageFor(n, push ? push.platform : 'sms'),
    ...(sub.topicArn && { topicArn: sub.topicArn }),
    ...(Object.keys(n.attributes).length > 0 && { attributes: n.attributes }),
    ...(push && {
      platform: push.platform,
      token: push.token,
      applicationArn: push.applicationArn,
      ...(push.customUserData !== undefined && { customUserData: push.customUserData }),
    }),
    status: 'recorded',
  };
}
