import { parseArn } from '../../core/shared/arn.js';
import { failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * Targets whose ARN is EventBridge's own (`arn:aws:events:…`): an event bus, an archive (the
 * target of an archive's managed rule) or an API destination — one transport per resource type.
 */
export class EventsTransport implements Transport {
  constructor(private readonly byResource: Readonly<Record<string, Transport>>) {}

  deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const resource = parseArn(request.target.target.Arn ?? '')?.resource ?? '';
    const type = resource.slice(0, resource.indexOf('/'));
    const transport = this.byResource[type];
    if (!transport)
      return Promise.resolve(
        failure(false, 'NO_RESOURCE', `amiwatch has no transport for EventBridge target ${request.target.target.Arn}`),
      );
    return transport.deliver(request);
  }
}
