import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartProps } from './chart.js';

/** What a point says in words: the value at the time the pointer is on (the legend shows it live). */
const formatValue = (unit: string) => (_u: uPlot, v: number | null) =>
  v === null || v === undefined ? '–' : `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;

/**
 * One time series as a uPlot line chart; new points replace the data without a rebuild. Every
 * point is drawn (a single point in 15 minutes is still seen), the legend shows the time and
 * value under the pointer, and the y axis starts at 0 and ends just above the largest value
 * (0–1 with no data, not uPlot's 0–100). The caption states the total (or the average for a
 * latency) so the chart can be read without the pointer.
 */
export default function ChartView({ title, points, unit }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = (): uPlot.AlignedData => [points.map((p) => p.t / 1000), points.map((p) => p.value)];
  useEffect(() => {
    plot.current = new uPlot(
      {
        width: Math.max(280, (host.current!.clientWidth || 400) - 8),
        height: 180,
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? niceTop(max) : 1] } },
        axes: [{}, { label: unit, size: 50 }],
        series: [
          { value: '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}' },
          {
            label: title,
            stroke: '#0972d3',
            width: 2,
            fill: 'rgba(9,114,211,0.08)',
            spanGaps: false,
            points: { show: true, size: 6, fill: '#0972d3', filter: nonZero },
            value: formatValue(unit),
          },
        ],
        legend: { show: true, live: true },
        cursor: { points: { size: 8 } },
      },
      data(),
      host.current!,
    );
    return () => plot.current?.destroy();
  }, []);
  useEffect(() => plot.current?.setData(data()), [points]);
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const latency = unit.startsWith('ms');
  const summary =
    values.length === 0
      ? 'no data'
      : latency
        ? `average ${(values.reduce((a, b) => a + b, 0) / values.length).toFixed(1)} ms`
        : `total ${values.reduce((a, b) => a + b, 0)}`;
  return (
    <figure class="panel chart" style="margin:0" data-testid={`chart-${title}`}>
      <figcaption>
        <b>{title}</b> <span class="hint">{unit}</span> · <span data-testid="chart-summary">{summary}</span>
      </figcaption>
      <div ref={host} />
    </figure>
  );
}

/** The points worth a dot: those with a value (a 15-minute window of zero steps is a line, not 90 dots). */
function nonZero(u: uPlot, seriesIdx: number, show: boolean): number[] | null {
  if (!show) return null;
  const values = u.data[seriesIdx] ?? [];
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i]) out.push(i);
  return out;
}

/** A round number just above `max`: 1, 2, 5 × 10ⁿ. */
function niceTop(max: number): number {
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((n) => n >= max * 1.1) ?? 10 * p;
}
