import type { DeliveryTarget } from '../core/events/model.js';

/**
 * How a delivery reaches a target. One transport per target service (the service of the target
 * ARN: `events` here; `sns`, `sqs`, `lambda` when those services land). A transport reports an
 * outcome instead of throwing; the worker turns failures into retries or give-ups using the
 * target's RetryPolicy. `retriable: false` is for what retrying cannot fix (AWS's NO_RESOURCE,
 * NO_PERMISSIONS): those skip the retries, as AWS does.
 */
export interface DeliveryRequest {
  readonly target: DeliveryTarget;
  /** What the target receives: the event, or the Input/InputPath/InputTransformer result. */
  readonly payload: string;
  /** The original event JSON (event-bus targets forward this). */
  readonly event: string;
  readonly eventId: string;
  /** When the event was accepted (ms): transports report ingestion → delivery latency with it. */
  readonly ingestedAt: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export type DeliveryResult =
  | {
      readonly ok: true;
      /** What the target answered, when it says more than "ok" (an API destination's HTTP status). */
      readonly detail?: string;
    }
  | {
      readonly ok: false;
      readonly retriable: boolean;
      readonly code: string;
      readonly message: string;
      /** The target asked for at least this long before the next attempt (an HTTP Retry-After). */
      readonly retryAfterMs?: number;
      /** Not attempted: try again at this time without counting an attempt (a rate limit's turn). */
      readonly deferUntil?: number;
    };

export interface Transport {
  deliver(request: DeliveryRequest): Promise<DeliveryResult>;
}

export const delivered: DeliveryResult = Object.freeze({ ok: true });

export const failure = (retriable: boolean, code: string, message: string): DeliveryResult => ({ ok: false, retriable, code, message });

/** Transports by target service; a service without one fails its deliveries non-retriably. */
export class TransportRegistry {
  private readonly byService = new Map<string, Transport>();

  register(service: string, transport: Transport): void {
    this.byService.set(service, transport);
  }

  get(service: string): Transport | undefined {
    return this.byService.get(service);
  }
}
