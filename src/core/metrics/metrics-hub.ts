import { Counter, Histogram, Registry } from 'prom-client';
import type { Clock } from '../shared/clock.js';
import { CATALOG, metricDef, prometheusName, type MetricDef } from './catalog.js';
import type { Dimensions, MetricScope, MetricsRecorder, Namespace } from './metrics.js';
import { SeriesRing, type Series } from './series-ring.js';

interface Cell {
  readonly child: { inc(value: number): void } | { observe(value: number): void };
  /** Count increments not yet handed to prom-client. */
  pending: number;
  readonly series: Series;
}

/** The series labels that carry a metric's scope (not CloudWatch dimensions, hence the `@`). */
export const SCOPE_LABEL = { account: '@account', region: '@region' } as const;

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
  /**
   * Per metric, per dimension values: the bound Prometheus child and the ring's series. Recording
   * is on the ingestion and delivery paths (several records per event), so the label hashing
   * and series lookup happen once per dimension set, not per record.
   */
  private readonly cells = new Map<MetricDef, Map<string, Cell>>();
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    ring?: SeriesRing,
  ) {
    this.series = ring ?? new SeriesRing();
    for (const d of CATALOG) {
      const config = {
        name: prometheusName(d),
        help: `${d.namespace} ${d.name}: ${d.help}`,
        labelNames: [...d.dimensions],
        registers: [this.registry],
      };
      // Counts accumulate in the cells and reach prom-client when scraped (`collect`).
      const hub = this;
      this.prom.set(
        d,
        d.kind === 'count'
          ? new Counter({
              ...config,
              collect() {
                hub.flush(d);
              },
            })
          : new Histogram({ ...config, buckets: MS_BUCKETS }),
      );
    }
  }

  record(namespace: Namespace, name: string, dimensions: Dimensions, value = 1, at?: number, scope?: MetricScope): void {
    const d = metricDef(namespace, name);
    if (!d || !Number.isFinite(value)) return;
    if (this.generation !== this.series.generation) {
      // The ring dropped a series: cached handles may point at it.
      for (const m of this.cells.keys()) if (m.kind === 'count') this.flush(m);
      this.cells.clear();
      this.generation = this.series.generation;
    }
    let byDims = this.cells.get(d);
    if (!byDims) this.cells.set(d, (byDims = new Map()));
    let key = '';
    for (const k of d.dimensions) key += `${dimensions[k] ?? ''}\u0000`;
    if (scope) key += `${scope.account}\u0000${scope.region}`;
    let cell = byDims.get(key);
    if (!cell) {
      if (byDims.size >= 10_000) {
        if (d.kind === 'count') this.flush(d);
        byDims.clear();
      }
      const labels: Record<string, string> = {};
      for (const k of d.dimensions) labels[k] = dimensions[k] ?? '';
      const m = this.prom.get(d)!;
      const child = m.labels(labels);
      // The scope labels the chart series only: Prometheus keeps CloudWatch's dimensions.
      const seriesLabels = scope ? { ...labels, [SCOPE_LABEL.account]: scope.account, [SCOPE_LABEL.region]: scope.region } : labels;
      cell = { child, pending: 0, series: this.series.handle(namespace, name, seriesLabels) };
      byDims.set(key, cell);
    }
    if ('inc' in cell.child) cell.pending += value;
    else cell.child.observe(value);
    this.series.addTo(cell.series, value, at ?? this.clock.now());
  }

  /** Moves a count metric's pending increments into prom-client (at scrape time). */
  private flush(d: MetricDef): void {
    for (const cell of this.cells.get(d)?.values() ?? []) {
      if (cell.pending > 0 && 'inc' in cell.child) cell.child.inc(cell.pending);
      cell.pending = 0;
    }
  }

  /** The Prometheus text exposition (format 0.0.4). */
  prometheusText(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
