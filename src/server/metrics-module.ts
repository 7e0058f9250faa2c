import type { EventFeed } from '../core/events/event-feed.js';
import { MetricsHub } from '../core/metrics/metrics-hub.js';
import { scopeOf } from '../core/metrics/metrics.js';
import type { Clock } from '../core/shared/clock.js';
import type { DeliveryObserver } from '../delivery/delivery-observer.js';
import { createMetricsHandler, metricsPath } from '../wire/control/metrics-handler.js';
import type { ServiceHandler } from '../wire/service-handler.js';

/** `arn:…:event-bus/NAME` → NAME; `arn:…:rule/[BUS/]NAME` → NAME (CloudWatch's dimension values). */
export const busName = (arn: string) => arn.slice(arn.indexOf('event-bus/') + 'event-bus/'.length);
export const ruleName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

export interface MetricsModule {
  readonly hub: MetricsHub;
  readonly observer: DeliveryObserver;
  readonly mount: { prefix: string; handler: ServiceHandler };
  close(): void;
}

/**
 * Metrics, assembled. EventBridge's ingestion metrics come from the event feed (every committed
 * event carries the rules it matched: MatchedEvents and TriggeredRules per rule), its delivery
 * metrics from the worker's observer; Lambda and SNS record through the hub directly.
 */
export function startMetrics(o: { clock: Clock; feed: EventFeed }): MetricsModule {
  const hub = new MetricsHub(o.clock);
  const off = o.feed.onEvents((events) => {
    for (const e of events) {
      if (e.rules.length === 0) continue;
      const bus = busName(e.busArn);
      const scope = scopeOf(e.busArn);
      for (const rule of e.rules) {
        const dims = { EventBusName: bus, RuleName: rule };
        hub.record('AWS/Events', 'MatchedEvents', dims, 1, e.ingestedAt, scope);
        hub.record('AWS/Events', 'TriggeredRules', dims, 1, e.ingestedAt, scope);
      }
    }
  });
  const observer: DeliveryObserver = {
    settled(d, outcome, at, dlq) {
      const dims = { EventBusName: busName(d.busArn), RuleName: ruleName(d.ruleArn) };
      const scope = scopeOf(d.busArn);
      if (outcome.attempts > d.attempts) {
        hub.record('AWS/Events', 'InvocationAttempts', dims, 1, at, scope);
        if (d.attempts > 0) hub.record('AWS/Events', 'RetryInvocationAttempts', dims, 1, at, scope);
      }
      if (outcome.status === 'delivered') {
        hub.record('AWS/Events', 'SuccessfulInvocationAttempts', dims, 1, at, scope);
        hub.record('AWS/Events', 'Invocations', dims, 1, at, scope);
        hub.record('AWS/Events', 'IngestionToInvocationSuccessLatency', dims, Math.max(0, at - d.ingestedAt), at, scope);
      } else if (outcome.status === 'failed') {
        hub.record('AWS/Events', 'Invocations', dims, 1, at, scope);
        hub.record('AWS/Events', 'FailedInvocations', dims, 1, at, scope);
        hub.record('AWS/Events', 'DeadLetterInvocations', dims, 1, at, scope);
        if (dlq === 'sent') hub.record('AWS/Events', 'InvocationsSentToDlq', dims, 1, at, scope);
        if (dlq === 'failed') hub.record('AWS/Events', 'InvocationsFailedToBeSentToDlq', dims, 1, at, scope);
      }
    },
  };
  return { hub, observer, mount: { prefix: metricsPath, handler: createMetricsHandler(hub, o.clock) }, close: off };
}
