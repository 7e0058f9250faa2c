import { isServiceError } from '../../core/shared/service-error.js';
import type { Publisher } from '../../core/sns/publish.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * An SNS topic as an EventBridge target: the event (after Input transformation) is published as
 * the Message, with no Subject, as AWS does (so an email subscriber reads the event JSON). A
 * topic that does not exist is the non-retriable NO_RESOURCE.
 */
export class SnsTransport implements Transport {
  constructor(private readonly publisher: Publisher) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    try {
      const t = request.target;
      await this.publisher.publishEvent(t.target.Arn ?? '', request.payload, { service: 'events.amazonaws.com', sourceArn: t.ruleArn, sourceAccount: t.account });
      return delivered;
    } catch (err) {
      if (isServiceError(err) && err.code === 'NotFound') return failure(false, 'NO_RESOURCE', `SNS topic ${request.target.target.Arn} does not exist.`);
      if (isServiceError(err) && err.code === 'AuthorizationError') return failure(false, 'NO_PERMISSIONS', err.message);
      if (isServiceError(err)) return failure(false, 'SDK_CLIENT_ERROR', err.message);
      throw err;
    }
  }
}
