import { notificationDoc, type Links, type Signer } from '../../core/sns/message-format.js';
import { AWS_MANAGED_POLICY } from './delivery-policy.js';
import type { LambdaInvoker } from './lambda-invoker.js';
import { snsFailure, type SnsAttempt, type SnsAttemptResult, type SnsFailureReason, type SnsProtocolDriver } from './protocol-driver.js';

/**
 * lambda subscriptions: the `{"Records":[{"EventSource":"aws:sns",…}]}` event handed to Lambda's
 * asynchronous queue (InvocationType Event) as sns.amazonaws.com for the topic. A function that
 * does not exist or whose policy refuses the topic is a client-side error (no retry, straight to
 * the dead-letter queue); a throttle is retried by SNS's policy for AWS-managed endpoints.
 */
export class LambdaProtocol implements SnsProtocolDriver {
  readonly jitter = true;

  constructor(private readonly o: { lambda: LambdaInvoker; signer: Signer; links: Links }) {}

  retryPolicy() {
    return AWS_MANAGED_POLICY;
  }

  async attempt(a: SnsAttempt): Promise<SnsAttemptResult> {
    if (!('notification' in a.message)) return snsFailure('INTERNAL_ERROR', false, 'a lambda subscription has no confirmation');
    const doc = notificationDoc(a.message.notification, a.sub, a.topic, this.o.signer, this.o.links);
    const { UnsubscribeURL, ...rest } = doc;
    const event = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: a.sub.arn,
          Sns: { ...rest, UnsubscribeUrl: UnsubscribeURL, MessageAttributes: doc.MessageAttributes ?? {} },
        },
      ],
    };
    const r = await this.o.lambda.invoke(a.sub.endpoint, JSON.stringify(event), a.topic.arn);
    if (r.ok) return { ok: true };
    const reason = lambdaReason(r.code);
    return snsFailure(reason, reason === 'THROTTLED' || reason === 'INTERNAL_ERROR', `${r.code}: ${r.message}`);
  }
}

function lambdaReason(code: string): SnsFailureReason {
  if (/NotFound|NO_RESOURCE/i.test(code)) return 'NO_RESOURCE';
  if (/AccessDenied|NO_PERMISSIONS|Forbidden|NotAuthorized/i.test(code)) return 'NO_PERMISSIONS';
  if (/Throttl|TooManyRequests|Limit/i.test(code)) return 'THROTTLED';
  return 'INTERNAL_ERROR';
}
