/** Incident clocks counting down live (from their deadlines and the page's one timer: no request per tick). */
import type { ReactNode } from 'react';
import type { ClockView, IncidentView } from '../api/types';
import { clock, formatInstant, span } from '../time';
import { Badge } from './page';

/** A clock still running: its report is not in. */
export const running = (c: ClockView) => c.state !== 'in';

/** The earliest deadline of a report not yet in (Infinity when every report is in). */
export function earliestDeadline(i: IncidentView): number {
  return Math.min(Infinity, ...i.clocks.filter(running).map((c) => Date.parse(c.dueAt)));
}

/** Breached now: a report not in is past its deadline (or one went in late). */
export function isBreached(i: IncidentView, now: number): boolean {
  return i.breached || earliestDeadline(i) <= now;
}

/** Breached ones first, most overdue first; then by the nearest deadline; all-in last. */
export function byUrgency(now: number) {
  return (a: IncidentView, b: IncidentView): number => {
    const ba = isBreached(a, now);
    const bb = isBreached(b, now);
    if (ba !== bb) return ba ? -1 : 1;
    const d = earliestDeadline(a) - earliestDeadline(b);
    if (d !== 0 && !Number.isNaN(d)) return d;
    return Date.parse(a.detectedAt) - Date.parse(b.detectedAt);
  };
}

/** "23:59:12 left" or "Breached 02:03:04 ago"; a report in says whether it was on time. */
export function ClockReading({ c, now }: { c: ClockView; now: number }) {
  if (c.state === 'in') {
    const late = c.clockState === 'in-late' || c.lateByMs > 0;
    return (
      <span className="clock clock-in">
        <Badge tone={late ? 'warn' : 'good'}>{late ? `In, ${span(c.lateByMs)} late` : 'In on time'}</Badge>
        {c.submittedAt && (
          <>
            {' '}
            <time dateTime={c.submittedAt}>{formatInstant(c.submittedAt)}</time>
          </>
        )}
      </span>
    );
  }
  const left = Date.parse(c.dueAt) - now;
  const soon = left > 0 && left <= 24 * 3_600_000;
  return (
    <span className={`clock ${left <= 0 ? 'clock-breached' : soon ? 'clock-soon' : 'clock-running'}`}>
      {left <= 0 ? (
        <>
          <Badge tone="bad">Breached</Badge> <span className="countdown">{clock(left)}</span> overdue
        </>
      ) : (
        <>
          <span className="countdown">{clock(left)}</span> left
        </>
      )}
      {c.state === 'waiting' && <span className="hint"> (waits for {c.after ?? 'an earlier report'})</span>}
    </span>
  );
}

/** Every clock of an incident: its report, deadline and reading. */
export function ClockList({ incident, now, links }: { incident: IncidentView; now: number; links?: (c: ClockView) => ReactNode }) {
  if (!incident.clocks.length) return <p>No report clocks.</p>;
  return (
    <ul className="clocks">
      {incident.clocks.map((c) => (
        <li key={c.key} className={running(c) && Date.parse(c.dueAt) <= now ? 'is-breached' : undefined}>
          <span className="clock-label">
            {c.label}
            {c.regime && <span className="hint"> ({c.regime.authority})</span>}
          </span>
          <span className="clock-deadline">
            due <time dateTime={c.dueAt}>{formatInstant(c.dueAt)}</time>
          </span>
          <ClockReading c={c} now={now} />
          {links?.(c)}
        </li>
      ))}
    </ul>
  );
}
