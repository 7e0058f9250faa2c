/**
 * A live feed of what the event log records: events as they are committed and delivery
 * outcomes as they are settled. The control API streams it (server-sent events) and the
 * delivery worker listens for new deliveries to start at once instead of polling. In-process
 * and best effort: the store is the truth, the feed is a notification.
 */
import type { NewEvent } from '../../storage/store.js';

/** A committed event, as it was appended (no copy is made per listener). */
export type FeedEvent = NewEvent;

export interface FeedDelivery {
  readonly deliveryId: number;
  readonly eventId: string;
  readonly busArn: string;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly status: 'delivered' | 'retry' | 'failed';
  readonly attempts: number;
  readonly error?: string;
  /** What the target answered on success, when the transport says (an API destination: `HTTP 200`). */
  readonly detail?: string;
  readonly at: number;
}

type Listener<T> = (item: T) => void;

export class EventFeed {
  private readonly eventListeners = new Set<Listener<readonly FeedEvent[]>>();
  private readonly deliveryListeners = new Set<Listener<FeedDelivery>>();

  onEvents(listener: Listener<readonly FeedEvent[]>): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onDelivery(listener: Listener<FeedDelivery>): () => void {
    this.deliveryListeners.add(listener);
    return () => this.deliveryListeners.delete(listener);
  }

  publishEvents(events: readonly FeedEvent[]): void {
    for (const l of this.eventListeners) l(events);
  }

  /** Whether anyone listens to deliveries (the worker skips building them otherwise). */
  get watchingDeliveries(): boolean {
    return this.deliveryListeners.size > 0;
  }

  publishDelivery(d: FeedDelivery): void {
    for (const l of this.deliveryListeners) l(d);
  }
}
