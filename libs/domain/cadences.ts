/**
 * Recurring cadences as data. `desiredCadences` maps inventory state to the set of
 * Temporal Schedules that should exist; the reconciler diffs it with what Temporal has.
 */
import { Period, quarterOf, yearOf } from './periods';
import { isInCadenceScope, isOperatingStage, LifecycleStage, needsQuarterlyReview, RiskTier } from './tiers';
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
export const TASK_KINDS = [
  'high-risk-review',
  'aiia',
  'incident-report',
  'regulatory-report',
  'corrective-action-step',
  // The organisation-wide cadences' work (libs/domain/org-cadences.ts).
  'audit-plan',
  'internal-audit',
  'audit-report',
  'management-review',
  'management-review-action',
  'policy-review',
  'inventory-recertification',
] as const;
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

/** Local midnight of the day `instant` falls on in the zone. */
export function startOfDayIn(instant: Date, timeZone: string): Date {
  const p = zonedParts(instant, timeZone);
  return zonedTimeToInstant(p.year, p.month, p.day, 0, 0, timeZone);
}

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
  /**
   * No run before this instant (the Schedule's startAt): a yearly AIIA starts the day after the
   * system went live, so its first run is the first anniversary, never the go-live day itself.
   */
  startAt?: Date;
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
  const startAt = yearlyAiiaStartAt(entry, timeZone);
  specs.push({
    id: cadenceId('aiia', entry.id),
    kind: 'aiia',
    systemId: entry.id,
    calendar: { months: [month], dayOfMonth: day, hour: 0, minute: 0, timeZone },
    description: `Yearly AI impact assessment of ${entry.name}`,
    ...(startAt ? { startAt } : {}),
  });
  return specs;
}

/** What the AIIA rules read of a system. */
export type AiiaFacts = Pick<InventoryEntry, 'goLiveDate' | 'lifecycleStage' | 'createdAt'>;

/**
 * The day (YYYY-MM-DD in the zone) the yearly AIIA counts from: the go-live date; for a system
 * registered already in operation with no go-live date, its registration day; none for a system
 * not yet live with no go-live date (it owes no yearly AIIA yet).
 */
export function aiiaAnchorDate(entry: AiiaFacts, timeZone: string): string | undefined {
  if (entry.goLiveDate) return entry.goLiveDate;
  return isOperatingStage(entry.lifecycleStage) ? isoDateIn(entry.createdAt, timeZone) : undefined;
}

/**
 * The first yearly AIIA: local midnight on the first anniversary of the anchor (29 February
 * goes to 28 February in a common year). The go-live year has the go-live AIIA (or the initial
 * one), never a yearly one; undefined while the system is not live and has no go-live date.
 */
export function firstYearlyAiiaAt(entry: AiiaFacts, timeZone: string): Date | undefined {
  const anchor = aiiaAnchorDate(entry, timeZone);
  if (!anchor) return undefined;
  const [y, m, d] = anchor.split('-').map(Number);
  return zonedTimeToInstant(y + 1, m, anniversaryDay(y + 1, m, d), 0, 0, timeZone);
}

/** Whether a yearly AIIA run at `runAt` opens work: only from the first anniversary on. */
export function yearlyAiiaOpens(entry: AiiaFacts, runAt: Date, timeZone: string): boolean {
  const first = firstYearlyAiiaAt(entry, timeZone);
  return first !== undefined && runAt.getTime() >= first.getTime();
}

/**
 * The yearly AIIA Schedule's startAt: local midnight the day after the anchor, so Temporal's
 * next run is the first anniversary (nothing on the go-live day, nothing before go-live).
 */
export function yearlyAiiaStartAt(entry: AiiaFacts, timeZone: string): Date | undefined {
  const anchor = aiiaAnchorDate(entry, timeZone);
  if (!anchor) return undefined;
  const [y, m, d] = anchor.split('-').map(Number);
  return addCalendar(zonedTimeToInstant(y, m, d, 0, 0, timeZone), { days: 1 }, timeZone);
}

/**
 * A system registered already live (in operation, no go-live date) with no AIIA on record has
 * never been assessed: it needs an initial AIIA. A go-live date means the go-live AIIA instead.
 */
export function needsInitialAiia(
  entry: Pick<InventoryEntry, 'riskTier' | 'lifecycleStage' | 'goLiveDate'>,
  aiiaOnRecord: boolean,
): boolean {
  return isInCadenceScope(entry) && !entry.goLiveDate && isOperatingStage(entry.lifecycleStage) && !aiiaOnRecord;
}

/**
 * The initial AIIA is due 30 calendar days after registration; found later (a start-up catch-up
 * after that date), 30 days from now rather than work born overdue.
 */
export function initialAiiaDue(registeredAt: Date, now: Date, timeZone: string): Date {
  const due = addCalendar(registeredAt, DUE_AFTER_OPEN.aiia, timeZone);
  return due.getTime() >= now.getTime() ? due : addCalendar(now, DUE_AFTER_OPEN.aiia, timeZone);
}

/** Work opened at once (an AIIA after a significant change): due 30 calendar days after its opening. */
export function dueAfterOpening(kind: CadenceKind, openedAt: Date, timeZone: string): Date {
  return addCalendar(openedAt, DUE_AFTER_OPEN[kind], timeZone);
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
 * `aiiaOpensOnItsDay`: a yearly AIIA opens on its run's day, at local midnight (its Schedule's
 * time), so a run the Schedule's jitter started minutes later is due at the same local midnight;
 * without it (runs recorded before the rule) it opens at the run's instant.
 */
export function cyclePeriod(
  kind: CadenceKind,
  runAt: Date,
  timeZone: string,
  arithmetic: DayArithmetic = 'calendar',
  aiiaOpensOnItsDay = false,
): { period: Period; opensAt: Date; dueAt: Date } {
  const period = kind === 'high-risk-review' ? quarterOf(runAt, timeZone) : yearOf(runAt, timeZone);
  const opensAt = kind === 'high-risk-review' ? period.startsAt : aiiaOpensOnItsDay ? startOfDayIn(runAt, timeZone) : runAt;
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
