/**
 * Recurring cadences as data. `desiredCadences` maps inventory state to the set of
 * Temporal Schedules that should exist; the reconciler diffs it with what Temporal has.
 */
import { Period, quarterOf, yearOf } from './periods';
import { isInCadenceScope, LifecycleStage, needsQuarterlyReview, RiskTier } from './tiers';
import {
  addCalendar,
  addDays,
  anniversaryDay,
  CalendarDuration,
  DAY_MS,
  daysInMonth,
  isoDateIn,
  zonedParts,
  zonedTimeToInstant,
} from './time';

export const CADENCE_KINDS = ['high-risk-review', 'aiia'] as const;
export type CadenceKind = (typeof CADENCE_KINDS)[number];

/** Kinds of owned work; each is a governanceTask. */
export const TASK_KINDS = ['high-risk-review', 'aiia', 'incident-report', 'regulatory-report', 'corrective-action-step'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** How long owners have, from the moment a cycle opens. */
export const DUE_AFTER_OPEN_DAYS: Record<CadenceKind, number> = {
  'high-risk-review': 30,
  aiia: 30,
};

/** How long owners have from the opening, as a calendar duration in the organisation's zone. */
export const DUE_AFTER_OPEN: Record<CadenceKind, CalendarDuration> = {
  'high-risk-review': { days: DUE_AFTER_OPEN_DAYS['high-risk-review'] },
  aiia: { days: DUE_AFTER_OPEN_DAYS.aiia },
};

/**
 * How durations of days were applied: `calendar` counts calendar days in the zone (the rule);
 * `fixed-24h` counts 24-hour days, as workflows started before the calendar rule did (kept
 * only so their recorded histories replay the same).
 */
export type DayArithmetic = 'calendar' | 'fixed-24h';

/**
 * A calendar rule in the organisation's zone: fires at hour:minute on dayOfMonth of each listed
 * month. dayOfMonth 29 in February is an anniversary: 29 February in leap years, 28 otherwise.
 */
export interface CalendarRule {
  months: number[]; // 1-12
  dayOfMonth: number;
  hour: number;
  minute: number;
  timeZone: string;
}

export interface CadenceSpec {
  /** Temporal Schedule id; also the cadence id of the API. */
  id: string;
  kind: CadenceKind;
  systemId: string;
  calendar: CalendarRule;
  description: string;
}

export interface InventoryEntry {
  id: string;
  name: string;
  riskTier: RiskTier;
  lifecycleStage: LifecycleStage;
  /** ISO date (YYYY-MM-DD) or null. */
  goLiveDate: string | null;
  /** When the system was registered. */
  createdAt: Date;
}

export function cadenceId(kind: CadenceKind, systemId: string): string {
  return `${kind}:${systemId}`;
}

export function parseCadenceId(id: string): { kind: CadenceKind; systemId: string } | undefined {
  const i = id.indexOf(':');
  const kind = id.slice(0, i) as CadenceKind;
  if (i < 0 || !CADENCE_KINDS.includes(kind) || i === id.length - 1) return undefined;
  return { kind, systemId: id.slice(i + 1) };
}

/** The day a yearly AIIA falls due again: the go-live anniversary, else the registration's. */
export function aiiaAnniversary(entry: InventoryEntry, timeZone: string): { month: number; day: number } {
  const iso = entry.goLiveDate ?? isoDateIn(entry.createdAt, timeZone);
  const [, m, d] = iso.split('-').map(Number);
  // A 29 February anniversary stays 29: the rule fires on 28 February in common years.
  return { month: m, day: d };
}

export function desiredCadences(entry: InventoryEntry, timeZone: string): CadenceSpec[] {
  if (!isInCadenceScope(entry)) return [];
  const specs: CadenceSpec[] = [];
  if (needsQuarterlyReview(entry)) {
    specs.push({
      id: cadenceId('high-risk-review', entry.id),
      kind: 'high-risk-review',
      systemId: entry.id,
      calendar: { months: [1, 4, 7, 10], dayOfMonth: 1, hour: 0, minute: 0, timeZone },
      description: `Quarterly high-risk review of ${entry.name}`,
    });
  }
  const { month, day } = aiiaAnniversary(entry, timeZone);
  specs.push({
    id: cadenceId('aiia', entry.id),
    kind: 'aiia',
    systemId: entry.id,
    calendar: { months: [month], dayOfMonth: day, hour: 0, minute: 0, timeZone },
    description: `Yearly AI impact assessment of ${entry.name}`,
  });
  return specs;
}

export interface ReconcilePlan {
  create: CadenceSpec[];
  update: CadenceSpec[];
  remove: string[];
}

/** Diff desired specs against the ids that exist, with their current calendar when known. */
export function planReconcile(desired: CadenceSpec[], existing: { id: string; calendar?: CalendarRule }[]): ReconcilePlan {
  const have = new Map(existing.map((e) => [e.id, e]));
  const want = new Set(desired.map((d) => d.id));
  const plan: ReconcilePlan = { create: [], update: [], remove: [] };
  for (const spec of desired) {
    const current = have.get(spec.id);
    if (!current) plan.create.push(spec);
    else if (!current.calendar || !sameCalendar(current.calendar, spec.calendar)) plan.update.push(spec);
  }
  for (const e of existing) if (!want.has(e.id)) plan.remove.push(e.id);
  return plan;
}

function sameCalendar(a: CalendarRule, b: CalendarRule): boolean {
  return (
    a.dayOfMonth === b.dayOfMonth &&
    a.hour === b.hour &&
    a.minute === b.minute &&
    a.timeZone === b.timeZone &&
    [...a.months].sort((x, y) => x - y).join() === [...b.months].sort((x, y) => x - y).join()
  );
}

/** A rule on 29 February (of a listed February): it fires on 28 February in common years. */
export function isLeapDayRule(rule: Pick<CalendarRule, 'months' | 'dayOfMonth'>): boolean {
  return rule.dayOfMonth === 29 && rule.months.includes(2);
}

/** The next `count` fire times of a calendar rule strictly after `from` (what Temporal should report). */
export function nextRunTimes(rule: CalendarRule, from: Date, count: number): Date[] {
  const out: Date[] = [];
  let { year } = zonedParts(from, rule.timeZone);
  const months = [...rule.months].sort((a, b) => a - b);
  while (out.length < count) {
    for (const month of months) {
      const day = isLeapDayRule(rule) && month === 2 ? anniversaryDay(year, 2, 29) : rule.dayOfMonth;
      if (day > daysInMonth(year, month)) continue;
      const at = zonedTimeToInstant(year, month, day, rule.hour, rule.minute, rule.timeZone);
      if (at.getTime() > from.getTime() && out.length < count) out.push(at);
    }
    year++;
  }
  return out;
}

/**
 * The period a cycle run belongs to and when its work falls due: 30 days after the period
 * opens (a quarter's first day; a yearly AIIA's anniversary run). Work opened later than
 * that (a system registered or reclassified mid-quarter, a manual trigger, a catch-up after
 * an outage) gets 30 days from its opening: nobody can be late for work that did not exist.
 * A run within a day of the opening (a Schedule firing on time, give or take) keeps the rule.
 */
export function cyclePeriod(
  kind: CadenceKind,
  runAt: Date,
  timeZone: string,
  arithmetic: DayArithmetic = 'calendar',
): { period: Period; opensAt: Date; dueAt: Date } {
  const period = kind === 'high-risk-review' ? quarterOf(runAt, timeZone) : yearOf(runAt, timeZone);
  const opensAt = kind === 'high-risk-review' ? period.startsAt : runAt;
  const openedLate = runAt.getTime() - opensAt.getTime() > DAY_MS;
  const from = openedLate ? runAt : opensAt;
  const dueAt = arithmetic === 'calendar' ? addCalendar(from, DUE_AFTER_OPEN[kind], timeZone) : addDays(from, DUE_AFTER_OPEN_DAYS[kind]);
  return { period, opensAt, dueAt };
}

/**
 * The go-live AIIA: due within 30 days of go-live. A system registered more than 30 days
 * after it went live gets 30 days from registration, rather than work born overdue. Both are
 * calendar days in the zone: due at local midnight 30 days after the go-live day.
 */
export function goLiveAiiaDue(goLiveDate: string, now: Date, timeZone: string): Date {
  const [y, m, d] = goLiveDate.split('-').map(Number);
  const goLive = zonedTimeToInstant(y, m, d, 0, 0, timeZone);
  const due = addCalendar(goLive, DUE_AFTER_OPEN.aiia, timeZone);
  return due.getTime() >= now.getTime() ? due : addCalendar(now, DUE_AFTER_OPEN.aiia, timeZone);
}
