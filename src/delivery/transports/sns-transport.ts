import { isServiceError } from '../../core/shared/service-error.js';
import type { Publisher } from '../../core/sns/publish.js';
import { allowsEventBridge } from '../../core/events/target-access.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * An SNS topic as an EventBridge target: the event (after Input transformation) is published as
 * the Message, with no Subject, as AWS does (so an email subscriber reads the event JSON). A
 * topic that does not exist is the non-retriable NO_RESOURCE.
 */
export class SnsTransport implements Transport {
  /**
   * `policyOf` given: the topic's policy (its default one when none was set, which does not name
   * EventBridge) must allow it — NO_PERMISSIONS otherwise, not retried, as AWS.
   */
  constructor(
    private readonly publisher: Publisher,
    private readonly policyOf?: (arn: string) => { exists: boolean; policy: string | undefined },
  ) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const arn = request.target.target.Arn ?? '';
    const topic = this.policyOf?.(arn);
    if (topic?.exists && !allowsEventBridge(topic.policy, { action: 'sns:Publish', resourceArn: arn }, request.target)) {
      return failure(false, 'NO_PERMISSIONS', `User: events.amazonaws.com is not authorized to perform: SNS:Publish on resource: ${arn} (the topic policy does not allow ${request.target.ruleArn}).`);
    }
    try {
      await this.publisher.publishEvent(request.target.target.Arn ?? '', request.payload);
      return delivered;
    } catch (err) {
      if (isServiceError(err) && err.code === 'NotFound') return failure(false, 'NO_RESOURCE', `SNS topic ${request.target.target.Arn} does not exist.`);
      if (isServiceError(err)) return failure(false, 'SDK_CLIENT_ERROR', err.message);
      throw err;
    }
  }
}
