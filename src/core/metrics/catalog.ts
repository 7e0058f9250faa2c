import type { Namespace } from './metrics.js';

/**
 * The metrics amiwatch records, with CloudWatch's namespaces, names and dimensions (AWS/Events:
 * eb-monitoring; AWS/SNS: sns-monitoring-using-cloudwatch; AWS/Lambda: monitoring-metrics).
 * `count` metrics add up; `ms` metrics are observations (latency, duration) in milliseconds.
 */
export interface MetricDef {
  readonly namespace: Namespace;
  readonly name: string;
  readonly kind: 'count' | 'ms';
  readonly dimensions: readonly string[];
  readonly help: string;
}

const events = (name: string, kind: 'count' | 'ms', help: string): MetricDef => ({
  namespace: 'AWS/Events',
  name,
  kind,
  dimensions: ['EventBusName', 'RuleName'],
  help,
});
const sns = (name: string, help: string): MetricDef => ({ namespace: 'AWS/SNS', name, kind: 'count', dimensions: ['TopicName'], help });
const lambda = (name: string, kind: 'count' | 'ms', help: string): MetricDef => ({
  namespace: 'AWS/Lambda',
  name,
  kind,
  dimensions: ['FunctionName'],
  help,
});

export const CATALOG: readonly MetricDef[] = [
  events('MatchedEvents', 'count', 'Events that matched the rule.'),
  events('TriggeredRules', 'count', 'Times the rule ran because an event matched it.'),
  events('Invocations', 'count', 'Target invocations that succeeded or failed for good (retries not counted until they end).'),
  events('FailedInvocations', 'count', 'Target invocations that failed for good.'),
  events('InvocationAttempts', 'count', 'Every attempt to invoke a target, retries included.'),
  events('SuccessfulInvocationAttempts', 'count', 'Attempts that reached the target.'),
  events('RetryInvocationAttempts', 'count', 'Attempts that were retries.'),
  events('DeadLetterInvocations', 'count', 'Invocations that ended without reaching the target (dropped or dead-lettered).'),
  events('InvocationsSentToDlq', 'count', "Events sent to the target's dead-letter queue."),
  events('InvocationsFailedToBeSentToDlq', 'count', "Events that could not be sent to the target's dead-letter queue."),
  events('IngestionToInvocationSuccessLatency', 'ms', 'Time from ingestion to a successful target invocation, ms.'),
  sns('NumberOfMessagesPublished', 'Messages published to the topic.'),
  sns('NumberOfNotificationsDelivered', 'Messages delivered to subscribers.'),
  sns('NumberOfNotificationsFailed', 'Messages that failed to reach a subscriber.'),
  sns('NumberOfNotificationsRedrivenToDlq', "Messages moved to a subscription's dead-letter queue."),
  sns('NumberOfNotificationsFailedToRedriveToDlq', "Messages that could not be moved to a subscription's dead-letter queue."),
  lambda('Invocations', 'count', 'Function invocations, successful or not.'),
  lambda('Errors', 'count', 'Invocations that failed (threw, timed out, crashed).'),
  lambda('Duration', 'ms', 'Time the function code ran per invocation, ms.'),
  lambda('Throttles', 'count', 'Invocations refused or put back for the reserved concurrency.'),
  lambda('AsyncEventsReceived', 'count', 'Events queued for asynchronous invocation.'),
  lambda('AsyncEventsDropped', 'count', 'Asynchronous events given up on (retries exhausted, too old).'),
  lambda('DeadLetterErrors', 'count', "Discarded events that could not be sent to the function's dead-letter queue."),
  lambda('DestinationDeliveryFailures', 'count', 'Invocation records that could not be sent to a destination.'),
];

const byNamespace = new Map<string, Map<string, MetricDef>>();
for (const d of CATALOG) {
  if (!byNamespace.has(d.namespace)) byNamespace.set(d.namespace, new Map());
  byNamespace.get(d.namespace)!.set(d.name, d);
}
export const metricDef = (namespace: string, name: string): MetricDef | undefined => byNamespace.get(namespace)?.get(name);

/** `AWS/Events` + `MatchedEvents` → `amiwatch_events_matched_events_total`; ms metrics end in `_milliseconds`. */
export function prometheusName(d: MetricDef): string {
  const ns = d.namespace.slice(4).toLowerCase();
  const snake = d.name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  return `amiwatch_${ns}_${snake}${d.kind === 'count' ? '_total' : '_milliseconds'}`;
}
