/**
 * Recent metric values in memory, for the console's charts: per series (metric + dimension
 * values) a ring of fixed-width time buckets holding sum, count, min and max. Bounded twice —
 * buckets per series (the window) and number of series — so memory stays flat however long the
 * server runs; the oldest-written series is dropped first when the limit is reached.
 */
export interface Bucket {
  sum: number;
  count: number;
  min: number;
  max: number;
}

export interface Series {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly dims: Readonly<Record<string, string>>;
  /** Bucket index (time / resolution) of each slot, to tell live slots from stale ones. */
  readonly slots: Float64Array;
  readonly buckets: Bucket[];
}

export type Statistic = 'Sum' | 'SampleCount' | 'Average' | 'Minimum' | 'Maximum';

export interface SeriesQuery {
  readonly namespace: string;
  readonly name: string;
  /** Series whose dimensions include all of these. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly from: number;
  readonly to: number;
  /** Point width, ms: a multiple of the resolution (rounded up). */
  readonly step: number;
  readonly stat: Statistic;
}

export class SeriesRing {
  private readonly series = new Map<string, Series>();

  constructor(
    readonly resolutionMs = 10_000,
    readonly capacity = 360,
    private readonly maxSeries = 5_000,
  ) {}

  get windowMs(): number {
    return this.resolutionMs * this.capacity;
  }

  /** Bumped whenever a series is dropped: holders of series handles look them up again. */
  generation = 0;

  add(namespace: string, name: string, dims: Readonly<Record<string, string>>, value: number, at: number): void {
    this.addTo(this.handle(namespace, name, dims), value, at);
  }

  /** The series for these dimensions, created if new: hold it and `addTo` it (the hot path). */
  handle(namespace: string, name: string, dims: Readonly<Record<string, string>>): Series {
    const key = `${namespace}|${name}|${Object.keys(dims)
      .sort()
      .map((k) => `${k}=${dims[k]}`)
      .join(',')}`;
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= this.maxSeries) {
        this.series.delete(this.series.keys().next().value!);
        this.generation++;
      }
      s = {
        key,
        namespace,
        name,
        dims: { ...dims },
        slots: new Float64Array(this.capacity).fill(-1),
        buckets: Array.from({ length: this.capacity }, () => ({ sum: 0, count: 0, min: 0, max: 0 })),
      };
      this.series.set(key, s);
    }
    return s;
  }

  addTo(s: Series, value: number, at: number): void {
    const index = Math.floor(at / this.resolutionMs);
    const slot = index % this.capacity;
    const b = s.buckets[slot]!;
    if (s.slots[slot] !== index) {
      s.slots[slot] = index;
      b.sum = value;
      b.count = 1;
      b.min = value;
      b.max = value;
    } else {
      b.sum += value;
      b.count++;
      if (value < b.min) b.min = value;
      if (value > b.max) b.max = value;
    }
  }

  /** Points from `from` to `to`, one per step, over every matching series. */
  query(q: SeriesQuery): { t: number; value: number | null }[] {
    const step = Math.max(1, Math.ceil(q.step / this.resolutionMs)) * this.resolutionMs;
    const start = Math.floor(q.from / step) * step;
    const points: Bucket[] = [];
    for (let t = start; t <= q.to && points.length < 10_000; t += step) points.push({ sum: 0, count: 0, min: Infinity, max: -Infinity });
    for (const s of this.series.values()) {
      if (s.name !== q.name || s.namespace !== q.namespace) continue;
      if (Object.entries(q.dimensions).some(([k, v]) => s.dims[k] !== v)) continue;
      for (let slot = 0; slot < this.capacity; slot++) {
        const index = s.slots[slot]!;
        if (index < 0) continue;
        const t = index * this.resolutionMs;
        if (t < start || t > q.to) continue;
        const p = points[Math.floor((t - start) / step)];
        const b = s.buckets[slot]!;
        if (!p) continue;
        p.sum += b.sum;
        p.count += b.count;
        p.min = Math.min(p.min, b.min);
        p.max = Math.max(p.max, b.max);
      }
    }
    return points.map((p, i) => ({ t: start + i * step, value: statistic(p, q.stat) }));
  }

  /** The series held (for discovery: which buses, rules, topics, functions have data). */
  list(): { namespace: string; name: string; dimensions: Readonly<Record<string, string>> }[] {
    return [...this.series.values()].map((s) => ({ namespace: s.namespace, name: s.name, dimensions: s.dims }));
  }
}

function statistic(b: Bucket, stat: Statistic): number | null {
  switch (stat) {
    case 'Sum':
      return b.sum;
    case 'SampleCount':
      return b.count;
    case 'Average':
      return b.count === 0 ? null : b.sum / b.count;
    case 'Minimum':
      return b.count === 0 ? null : b.min;
    case 'Maximum':
      return b.count === 0 ? null : b.max;
  }
}
