import { useEffect, useId, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './chart.css';

/** Distinct on white and for the common colour-vision deficiencies (blue/orange first). */
const PALETTE = ['#0b5cad', '#c2410c', '#146c2e', '#6f42c1', '#b42318', '#0e7490', '#8a5300', '#4b5563'];

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface ChartProps {
  /** Names the chart (its accessible name) and captions its table. */
  title: string;
  /** Unix seconds, ascending, one per point. */
  x: number[];
  series: ChartSeries[];
  /** The table's first column: "Minute", "Day"… */
  xLabel: string;
  /** Days in UTC (the usage ledger's days) or instants in the browser's time zone. */
  xKind?: 'day' | 'time';
  height?: number;
  /** The x axis' span in unix seconds, when the points alone would not say it (one sample). */
  xRange?: [number, number];
}

const formatX = (kind: 'day' | 'time', seconds: number) => {
  const date = new Date(seconds * 1000);
  return kind === 'day'
    ? date.toISOString().slice(0, 10)
    : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
};

/**
 * A uPlot chart with what a canvas cannot give: an accessible name, a legend in the page's
 * text, and the same figures as a table (collapsed, one click or keypress away, and read by
 * screen readers in place of the picture).
 */
export function Chart({ title, x, series, xLabel, xKind = 'time', height = 220, xRange }: ChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const tableId = useId();
  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    let plot: uPlot | undefined;
    let resize: ResizeObserver | undefined;
    let cancelled = false;
    // uPlot is loaded with the first chart: pages without one do not pay for it.
    import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      plot = new UPlot(
        {
          width: Math.max(200, el.clientWidth),
          height,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          ...(xKind === 'day'
            ? { tzDate: (ts: number) => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') }
            : {}),
          scales: {
            ...(xRange ? { x: { time: true, range: () => xRange } } : {}),
            y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
          },
          axes: [{}, { size: 50 }],
          series: [
            {},
            ...series.map((s, i) => ({
              label: s.label,
              stroke: PALETTE[i % PALETTE.length],
              width: 2,
              // Lines, not bars: bars of several series would hide one another.
              points: { show: true, size: 5 },
            })),
          ],
        },
        [x, ...series.map((s) => s.values)],
        el,
      );
      const drawn = plot;
      resize = new ResizeObserver(() => drawn.setSize({ width: Math.max(200, el.clientWidth), height }));
      resize.observe(el);
    });
    return () => {
      cancelled = true;
      resize?.disconnect();
      plot?.destroy();
    };
  }, [x, series, height, xKind, xRange]);

  const summary = series
    .map((s) => `${s.label}: ${s.values.reduce<number>((sum, v) => sum + (v ?? 0), 0)}`)
    .join(', ');
  return (
    <figure className="chart">
      <div
        ref={holder}
        className="chart-canvas"
        role="img"
        aria-label={`${title}. Totals: ${summary}. The figures are in the table below.`}
        aria-describedby={tableId}
      />
      <ul className="chart-legend" aria-label={`${title}: series`}>
        {series.map((s, i) => (
          <li key={s.label}>
            <span
              className="chart-swatch"
              style={{ background: PALETTE[i % PALETTE.length] }}
              aria-hidden="true"
            />
            {s.label}
          </li>
        ))}
      </ul>
      <details className="chart-table" id={tableId}>
        <summary>Show the figures as a table</summary>
        <table className="table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{xLabel}</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {x.map((t, row) => (
              <tr key={t}>
                <th scope="row">{formatX(xKind, t)}</th>
                {series.map((s) => (
                  <td key={s.label}>{s.values[row] ?? '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
