import { createHash } from 'node:crypto';
import type { TopicDoc } from './model.js';
import { SnsErrors } from '../generated/errors.js';

/**
 * SNS FIFO topics (sns-fifo-topics, "Message deduplication for FIFO topics"; Publish API
 * reference): a publish names a message group, a message whose deduplication id the topic saw in
 * the last 5 minutes is accepted but not delivered, and subscribers receive each group in
 * publish order. The ids travel on to the subscribed SQS queues.
 */
export const TOPIC_DEDUP_WINDOW_MS = 5 * 60_000;

export const isFifoTopic = (t: TopicDoc): boolean => t.attributes.FifoTopic === 'true';

export interface FifoPublishIds {
  readonly groupId?: string;
  readonly dedupId?: string;
}

/** Up to 128 alphanumeric or punctuation characters, as for SQS. */
const TOKEN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/**
 * Publish's FIFO rules with SNS's texts: MessageGroupId required on a FIFO topic, a deduplication
 * id unless ContentBasedDeduplication (then the SHA-256 of the message); a deduplication id is
 * refused on a standard topic. A group id on a standard topic is kept (SQS fair queues use it).
 */
export function checkFifoPublish(
  topic: TopicDoc,
  input: { MessageGroupId?: string | undefined; MessageDeduplicationId?: string | undefined; Message?: string | undefined },
): FifoPublishIds {
  const group = input.MessageGroupId;
  const dedup = input.MessageDeduplicationId;
  for (const [name, v] of [
    ['MessageGroupId', group],
    ['MessageDeduplicationId', dedup],
  ] as const) {
    if (v !== undefined && !TOKEN.test(v))
      throw SnsErrors.InvalidParameter(
        `Invalid parameter: ${name} Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      );
  }
  if (!isFifoTopic(topic)) {
    if (dedup !== undefined)
      throw SnsErrors.InvalidParameter(
        'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      );
    return group !== undefined ? { groupId: group } : {};
  }
  if (group === undefined) throw SnsErrors.InvalidParameter('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
  if (dedup !== undefined) return { groupId: group, dedupId: dedup };
  if (topic.attributes.ContentBasedDeduplication !== 'true') {
    throw SnsErrors.InvalidParameter(
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  }
  return {
    groupId: group,
    dedupId: createHash('sha256')
      .update(input.Message ?? '', 'utf8')
      .digest('hex'),
  };
}

/**
 * Which subscriptions a topic takes, by its type: a FIFO topic delivers to SQS queues only
 * ("Invalid protocol type" for any other, as SNS answers); a standard topic refuses a FIFO queue.
 * A standard queue on a FIFO topic is allowed since September 2023 (without FIFO's guarantees).
 */
export function checkFifoSubscription(topic: TopicDoc, protocol: string, endpoint: string): void {
  if (isFifoTopic(topic)) {
    if (protocol !== 'sqs') throw SnsErrors.InvalidParameter(`Invalid parameter: Invalid protocol type: ${protocol}`);
  } else if (protocol === 'sqs' && endpoint.endsWith('.fifo')) {
    throw SnsErrors.InvalidParameter(
      'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
    );
  }
}

/** CreateTopic / SetTopicAttributes: FifoTopic only at creation; ContentBasedDeduplication only on a FIFO topic. */
export function checkFifoTopicAttributes(attrs: Readonly<Record<string, string>>, fifo: boolean): void {
  for (const k of ['FifoTopic', 'ContentBasedDeduplication']) {
    const v = attrs[k];
    if (v !== undefined && v !== 'true' && v !== 'false')
      throw SnsErrors.InvalidParameter(`Invalid parameter: Attributes Reason: ${k} must be true or false`);
  }
  if (!fifo && attrs.ContentBasedDeduplication === 'true') {
    throw SnsErrors.InvalidParameter('Invalid parameter: Attributes Reason: Content-based deduplication can only be set for FIFO topics');
  }
}
