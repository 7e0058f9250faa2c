import type { LogEvents } from '../../core/logs/log-events.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * A CloudWatch Logs log group as a rule target (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`,
 * the usual `/aws/events/NAME`): the payload (the event JSON unless the target transforms it) is
 * written as one log event, timestamped with the event's `time`, in a stream named after the
 * event's id, as EventBridge writes it. The group is created when missing (on AWS it must exist;
 * the console creates it with the rule).
 */
export class LogGroupTransport implements Transport {
  constructor(private readonly events: LogEvents) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const m = /^arn:aws[\w-]*:logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(:\*)?$/.exec(request.target.target.Arn ?? '');
    if (!m) return failure(false, 'NO_RESOURCE', `Not a log group ARN: ${request.target.target.Arn}`);
    let time = request.ingestedAt;
    try {
      const t = Date.parse((JSON.parse(request.event) as { time?: string }).time ?? '');
      if (Number.isFinite(t)) time = t;
    } catch {
      // The original event is always JSON; keep the ingestion time otherwise.
    }
    await this.events.write({ region: m[1]!, accountId: m[2]! }, m[3]!, request.eventId, [{ timestamp: time, message: request.payload }]);
    return delivered;
  }
}
