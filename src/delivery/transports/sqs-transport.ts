import { parseArn } from '../../core/shared/arn.js';
import { isServiceError } from '../../core/shared/service-error.js';
import type { SqsMessages } from '../../core/sqs/messages.js';
import { deadLetterAttributes, type DeadLetterSink } from '../dead-letter.js';
import { allowsEventBridge } from '../../core/events/target-access.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * An SQS queue as an EventBridge target: the event (after Input transformation) becomes the
 * message body. A queue that does not exist is AWS's non-retriable NO_RESOURCE.
 */
export class SqsTransport implements Transport {
  /** `policyOf` given: the queue's policy must allow EventBridge (NO_PERMISSIONS otherwise, not retried). */
  constructor(
    private readonly sqs: SqsMessages,
    private readonly policyOf?: (arn: string) => { exists: boolean; policy: string | undefined },
  ) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const arn = request.target.target.Arn ?? '';
    const queue = this.policyOf?.(arn);
    if (queue?.exists && !allowsEventBridge(queue.policy, { action: 'sqs:SendMessage', resourceArn: arn }, request.target)) {
      return failure(false, 'NO_PERMISSIONS', `Access to the resource ${arn} is denied: its policy does not allow events.amazonaws.com to sqs:SendMessage for ${request.target.ruleArn}.`);
    }
    try {
      // SqsParameters.MessageGroupId: the FIFO queue's group; "the queue must have content-based
      // deduplication enabled" (Target.SqsParameters), so no deduplication id is sent.
      const groupId = request.target.target.SqsParameters?.MessageGroupId;
      await this.sqs.sendToArn(request.target.target.Arn ?? '', { body: request.payload, ...(groupId !== undefined && { groupId }) });
      return delivered;
    } catch (err) {
      if (isServiceError(err) && err.code === 'QueueDoesNotExist') return failure(false, 'NO_RESOURCE', `SQS queue ${request.target.target.Arn} does not exist.`);
      if (isServiceError(err)) return failure(false, 'SDK_CLIENT_ERROR', err.message);
      throw err;
    }
  }
}

/**
 * The DLQ of a target: a standard SQS queue in the rule's Region (eb-rule-dlq), the original
 * event as body, AWS's attributes. PutTargets already refuses a FIFO DLQ; the check here covers
 * rules stored before it did.
 */
export class SqsDeadLetterSink implements DeadLetterSink {
  constructor(private readonly sqs: SqsMessages) {}

  async send(dlqArn: string, letter: Parameters<DeadLetterSink['send']>[1]): Promise<string | null> {
    if (dlqArn.endsWith('.fifo')) return 'a DLQ must be a standard queue, not FIFO';
    const region = parseArn(dlqArn)?.region;
    if (region !== letter.target.region) return `the DLQ must be in the rule's Region (${letter.target.region})`;
    try {
      await this.sqs.sendToArn(dlqArn, { body: letter.event, attributes: deadLetterAttributes(letter) });
      return null;
    } catch (err) {
      if (isServiceError(err)) return err.message;
      throw err;
    }
  }
}
