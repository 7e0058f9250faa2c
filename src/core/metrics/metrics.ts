/**
 * The recording side of amiwatch's metrics, as CloudWatch names them: namespace (`AWS/Events`,
 * `AWS/SNS`, `AWS/Lambda`), metric name and dimensions (`EventBusName`, `RuleName`,
 * `TopicName`, `FunctionName`). Services record through this interface and never know how
 * metrics are kept or shown (the hub keeps a Prometheus registry and an in-memory series ring).
 * Recording is synchronous, cheap and never throws.
 */
export type Namespace = 'AWS/Events' | 'AWS/SNS' | 'AWS/Lambda';

export type Dimensions = Readonly<Record<string, string>>;

export interface MetricsRecorder {
  /**
   * A count (value defaults to 1) or, for latency and duration metrics, one observation in ms.
   * `at` (ms) is when it happened, when the caller already knows (default: the clock's now) —
   * the hot paths record several metrics per event and read the clock once.
   */
  record(namespace: Namespace, name: string, dimensions: Dimensions, value?: number, at?: number): void;
}

export const noMetrics: MetricsRecorder = Object.freeze({ record() {} });

const nameOf = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);

/**
 * SNS's per-topic metrics (sns-monitoring-using-cloudwatch), for the SNS service to call:
 * `published` on every accepted Publish, `delivered` / `failed` per subscription delivery
 * (a delivery that is retried counts once, when it finally succeeds or fails).
 */
export function snsMetrics(recorder: MetricsRecorder) {
  const topic = (topicArn: string) => ({ TopicName: nameOf(topicArn) });
  return {
    published: (topicArn: string, count = 1) => recorder.record('AWS/SNS', 'NumberOfMessagesPublished', topic(topicArn), count),
    delivered: (topicArn: string) => recorder.record('AWS/SNS', 'NumberOfNotificationsDelivered', topic(topicArn)),
    failed: (topicArn: string) => recorder.record('AWS/SNS', 'NumberOfNotificationsFailed', topic(topicArn)),
  };
}
export type SnsMetrics = ReturnType<typeof snsMetrics>;

