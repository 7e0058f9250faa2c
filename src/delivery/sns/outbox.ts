import type { Store } from '../../storage/store.js';

/** An SMS or mobile push message as amiwatch recorded it. */
export interface OutboxRecord {
  readonly id: string;
  readonly at: number;
  readonly protocol: 'sms' | 'application';
  /** Phone number or platform endpoint ARN. */
  readonly endpoint: string;
  readonly message: string;
  readonly topicArn?: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
  /** Push only: the endpoint's platform (APNS, GCM, …), device token, application and CustomUserData. */
  readonly platform?: string;
  readonly token?: string;
  readonly applicationArn?: string;
  readonly customUserData?: string;
  status: 'recorded' | 'sent' | 'failed';
  error?: string;
}

/**
 * How SMS and push leave amiwatch. A gateway adapter (Twilio, FCM, APNs) is one implementation
 * of this interface; amiwatch ships the webhook one. Throwing marks the record failed.
 */
export interface NotifyProvider {
  readonly name: string;
  send(record: OutboxRecord): Promise<void>;
}

/** POSTs each record as JSON to a URL (the webhook provider); non-2xx is a failure. */
export function webhookProvider(url: string): NotifyProvider {
  return {
    name: `webhook ${url}`,
    async send(record) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(record),
        signal: AbortSignal.timeout(15_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) throw new Error(`webhook answered HTTP ${res.status}`);
    },
  };
}

const KIND = 'sns.outbox';

/** Every SMS/push message, recorded durably first, then handed to the provider (if any). */
export class Outbox {
  constructor(
    private readonly store: Store,
    private readonly provider: NotifyProvider | null,
  ) {}

  async record(r: OutboxRecord): Promise<OutboxRecord> {
    const key = `${String(r.at).padStart(15, '0')}-${r.id}`;
    await this.store.writeResources([{ kind: KIND, key, doc: JSON.stringify(r) }]);
    if (!this.provider) return r;
    try {
      await this.provider.send(r);
      r.status = 'sent';
    } catch (err) {
      r.status = 'failed';
      r.error = (err as Error).message;
    }
    await this.store.writeResources([{ kind: KIND, key, doc: JSON.stringify(r) }]);
    return r;
  }

  async list(limit = 100): Promise<OutboxRecord[]> {
    return (await this.store.loadResources(KIND))
      .map((x) => JSON.parse(x.doc) as OutboxRecord)
      .reverse()
      .slice(0, limit);
  }
}
