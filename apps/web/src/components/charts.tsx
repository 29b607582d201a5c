/**
 * Charts drawn as inline SVG: horizontal bars and a coverage ring. Every number is also written
 * as text beside its picture (the SVG itself is decoration to a screen reader), so nothing is
 * only in the picture.
 */
import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
  /** A tone for the bar: the worse, the warmer. */
  tone?: 'neutral' | 'good' | 'warn' | 'bad';
}

/**
 * Horizontal bars, one row each: the label and the value are text beside the bar (so they read at
 * any width and to a screen reader), the bar an SVG drawn to scale.
 */
export function BarChart({ title, bars, unit = '' }: { title: string; bars: Bar[]; unit?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const fmt = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <ul className="bars">
        {bars.map((b) => {
          const w = b.value > 0 ? Math.max(1, (b.value / max) * 100) : 0;
          return (
            <li key={b.label}>
              <span className="bar-label">{b.label}</span>
              <svg className="bar-svg" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect x="0" y="0" width="100" height="10" className="bar-track" />
                <rect x="0" y="0" width={w} height="10" className={`bar bar-${b.tone ?? 'neutral'}`} />
              </svg>
              <span className="bar-value">{fmt(b.value)}</span>
            </li>
          );
        })}
      </ul>
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
