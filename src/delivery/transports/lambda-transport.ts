import type { LambdaInvoker } from '../../core/lambda/invoker.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * A Lambda function as a rule target. EventBridge invokes it asynchronously as the service
 * principal `events.amazonaws.com`, so the function's resource policy must allow that (with
 * `AWS:SourceArn` = the rule's ARN when the statement names one): otherwise NO_PERMISSIONS, not
 * retried, as AWS does. Otherwise the delivery succeeds once Lambda has queued the event: a
 * function that then fails is Lambda's to retry (its event invoke configuration, destinations
 * and DLQ), as on AWS.
 */
export class LambdaTransport implements Transport {
  constructor(private readonly invoker: LambdaInvoker) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const t = request.target;
    const result = await this.invoker.invokeAsync(t.target.Arn!, request.payload, {
      principal: 'events.amazonaws.com',
      sourceArn: t.ruleArn,
      sourceAccount: t.account,
    });
    return result.ok ? delivered : failure(result.retriable, result.code, result.message);
  }
}
