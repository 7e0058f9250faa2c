import { parseArn } from '../shared/arn.js';
import { SnsErrors } from '../generated/errors.js';

/**
 * A subscription's `RedrivePolicy` as SetSubscriptionAttributes and Subscribe check it: JSON
 * naming an SQS queue (`deadLetterTargetArn`), a FIFO queue for a FIFO topic
 * (sns-dead-letter-queues). The texts are the ones AWS answers, as other emulators' AWS-validated
 * tests record them. An empty value removes the policy.
 */
export function checkRedrivePolicy(value: string, topicArn: string): void {
  if (value === '') return;
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    throw SnsErrors.InvalidParameter('Invalid parameter: RedrivePolicy: failed to parse JSON.');
  }
  const target = doc !== null && typeof doc === 'object' ? (doc as { deadLetterTargetArn?: unknown }).deadLetterTargetArn : undefined;
  const arn = typeof target === 'string' ? parseArn(target) : null;
  if (!arn) throw SnsErrors.InvalidParameter('Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
  if (topicArn.endsWith('.fifo') && (arn.service !== 'sqs' || !arn.resource.endsWith('.fifo')))
    throw SnsErrors.InvalidParameter('Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO topic');
}
