import { send } from './http.js';

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
 * The live stream, read with fetch rather than EventSource so the request can carry a signature.
 * Calls back per `event` / `delivery` message until `signal` aborts; reconnects after a drop.
 */
export async function followStream(on: { event: (e: StoredEvent) => void; delivery: (d: DeliveryUpdate) => void; open?: () => void }, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await send('GET', '/_amiwatch/events/stream', 'amiwatch', { accept: 'text/event-stream' }, '', signal);
      if (!res.body) throw new Error('no stream body');
      on.open?.();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end), on);
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function dispatch(block: string, on: { event: (e: StoredEvent) => void; delivery: (d: DeliveryUpdate) => void }): void {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) type = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length === 0) return;
  const value = JSON.parse(data.join('\n')) as Record<string, unknown>;
  // The stream carries a delivery count, not the rows: the page reads those from the history.
  if (type === 'event') on.event({ ...(value as unknown as StoredEvent), deliveries: [] });
  else if (type === 'delivery') on.delivery(value as unknown as DeliveryUpdate);
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
