import { parseArn } from '../../core/shared/arn.js';
import type { DeliveryTarget } from '../../core/events/model.js';
import type { ServiceCaller } from '../../core/shared/resource-access.js';
import { isServiceError } from '../../core/shared/service-error.js';
import type { SqsMessages } from '../../core/sqs/messages.js';
import { deadLetterAttributes, type DeadLetterSink } from '../dead-letter.js';
import { eventBridgeCaller } from '../../core/events/target-access.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/** EventBridge sending for a rule: what a queue policy of another account must let in. */
const ruleCaller = (t: DeliveryTarget): ServiceCaller => eventBridgeCaller(t, false);

/**
 * An SQS queue as an EventBridge target: the event (after Input transformation) becomes the
 * message body. A queue that does not exist is AWS's non-retriable NO_RESOURCE; one whose policy
 * does not let events.amazonaws.com send for the rule is NO_PERMISSIONS, not retried.
 */
export class SqsTransport implements Transport {
  /**
   * `enforce`: the queue's policy must allow EventBridge in the rule's own account too, as AWS
   * (off with --ignore-target-policies); another account's queue is always asked (serviceMay).
   */
  constructor(
    private readonly sqs: SqsMessages,
    private readonly enforce = false,
  ) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    try {
      // SqsParameters.MessageGroupId: the FIFO queue's group; "the queue must have content-based
      // deduplication enabled" (Target.SqsParameters), so no deduplication id is sent.
      const groupId = request.target.target.SqsParameters?.MessageGroupId;
      await this.sqs.sendToArn(
        request.target.target.Arn ?? '',
        { body: request.payload, ...(groupId !== undefined && { groupId }) },
        eventBridgeCaller(request.target, this.enforce),
      );
      return delivered;
    } catch (err) {
      if (isServiceError(err) && err.code === 'QueueDoesNotExist')
        return failure(false, 'NO_RESOURCE', `SQS queue ${request.target.target.Arn} does not exist.`);
      if (isServiceError(err) && err.code === 'AccessDenied') return failure(false, 'NO_PERMISSIONS', err.message);
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
      await this.sqs.sendToArn(dlqArn, { body: letter.event, attributes: deadLetterAttributes(letter) }, ruleCaller(letter.target));
      return null;
    } catch (err) {
      if (isServiceError(err)) return err.message;
      throw err;
    }
  }
}
