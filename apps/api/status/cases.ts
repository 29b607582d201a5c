/** Pure shaping of the incident and nonconformity reports management reads, from read-model aggregates. */
import { ageBucket, hoursOrNull, NONCONFORMITY_AGE_BUCKETS, percentOrNull } from '../../../libs/domain';

export interface IncidentAggregates {
  open: number;
  openBreached: number;
  openDueSoon: number;
  openOnTrack: number;
  openReportsIn: number;
  draftsOnTime: number;
  draftsLate: number;
  /** Mean durations from detection, in ms; null when none was measured. */
  meanToAcknowledgeMs: number | null;
  meanToContainMs: number | null;
  meanToCloseMs: number | null;
  acknowledged: number;
  contained: number;
  closed: number;
  openBySeverity: Array<{ severity: string; count: number }>;
}

export interface IncidentReport {
  asOf: string;
  open: {
    total: number;
    byClockState: { breached: number; 'due-soon': number; 'on-track': number; 'reports-in': number };
    bySeverity: Array<{ severity: string; count: number }>;
  };
  reportsWithin72h: { percent: number | null; onTime: number; late: number };
  meanHoursFromDetection: {
    toAcknowledge: { hours: number | null; incidents: number };
    toContain: { hours: number | null; incidents: number };
    toClose: { hours: number | null; incidents: number };
  };
}

export function incidentReport(a: IncidentAggregates, now: Date): IncidentReport {
  return {
    asOf: now.toISOString(),
    open: {
      total: a.open,
      byClockState: { breached: a.openBreached, 'due-soon': a.openDueSoon, 'on-track': a.openOnTrack, 'reports-in': a.openReportsIn },
      bySeverity: a.openBySeverity,
    },
    // A draft counts once it is in or its 72 hours are over: on time, or not.
    reportsWithin72h: { percent: percentOrNull(a.draftsOnTime, a.draftsOnTime + a.draftsLate), onTime: a.draftsOnTime, late: a.draftsLate },
    meanHoursFromDetection: {
      toAcknowledge: { hours: hoursOrNull(a.meanToAcknowledgeMs), incidents: a.acknowledged },
      toContain: { hours: hoursOrNull(a.meanToContainMs), incidents: a.contained },
      toClose: { hours: hoursOrNull(a.meanToCloseMs), incidents: a.closed },
    },
  };
}

export interface OpenNonconformityGroup {
  step: string;
  grade: string;
  ageDays: number;
  count: number;
}

export interface NonconformityReport {
  asOf: string;
  open: number;
  closed: number;
  byAge: Array<{ bucket: string; count: number }>;
  byStep: Array<{ step: string; count: number }>;
  byGrade: Array<{ grade: string; count: number }>;
  oldestOpenAgeDays: number | null;
}

function counted(groups: OpenNonconformityGroup[], key: (g: OpenNonconformityGroup) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const g of groups) m.set(key(g), (m.get(key(g)) ?? 0) + g.count);
  return m;
}

/** Open nonconformities by age bucket (every bucket listed, oldest last), by step and by grade. */
export function nonconformityReport(groups: OpenNonconformityGroup[], closed: number, now: Date): NonconformityReport {
  const byAge = counted(groups, (g) => ageBucket(g.ageDays));
  const entries = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    asOf: now.toISOString(),
    open: groups.reduce((n, g) => n + g.count, 0),
    closed,
    byAge: NONCONFORMITY_AGE_BUCKETS.map((b) => ({ bucket: b.label, count: byAge.get(b.label) ?? 0 })),
    byStep: entries(counted(groups, (g) => g.step)).map(([step, count]) => ({ step, count })),
    byGrade: entries(counted(groups, (g) => g.grade)).map(([grade, count]) => ({ grade, count })),
    oldestOpenAgeDays: groups.length ? Math.max(...groups.map((g) => g.ageDays)) : null,
  };
}
