import { Counter, Histogram, Registry } from 'prom-client';
import type { Clock } from '../shared/clock.js';
import { CATALOG, metricDef, prometheusName, type MetricDef } from './catalog.js';
import type { Dimensions, MetricsRecorder, Namespace } from './metrics.js';
import { SeriesRing } from './series-ring.js';

/** Latency and duration buckets, ms: from a warm local call to a slow retry chain. */
const MS_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000];

/**
 * Where recorded metrics go: a Prometheus registry (prom-client; one per server, not the
 * process-global default, so several servers in one process keep apart) and the in-memory
 * series ring the console charts read. Unknown metric names are ignored, not thrown: recording
 * must never break the path that records.
 */
export class MetricsHub implements MetricsRecorder {
  readonly registry = new Registry();
  readonly series: SeriesRing;
  private readonly prom = new Map<MetricDef, Counter<string> | Histogram<string>>();

  constructor(private readonly clock: Clock, ring?: SeriesRing) {
    this.series = ring ?? new SeriesRing();
    for (const d of CATALOG) {
      const config = { name: prometheusName(d), help: `${d.namespace} ${d.name}: ${d.help}`, labelNames: [...d.dimensions], registers: [this.registry] };
      this.prom.set(d, d.kind === 'count' ? new Counter(config) : new Histogram({ ...config, buckets: MS_BUCKETS }));
    }
  }

  record(namespace: Namespace, name: string, dimensions: Dimensions, value = 1): void {
    const d = metricDef(namespace, name);
    if (!d || !Number.isFinite(value)) return;
    const labels: Record<string, string> = {};
    for (const k of d.dimensions) labels[k] = dimensions[k] ?? '';
    const m = this.prom.get(d)!;
    if (m instanceof Counter) m.inc(labels, value);
    else m.observe(labels, value);
    this.series.add(namespace, name, labels, value, this.clock.now());
  }

  /** The Prometheus text exposition (format 0.0.4). */
  prometheusText(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
