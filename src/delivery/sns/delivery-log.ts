/**
 * The last deliveries SNS attempted, for the control API and console: a subscriber that fails
 * (an HTTP endpoint down, a Lambda function that does not exist yet) shows up here, never
 * silently. A ring buffer: memory stays bounded.
 */
/** Which message went (or goes) to which subscriber. */
export interface SnsDeliveryOf {
  readonly topicArn: string;
  readonly subscriptionArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly messageId: string;
  readonly kind: 'notification' | 'confirmation' | 'unsubscribe-confirmation';
}

export interface SnsDeliveryRecord extends SnsDeliveryOf {
  readonly at: number;
  readonly status: 'delivered' | 'retrying' | 'failed';
  readonly attempts: number;
  readonly error?: string;
  /** A failed notification with a RedrivePolicy: whether its dead-letter queue took it. */
  readonly dlq?: 'sent' | 'failed';
}

export class SnsDeliveryLog {
  private readonly records: SnsDeliveryRecord[] = [];

  constructor(
    private readonly capacity = 1000,
    private readonly onFailure: (r: SnsDeliveryRecord) => void = () => {},
    /** Every final outcome (delivered or failed), e.g. for SNS's delivery metrics. */
    private readonly onSettled: (r: SnsDeliveryRecord) => void = () => {},
  ) {}

  add(r: SnsDeliveryRecord): void {
    this.records.push(r);
    if (this.records.length > this.capacity) this.records.shift();
    if (r.status === 'failed') this.onFailure(r);
    if (r.status !== 'retrying') this.onSettled(r);
  }

  /** Newest first. */
  list(limit = 100): SnsDeliveryRecord[] {
    return this.records.slice(-limit).reverse();
  }
}
