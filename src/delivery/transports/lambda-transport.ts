import type { LambdaInvoker } from '../../core/lambda/invoker.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * A Lambda function as a rule target. EventBridge invokes it asynchronously as the service
 * principal `events.amazonaws.com`, so the function's resource policy must allow that (with
 * `AWS:SourceArn` = the rule's ARN when the statement names one): otherwise NO_PERMISSIONS, not
 * retried, as AWS does. amiwatch waits for the function, so a function that throws or times out
 * is a retriable failure carrying FUNCTION_ERROR / TIMEOUT and the function's error text: the
 * target's RetryPolicy and DLQ apply to it (see docs/lambda.md for how this differs from AWS,
 * where Lambda's own async retries would handle a failing function).
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
