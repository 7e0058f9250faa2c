import { lazy } from './lazy.js';

export interface ChartProps {
  title: string;
  points: { t: number; value: number | null }[];
  unit: string;
}

/** A metric chart (chart-view.tsx, uPlot), loaded with the first page that shows one. */
export const Chart = lazy<ChartProps>(
  () => import('./chart-view.js'),
  (p, error) => (
    <figure class="panel chart loading" style="margin:0" aria-busy="true">
      <figcaption>
        <b>{p.title}</b> <span class="hint">{p.unit}</span>
      </figcaption>
      <p class="hint">{error ? `The chart could not be loaded: ${String(error)}` : 'Loading chart…'}</p>
    </figure>
  ),
);
