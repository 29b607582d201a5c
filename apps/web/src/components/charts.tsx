/**
 * Charts drawn as inline SVG: horizontal bars and a coverage ring. Each is an image with a text
 * alternative that says every value (`role="img"` and its label), and the numbers are also
 * written next to the picture, so nothing is only in the picture.
 */
import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
  /** A tone for the bar: the worse, the warmer. */
  tone?: 'neutral' | 'good' | 'warn' | 'bad';
}

/** Horizontal bars, one per row, with the label and the value written beside each. */
export function BarChart({ title, bars, unit = '' }: { title: string; bars: Bar[]; unit?: string }) {
  const id = useId();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 28;
  const labelW = 190;
  const chartW = 360;
  const width = labelW + chartW + 60;
  const height = bars.length * rowH + 4;
  const fmt = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`;
  const alt = `${title}: ${bars.map((b) => `${b.label} ${fmt(b.value)}`).join(', ')}`;
  return (
    <figure className="chart">
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={alt} className="bar-chart" preserveAspectRatio="xMinYMin meet">
        {bars.map((b, i) => {
          const y = i * rowH + 2;
          const w = Math.max(b.value > 0 ? 2 : 0, (b.value / max) * chartW);
          return (
            <g key={b.label}>
              <text x={labelW - 8} y={y + rowH / 2} textAnchor="end" dominantBaseline="middle" className="chart-label">
                {b.label}
              </text>
              <rect x={labelW} y={y + 4} width={chartW} height={rowH - 8} className="bar-track" rx="3" />
              <rect x={labelW} y={y + 4} width={w} height={rowH - 8} className={`bar bar-${b.tone ?? 'neutral'}`} rx="3" />
              <text x={labelW + w + 6} y={y + rowH / 2} dominantBaseline="middle" className="chart-value">
                {fmt(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/**
 * A coverage figure: a ring filled to the percentage, and the percentage as text. The figure is
 * named by its caption (e.g. "High-risk reviews this quarter"); `detail` says what the number counts.
 */
export function CoverageFigure({
  title,
  percent,
  detail,
  goal = 100,
}: {
  title: string;
  percent: number | null;
  detail: string;
  goal?: number;
}) {
  const id = useId();
  const r = 42;
  const c = 2 * Math.PI * r;
  const p = percent === null ? 0 : Math.max(0, Math.min(100, percent));
  const tone = percent === null ? 'neutral' : p >= goal ? 'good' : p >= 75 ? 'warn' : 'bad';
  const text = percent === null ? 'n/a' : `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
  return (
    <figure className={`coverage coverage-${tone}`} aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      <div className="coverage-body">
        <svg viewBox="0 0 100 100" width="96" height="96" aria-hidden="true" focusable="false">
          <circle cx="50" cy="50" r={r} className="ring-track" />
          <circle cx="50" cy="50" r={r} className="ring-fill" strokeDasharray={`${(p / 100) * c} ${c}`} transform="rotate(-90 50 50)" />
        </svg>
        <div>
          <p className="coverage-percent" data-testid="coverage-percent">
            {text}
          </p>
          <p className="coverage-detail">
            {detail}
            {percent !== null && ` Goal ${goal}%.`}
          </p>
        </div>
      </div>
    </figure>
  );
}
