import { send } from './http.js';
import { readEventStream } from './sse.js';

/**
 * amiwatch's control API (`/_amiwatch/…`): health, the event history with matched rules and
 * deliveries, its live stream, EC2 fault rules. Signed like the AWS calls when the server asks.
 */
export interface Health {
  status: string;
  version: string;
  services: string[];
  account?: string;
  region?: string;
  signaturesRequired?: boolean;
}

export interface Delivery {
  id: string;
  rule: string;
  targetId: string;
  targetArn: string;
  status: string;
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
  updatedAt: string;
}

export interface StoredEvent {
  seq?: number;
  id: string;
  bus: string;
  ingestedAt: string;
  rules: string[];
  event: AwsEvent;
  deliveries: Delivery[];
}

export interface AwsEvent {
  id?: string;
  source?: string;
  'detail-type'?: string;
  account?: string;
  region?: string;
  time?: string;
  resources?: string[];
  detail?: Record<string, unknown>;
  [k: string]: unknown;
}

/** A delivery outcome on the live stream (the server's FeedDelivery). */
export interface DeliveryUpdate {
  deliveryId: number;
  eventId: string;
  busArn: string;
  ruleArn: string;
  targetId: string;
  status: 'delivered' | 'retry' | 'failed';
  attempts: number;
  error?: string;
  at: string;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await send('GET', url, 'amiwatch', {});
  const body = (await res.json()) as T & { error?: unknown };
  if (!res.ok) throw new Error(typeof body.error === 'string' ? body.error : JSON.stringify(body.error));
  return body;
}

export const health = async (): Promise<Health> => (await fetch('/_amiwatch/health')).json() as Promise<Health>;

export const listEvents = (params: Record<string, string>) =>
  getJson<{ events: StoredEvent[]; next?: string }>(`/_amiwatch/events?${new URLSearchParams(params).toString()}`);

/**
 * The live event stream, read with fetch rather than EventSource so the request can carry a
 * signature. Calls back per `event` / `delivery` message until `signal` aborts; reconnects after
 * a drop, telling `down` (the server is unreachable) and `open` again when it is back.
 */
export async function followStream(
  on: { event: (e: StoredEvent) => void; delivery: (d: DeliveryUpdate) => void; open?: () => void; down?: () => void },
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await send('GET', '/_amiwatch/events/stream', 'amiwatch', { accept: 'text/event-stream' }, '', signal);
      if (!res.ok) throw new Error(`event stream: HTTP ${res.status}`);
      on.open?.();
      await readEventStream(res, (type, data) => {
        const value = JSON.parse(data) as Record<string, unknown>;
        // The stream carries a delivery count, not the rows: the page reads those from the history.
        if (type === 'event') on.event({ ...(value as unknown as StoredEvent), deliveries: [] });
        else if (type === 'delivery') on.delivery(value as unknown as DeliveryUpdate);
      });
    } catch {
      if (signal.aborted) return;
    }
    on.down?.();
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export interface FaultRule {
  id: string;
  operation: string;
  namePattern?: string;
  tagKey?: string;
  tagValue?: string;
  errorMessage?: string;
  errorCode?: string;
}

export const listFaults = () => getJson<{ rules: FaultRule[] }>('/_amiwatch/ec2/faults');

export async function addFault(rule: Partial<FaultRule>): Promise<void> {
  const res = await send('POST', '/_amiwatch/ec2/faults', 'amiwatch', { 'content-type': 'application/json' }, JSON.stringify(rule));
  if (!res.ok) {
    const body = (await res.json()) as { error?: { message?: string } };
    throw new Error(body.error?.message ?? res.statusText);
  }
}

export async function removeFault(id: string): Promise<void> {
  await send('DELETE', `/_amiwatch/ec2/faults/${encodeURIComponent(id)}`, 'amiwatch', {});
}
