import { SCOPE_LABEL, type MetricsHub } from '../../core/metrics/metrics-hub.js';
import { CATALOG, metricDef } from '../../core/metrics/catalog.js';
import type { Statistic } from '../../core/metrics/series-ring.js';
import type { Clock } from '../../core/shared/clock.js';
import type { ServiceHandler } from '../service-handler.js';

export const metricsPath = '/_amiwatch/metrics';

const DIMENSION_PARAMS: Record<string, string> = { bus: 'EventBusName', rule: 'RuleName', topic: 'TopicName', function: 'FunctionName' };
/** account= and region= pick one account's and region's series (EventBridge's and SNS's carry it). */
const SCOPE_PARAMS: Record<string, string> = { account: SCOPE_LABEL.account, region: SCOPE_LABEL.region };
const STATS: readonly Statistic[] = ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'];

/**
 * - GET /_amiwatch/metrics — Prometheus text exposition (scrape target);
 * - GET /_amiwatch/metrics/series?name=&namespace=&bus=&rule=&topic=&function=&from=&to=&step=&stat=
 *   — one metric as points for a chart: `{ namespace, name, dimensions, stat, step, points: [{t, value}] }`.
 *   `namespace` defaults by dimension (function → AWS/Lambda, topic → AWS/SNS, else AWS/Events);
 *   times are epoch ms or ISO 8601 (default: the last hour), step in seconds (default 60);
 *   stat defaults to Sum for counts and Average for latencies;
 * - GET /_amiwatch/metrics/catalog — the metric names and dimensions, and the series that have data.
 */
export function createMetricsHandler(hub: MetricsHub, clock: Clock): ServiceHandler {
  const json = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return async (req) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method !== 'GET') return json(405, { error: 'method not allowed' });
    if (url.pathname === metricsPath)
      return { status: 200, headers: { 'content-type': hub.contentType }, body: await hub.prometheusText() };
    if (url.pathname === `${metricsPath}/catalog`) return json(200, { metrics: CATALOG, series: hub.series.list() });
    if (url.pathname !== `${metricsPath}/series`) return json(404, { error: `no such endpoint: ${url.pathname}` });
    const q = url.searchParams;
    const name = q.get('name');
    if (!name) return json(400, { error: 'name is required, e.g. name=MatchedEvents' });
    const dimensions: Record<string, string> = {};
    for (const [param, dim] of Object.entries(DIMENSION_PARAMS)) if (q.get(param) !== null) dimensions[dim] = q.get(param)!;
    const scoped: Record<string, string> = { ...dimensions };
    for (const [param, label] of Object.entries(SCOPE_PARAMS)) if (q.get(param) !== null) scoped[label] = q.get(param)!;
    const namespace = q.get('namespace') ?? (dimensions.FunctionName ? 'AWS/Lambda' : dimensions.TopicName ? 'AWS/SNS' : 'AWS/Events');
    const def = metricDef(namespace, name);
    if (!def) return json(400, { error: `unknown metric ${namespace} ${name}; GET ${metricsPath}/catalog lists them` });
    const now = clock.now();
    const time = (param: string, fallback: number): number => {
      const v = q.get(param);
      if (v === null) return fallback;
      const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
      if (!Number.isFinite(n)) throw new RangeError(`${param}: expected epoch milliseconds or an ISO 8601 time, got ${v}`);
      return n;
    };
    let from: number, to: number;
    try {
      to = time('to', now);
      from = time('from', to - 3_600_000);
    } catch (err) {
      return json(400, { error: (err as Error).message });
    }
    const step = Number(q.get('step') ?? 60) * 1000;
    const stat = (q.get('stat') ?? (def.kind === 'ms' ? 'Average' : 'Sum')) as Statistic;
    if (!Number.isFinite(step) || step <= 0) return json(400, { error: 'step must be a positive number of seconds' });
    if (!STATS.includes(stat)) return json(400, { error: `stat must be one of ${STATS.join(', ')}` });
    if (to < from) return json(400, { error: 'from must not be after to' });
    if ((to - from) / step > 10_000) return json(400, { error: 'too many points: widen step or narrow from/to (at most 10000)' });
    const points = hub.series.query({ namespace, name, dimensions: scoped, from, to, step, stat });
    return json(200, {
      namespace,
      name,
      dimensions,
      stat,
      step: step / 1000,
      resolution: hub.series.resolutionMs / 1000,
      window: hub.series.windowMs / 1000,
      points,
    });
  };
}
