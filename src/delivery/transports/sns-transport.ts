import { isServiceError } from '../../core/shared/service-error.js';
import type { Publisher } from '../../core/sns/publish.js';
import { eventBridgeCaller } from '../../core/events/target-access.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * An SNS topic as an EventBridge target: the event (after Input transformation) is published as
 * the Message, with no Subject, as AWS does (so an email subscriber reads the event JSON). A
 * topic that does not exist is the non-retriable NO_RESOURCE.
 */
export class SnsTransport implements Transport {
  /**
   * `enforce`: the topic's policy (its default one when none was set, which does not name
   * EventBridge) must allow it in the rule's own account too — NO_PERMISSIONS otherwise, not
   * retried, as AWS (off with --ignore-target-policies); another account's topic is always asked.
   */
  constructor(
    private readonly publisher: Publisher,
    private readonly enforce = false,
  ) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    try {
      const t = request.target;
      await this.publisher.publishEvent(t.target.Arn ?? '', request.payload, eventBridgeCaller(t, this.enforce));
      return delivered;
    } catch (err) {
      if (isServiceError(err) && err.code === 'NotFound')
        return failure(false, 'NO_RESOURCE', `SNS topic ${request.target.target.Arn} does not exist.`);
      if (isServiceError(err) && err.code === 'AuthorizationError') return failure(false, 'NO_PERMISSIONS', err.message);
      if (isServiceError(err)) return failure(false, 'SDK_CLIENT_ERROR', err.message);
      throw err;
    }
  }
}
