import type { Random } from '../../core/shared/random.js';
import { messageFor, notificationDoc, type Links, type Signer } from '../../core/sns/message-format.js';
import type { Notification, SubscriptionDoc, TopicDoc } from '../../core/sns/model.js';
import type { SqsMessages } from '../../core/sqs/messages.js';
import type { SnsFailureReason } from './protocol-driver.js';

/**
 * A subscription's dead-letter queue (sns-dead-letter-queues): an SQS queue of the same account
 * and region that receives what SNS could not deliver — the message as the subscriber would have
 * had it (the raw message with RawMessageDelivery, else the signed JSON document), with the
 * attributes `RequestID`, `ErrorCode` and `ErrorMessage`. SNS sends as sns.amazonaws.com for
 * the topic, so the queue's policy must let it in (as AWS asks of a DLQ's policy).
 */
export class SnsDeadLetters {
  constructor(private readonly o: { sqs: SqsMessages; signer: Signer; links: Links; random: Random }) {}

  /** Sends; returns null when the queue took it, else why not. */
  async send(
    dlqArn: string,
    sub: SubscriptionDoc,
    topic: TopicDoc,
    n: Notification,
    code: SnsFailureReason,
    message: string,
  ): Promise<string | null> {
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const body = raw ? messageFor(n, sub.protocol) : JSON.stringify(notificationDoc(n, sub, topic, this.o.signer, this.o.links));
    const attributes = {
      RequestID: { DataType: 'String', StringValue: this.o.random.uuid() },
      ErrorCode: { DataType: 'String', StringValue: code },
      ErrorMessage: { DataType: 'String', StringValue: message.slice(0, 1024) },
    };
    // A FIFO topic's DLQ is a FIFO queue: the message keeps its group and deduplication id.
    const fifo = {
      ...(n.groupId !== undefined && { groupId: n.groupId }),
      ...(n.dedupId !== undefined && dlqArn.endsWith('.fifo') && { dedupId: n.dedupId }),
    };
    try {
      await this.o.sqs.sendToArn(
        dlqArn,
        { body, attributes, ...fifo },
        { service: 'sns.amazonaws.com', sourceArn: topic.arn, sourceAccount: topic.account },
      );
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  }
}
