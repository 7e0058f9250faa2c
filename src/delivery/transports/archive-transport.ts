import type { EventArchives } from '../../core/events/archives.js';
import { delivered, failure, type DeliveryRequest, type DeliveryResult, type Transport } from '../transport.js';

/**
 * An archive as the target of its managed rule (`Events-Archive-<name>`): the event as it
 * arrived on the bus (never a transformed input) is kept in the ArchiveStore, once per event id,
 * so a redelivery after a crash does not count it twice. A deleted archive is NO_RESOURCE.
 */
export class ArchiveTransport implements Transport {
  constructor(private readonly archives: EventArchives) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const arn = request.target.target.Arn!;
    const kept = await this.archives.archive(arn, request.eventId, request.event);
    return kept ? delivered : failure(false, 'NO_RESOURCE', `Archive ${arn} does not exist.`);
  }
}
