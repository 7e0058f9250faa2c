import { useEffect, useState } from 'preact/hooks';
import type { Series } from '../api/metrics.js';
import { useSession } from '../api/session.js';
import { Chart } from './chart.js';

export interface MetricChart {
  readonly name: string;
  readonly unit: string;
}

/**
 * A grid of metric charts for one resource in the session's region: `load` reads one metric's
 * series; `resource` names what is charted (a change reloads). Metrics are sampled, not changed
 * resources, so they are read every 5 s, as the dashboard does, and again at once when the region
 * selector moves.
 */
export function MetricCharts({
  charts,
  load,
  resource,
}: {
  charts: readonly MetricChart[];
  load: (name: string) => Promise<Series>;
  resource: string;
}) {
  const { account, region } = useSession();
  const [data, setData] = useState<Record<string, Series>>({});
  useEffect(() => {
    setData({});
    const read = () =>
      Promise.all(charts.map(async (c) => [c.name, await load(c.name)] as const)).then(
        (all) => setData(Object.fromEntries(all)),
        () => undefined,
      );
    void read();
    const t = setInterval(() => void read(), 5000);
    return () => clearInterval(t);
    // `load` is a new closure on every render; what it reads is named by `resource` and the session.
  }, [resource, account, region]);
  return (
    <div class="grid2">
      {charts.map((c) => (
        <Chart key={`${c.name}-${resource}-${region}`} title={c.name} unit={c.unit} points={data[c.name]?.points ?? []} />
      ))}
    </div>
  );
}
