import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prometheusName, CATALOG } from '../../src/core/metrics/catalog.js';
import { MetricsHub } from '../../src/core/metrics/metrics-hub.js';
import { snsMetrics } from '../../src/core/metrics/metrics.js';
import { SeriesRing } from '../../src/core/metrics/series-ring.js';
import { ManualClock } from '../../src/core/shared/clock.js';

describe('SeriesRing', () => {
  const t0 = Date.UTC(2026, 0, 1);
  it('sums per step across matching series, filtered by dimensions', () => {
    const ring = new SeriesRing(10_000, 360);
    ring.add('AWS/Events', 'MatchedEvents', { EventBusName: 'default', RuleName: 'a' }, 1, t0);
    ring.add('AWS/Events', 'MatchedEvents', { EventBusName: 'default', RuleName: 'a' }, 1, t0 + 5_000);
    ring.add('AWS/Events', 'MatchedEvents', { EventBusName: 'default', RuleName: 'b' }, 1, t0 + 65_000);
    const q = { namespace: 'AWS/Events', name: 'MatchedEvents', from: t0, to: t0 + 119_999, step: 60_000, stat: 'Sum' as const };
    assert.deepEqual(ring.query({ ...q, dimensions: { EventBusName: 'default' } }), [
      { t: t0, value: 2 },
      { t: t0 + 60_000, value: 1 },
    ]);
    assert.deepEqual(ring.query({ ...q, dimensions: { RuleName: 'b' } }), [
      { t: t0, value: 0 },
      { t: t0 + 60_000, value: 1 },
    ]);
    assert.deepEqual(
      ring.query({ ...q, dimensions: {}, stat: 'Average' }).map((p) => p.value),
      [1, 1],
    );
  });

  it('forgets what is older than its window (the ring wraps) and keeps at most maxSeries series', () => {
    const ring = new SeriesRing(1_000, 10, 2);
    ring.add('AWS/Lambda', 'Duration', { FunctionName: 'f' }, 5, t0);
    ring.add('AWS/Lambda', 'Duration', { FunctionName: 'f' }, 7, t0 + 10_000); // same slot, next lap
    const points = ring.query({
      namespace: 'AWS/Lambda',
      name: 'Duration',
      dimensions: {},
      from: t0,
      to: t0 + 10_000,
      step: 1_000,
      stat: 'Maximum',
    });
    assert.equal(points[0]!.value, null, 'the old lap is gone');
    assert.equal(points[10]!.value, 7);
    ring.add('AWS/Lambda', 'Duration', { FunctionName: 'g' }, 1, t0);
    ring.add('AWS/Lambda', 'Duration', { FunctionName: 'h' }, 1, t0);
    assert.deepEqual(
      ring.list().map((s) => s.dimensions.FunctionName),
      ['g', 'h'],
    );
  });
});

describe('MetricsHub', () => {
  it('names every catalog metric for Prometheus, distinctly', () => {
    const names = CATALOG.map(prometheusName);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('amiwatch_events_matched_events_total'));
    assert.ok(names.includes('amiwatch_sns_number_of_messages_published_total'));
    assert.ok(names.includes('amiwatch_lambda_duration_milliseconds'));
  });

  it("records SNS's metrics through the helper the SNS service calls, and ignores unknown names", async () => {
    const hub = new MetricsHub(new ManualClock());
    const sns = snsMetrics(hub);
    sns.published('arn:aws:sns:us-east-1:000000000000:ami-events');
    sns.delivered('arn:aws:sns:us-east-1:000000000000:ami-events');
    sns.failed('arn:aws:sns:us-east-1:000000000000:ami-events');
    hub.record('AWS/SNS', 'NoSuchMetric', {});
    const text = await hub.prometheusText();
    assert.match(text, /^amiwatch_sns_number_of_messages_published_total\{TopicName="ami-events"\} 1$/m);
    assert.match(text, /^amiwatch_sns_number_of_notifications_failed_total\{TopicName="ami-events"\} 1$/m);
    assert.doesNotMatch(text, /NoSuchMetric/i);
  });
});
