/**
 * The recording side of amiwatch's metrics, as CloudWatch names them: namespace (`AWS/Events`,
 * `AWS/SNS`, `AWS/Lambda`), metric name and dimensions (`EventBusName`, `RuleName`,
 * `TopicName`, `FunctionName`). Services record through this interface and never know how
 * metrics are kept or shown (the hub keeps a Prometheus registry and an in-memory series ring).
 * Recording is synchronous, cheap and never throws.
 */
export type Namespace = 'AWS/Events' | 'AWS/SNS' | 'AWS/Lambda';

export type Dimensions = Readonly<Record<string, string>>;

/**
 * The account and region a metric belongs to. CloudWatch keeps each account's and region's
 * metrics apart without making them dimensions; here they label the chart series (not the
 * Prometheus metrics), so that the console's dashboard shows the region it is in.
 */
export interface MetricScope {
  readonly account: string;
  readonly region: string;
}

/** The scope of a resource from its ARN (`arn:aws:SERVICE:REGION:ACCOUNT:…`). */
export function scopeOf(arn: string): MetricScope | undefined {
  const parts = arn.split(':');
  return parts.length > 5 && parts[3] && parts[4] ? { region: parts[3], account: parts[4] } : undefined;
}

export interface MetricsRecorder {
  /**
   * A count (value defaults to 1) or, for latency and duration metrics, one observation in ms.
   * `at` (ms) is when it happened, when the caller already knows (default: the clock's now) —
   * the hot paths record several metrics per event and read the clock once.
   */
  record(namespace: Namespace, name: string, dimensions: Dimensions, value?: number, at?: number, scope?: MetricScope): void;
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
    published: (topicArn: string, count = 1) =>
      recorder.record('AWS/SNS', 'NumberOfMessagesPublished', topic(topicArn), count, undefined, scopeOf(topicArn)),
    delivered: (topicArn: string) =>
      recorder.record('AWS/SNS', 'NumberOfNotificationsDelivered', topic(topicArn), 1, undefined, scopeOf(topicArn)),
    failed: (topicArn: string) =>
      recorder.record('AWS/SNS', 'NumberOfNotificationsFailed', topic(topicArn), 1, undefined, scopeOf(topicArn)),
    /** A notification given up and sent to its subscription's dead-letter queue (sns-monitoring-using-cloudwatch). */
    redrivenToDlq: (topicArn: string) =>
      recorder.record('AWS/SNS', 'NumberOfNotificationsRedrivenToDlq', topic(topicArn), 1, undefined, scopeOf(topicArn)),
    failedToRedriveToDlq: (topicArn: string) =>
      recorder.record('AWS/SNS', 'NumberOfNotificationsFailedToRedriveToDlq', topic(topicArn), 1, undefined, scopeOf(topicArn)),
  };
}
export type SnsMetrics = ReturnType<typeof snsMetrics>;

/**
 * One of Lambda's per-function metrics (monitoring-metrics-types): dimension `FunctionName`, in
 * the function's account and region, taken from its ARN — so that two functions of one name in
 * two regions or accounts are two series, as in CloudWatch, and the console charts the region it
 * is in. `value` is 1 for counts, the milliseconds for Duration.
 */
export function recordLambda(recorder: MetricsRecorder, name: string, fn: { name: string; arn: string }, value = 1): void {
  recorder.record('AWS/Lambda', name, { FunctionName: fn.name }, value, undefined, scopeOf(fn.arn));
}
