import type { Ingestion } from '../../core/events/put-events.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * An event bus as a target (eb-cross-account, eb-cross-region): the original event, id kept, is
 * put on the target bus through the same durable ingestion path, matched against that bus's
 * rules. A bus that does not exist, or whose policy does not let the sending account in, is a
 * non-retriable failure (AWS treats a missing target the same way). Input transformation does
 * not apply: the receiving bus gets the event itself.
 */
export class EventBusTransport implements Transport {
  constructor(private readonly ingestion: Ingestion) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    // One key per (rule, target, event): at-least-once delivery becomes exactly-once on the bus.
    const key = `fwd/${request.target.ruleArn}/${request.target.target.Id}/${request.eventId}`;
    const problem = await this.ingestion.forward(
      request.target.target.Arn!,
      request.event,
      request.target.account,
      key,
      request.target.ruleArn,
    );
    return problem ? failure(false, problem.code, problem.message) : delivered;
  }
}
