import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartProps } from './chart.js';

/** One time series as a uPlot line chart; new points replace the data without a rebuild. */
export default function ChartView({ title, points, unit }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = (): uPlot.AlignedData => [points.map((p) => p.t / 1000), points.map((p) => p.value)];
  useEffect(() => {
    plot.current = new uPlot(
      {
        width: Math.max(280, (host.current!.clientWidth || 400) - 8),
        height: 180,
        scales: { x: { time: true } },
        axes: [{}, { label: unit, size: 50 }],
        series: [{}, { label: title, stroke: '#0972d3', width: 2, fill: 'rgba(9,114,211,0.08)', spanGaps: false }],
        legend: { show: false },
      },
      data(),
      host.current!,
    );
    return () => plot.current?.destroy();
  }, []);
  useEffect(() => plot.current?.setData(data()), [points]);
  return (
    <figure class="panel" style="margin:0" data-testid={`chart-${title}`}>
      <figcaption>
        <b>{title}</b> <span class="hint">{unit}</span>
      </figcaption>
      <div ref={host} />
    </figure>
  );
}
