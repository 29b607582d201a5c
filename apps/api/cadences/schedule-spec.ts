/**
 * Pure mapping between the domain's cadences (libs/domain CadenceSpec / CalendarRule) and
 * Temporal Schedules: what to create, how to read one back, and whether one is current.
 */
import { MONTHS, ScheduleDescription, ScheduleOptions, ScheduleOverlapPolicy, ScheduleUpdateOptions } from '@temporalio/client';
import type { CalendarSpec, CalendarSpecDescription, Month, Range, ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { CadenceCycleInput } from '../../../libs/contracts';
import { WORKFLOW_TYPES } from '../../../libs/contracts';
import { CadenceKind, CadenceSpec, CalendarRule, isLeapDayRule, parseCadenceId } from '../../../libs/domain';
import type { WorkflowOf } from '../common/workflow-start';

/** A cadence Schedule's action: start `cadenceCycle`, its args checked against the workflow. */
export type CadenceCycleAction = ScheduleOptionsStartWorkflowAction<WorkflowOf<'cadenceCycle'>>;

/**
 * Schedule policies of every cadence.
 *
 * - overlap BUFFER_ONE: a cycle run only opens (or finds) the period's governanceTask, so
 *   runs are short; if one is still running when the next comes (a slow worker, a manual
 *   trigger at the same moment) the next waits instead of being dropped as SKIP would, and
 *   the cycle is idempotent per period ("already-open"), so a buffered run is harmless.
 * - catchupWindow 30 days: a Temporal outage at a quarter start still opens the quarter's
 *   review when the server comes back (the default would be one year for the TS SDK,
 *   which could replay a stale run; one minute would lose the quarter).
 * - pauseOnFailure false: a failing run must not silently stop next quarter's cadence.
 */
export const CADENCE_SCHEDULE_POLICIES = {
  overlap: ScheduleOverlapPolicy.BUFFER_ONE,
  catchupWindowMs: 30 * 24 * 60 * 60 * 1000,
  pauseOnFailure: false,
} as const;

/** CalendarRule -> Temporal calendar spec (months by name, single day/hour/minute, second 0). */
export function toCalendarSpec(rule: CalendarRule, comment?: string): CalendarSpec {
  const months = [...new Set(rule.months)].sort((a, b) => a - b);
  for (const m of months) {
    if (!Number.isInteger(m) || m < 1 || m > 12) throw new RangeError(`month ${m} is not 1-12`);
  }
  return {
    month: months.map((m) => MONTHS[m - 1]),
    dayOfMonth: rule.dayOfMonth,
    hour: rule.hour,
    minute: rule.minute,
    second: 0,
    ...(comment ? { comment } : {}),
  };
}

/**
 * Common years (not leap years) as Temporal year ranges, 2001-2100 (the years Temporal's
 * calendar spec accepts: 2000-2100): 29 February's stand-in (28 February) fires only in these,
 * so a leap-day anniversary fires once a year, through 2100.
 */
export const COMMON_YEAR_RANGES: Range<number>[] = [
  { start: 2001, end: 2097, step: 4 },
  { start: 2002, end: 2098, step: 4 },
  { start: 2003, end: 2099, step: 4 },
  { start: 2100, end: 2100, step: 1 },
];

/**
 * CalendarRule -> the Temporal calendars of its Schedule. A rule on 29 February (an
 * anniversary of a leap-day go-live) has a second calendar, 28 February in common years:
 * Temporal fires the first only in leap years, so the cadence runs once every year, on the
 * 29th when there is one. Any other rule is one calendar.
 */
export function toCalendarSpecs(rule: CalendarRule, comment?: string): CalendarSpec[] {
  const main = toCalendarSpec(rule, comment);
  if (!isLeapDayRule(rule)) return [main];
  return [main, { month: 'FEBRUARY', dayOfMonth: 28, hour: rule.hour, minute: rule.minute, second: 0, year: COMMON_YEAR_RANGES }];
}

/** True when a described calendar is the common-year stand-in of a leap-day rule. */
function isCommonYearStandIn(cal: CalendarSpecDescription, rule: CalendarRule): boolean {
  const months = expand(cal.month, monthNumber);
  const days = expand(cal.dayOfMonth, ident);
  const hours = expand(cal.hour, ident);
  const minutes = expand(cal.minute, ident);
  const years = expand(cal.year, ident);
  return (
    months?.length === 1 &&
    months[0] === 2 &&
    days?.length === 1 &&
    days[0] === 28 &&
    hours?.length === 1 &&
    hours[0] === rule.hour &&
    minutes?.length === 1 &&
    minutes[0] === rule.minute &&
    JSON.stringify(years) === JSON.stringify(expand(COMMON_YEAR_RANGES, ident))
  );
}

function expand<T>(ranges: Range<T>[] | undefined, toNumber: (v: T) => number): number[] | undefined {
  if (!ranges) return undefined;
  const out = new Set<number>();
  for (const r of ranges) {
    const start = toNumber(r.start);
    let end = r.end === undefined ? start : toNumber(r.end);
    if (end < start) end = start;
    const step = r.step && r.step >= 1 ? r.step : 1;
    for (let v = start; v <= end; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

const monthNumber = (m: Month): number => MONTHS.indexOf(m) + 1;
const ident = (n: number): number => n;

function isAny(values: number[] | undefined, min: number, max: number): boolean {
  return !values || values.length === 0 || (values.length === max - min + 1 && values[0] === min && values[values.length - 1] === max);
}

/**
 * A described calendar -> CalendarRule, or undefined when it is not one a cadence would
 * write (several days, any hour, a year or weekday restriction, a non-zero second).
 */
export function fromCalendarDescription(cal: CalendarSpecDescription, timeZone: string): CalendarRule | undefined {
  const months = expand(cal.month, monthNumber);
  const days = expand(cal.dayOfMonth, ident);
  const hours = expand(cal.hour, ident);
  const minutes = expand(cal.minute, ident);
  const seconds = expand(cal.second, ident) ?? [0];
  if (!months?.length || days?.length !== 1 || hours?.length !== 1 || minutes?.length !== 1) return undefined;
  if (seconds.length !== 1 || seconds[0] !== 0) return undefined;
  if (cal.year?.length) return undefined;
  if (
    !isAny(
      expand(cal.dayOfWeek, (d) => ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'].indexOf(d)),
      0,
      6,
    )
  ) {
    return undefined;
  }
  return { months, dayOfMonth: days[0], hour: hours[0], minute: minutes[0], timeZone };
}

/** The single calendar rule of a described cadence schedule, if it is one. */
export function ruleOfDescription(desc: Pick<ScheduleDescription, 'spec'>): CalendarRule | undefined {
  const cals = desc.spec.calendars ?? [];
  if (!cals.length || cals.length > 2 || desc.spec.intervals?.length) return undefined;
  const rule = fromCalendarDescription(cals[0], desc.spec.timezone ?? 'UTC');
  if (!rule) return undefined;
  // A leap-day rule has exactly its common-year stand-in; any other has one calendar.
  const wantsStandIn = isLeapDayRule(rule);
  if (wantsStandIn !== (cals.length === 2)) return undefined;
  if (wantsStandIn && !isCommonYearStandIn(cals[1], rule)) return undefined;
  return rule;
}

export function cycleInput(spec: CadenceSpec): CadenceCycleInput {
  return { cadenceId: spec.id, kind: spec.kind, systemId: spec.systemId, timeZone: spec.calendar.timeZone };
}

/**
 * A Schedule's jitter (libs/config AIMS_SCHEDULE_JITTER_MINUTES): each run starts up to this much
 * after its calendar time, so a quarter's thousands of Schedules do not all start in the same
 * second. Temporal only delays (0 to the jitter), and a run that late is still on time: it opens
 * the same period with the same due (libs/domain cyclePeriod). 0: no jitter.
 */
export function jitterSpec(jitterMs: number): { jitter?: number } {
  return jitterMs > 0 ? { jitter: jitterMs } : {};
}

/** True when a described Schedule has the jitter asked for (none described is none). */
export function hasJitter(desc: Pick<ScheduleDescription, 'spec'>, jitterMs: number): boolean {
  return (desc.spec.jitter ?? 0) === jitterMs;
}

/** The options of a cadence's Schedule: runs `cadenceCycle` for the cadence in the org's zone. */
export function scheduleOptionsFor(spec: CadenceSpec, taskQueue: string, jitterMs: number): ScheduleOptions<CadenceCycleAction> {
  return {
    scheduleId: spec.id,
    spec: {
      calendars: toCalendarSpecs(spec.calendar, spec.description),
      timezone: spec.calendar.timeZone,
      ...(spec.startAt ? { startAt: spec.startAt } : {}),
      ...jitterSpec(jitterMs),
    },
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPES.cadenceCycle,
      // Temporal appends the scheduled time: `<cadenceId>-<ISO time>`.
      workflowId: spec.id,
      taskQueue,
      args: [cycleInput(spec)],
    },
    policies: {
      overlap: CADENCE_SCHEDULE_POLICIES.overlap,
      catchupWindow: CADENCE_SCHEDULE_POLICIES.catchupWindowMs,
      pauseOnFailure: CADENCE_SCHEDULE_POLICIES.pauseOnFailure,
    },
    memo: { systemId: spec.systemId, kind: spec.kind },
  };
}

/** Update options for an existing Schedule: the desired spec, keeping its paused state and note. */
export function scheduleUpdateFor(
  spec: CadenceSpec,
  taskQueue: string,
  previous: Pick<ScheduleDescription, 'state'>,
  jitterMs: number,
): ScheduleUpdateOptions<CadenceCycleAction> {
  const { spec: s, action, policies } = scheduleOptionsFor(spec, taskQueue, jitterMs);
  return {
    spec: s,
    action,
    policies,
    state: {
      paused: previous.state.paused,
      note: previous.state.note,
      remainingActions: previous.state.remainingActions,
    },
  };
}

/** True when the Schedule already is what the spec asks for (calendar, zone, jitter, action, policies, description). */
export function isCurrent(desc: ScheduleDescription, spec: CadenceSpec, taskQueue: string, jitterMs: number): boolean {
  const rule = ruleOfDescription(desc);
  if (!rule || !sameRule(rule, spec.calendar)) return false;
  if (!hasJitter(desc, jitterMs)) return false;
  if ((desc.spec.calendars?.[0]?.comment ?? '') !== spec.description) return false;
  if ((desc.spec.startAt?.getTime() ?? null) !== (spec.startAt?.getTime() ?? null)) return false;
  const a = desc.action;
  if (a.type !== 'startWorkflow' || a.workflowType !== WORKFLOW_TYPES.cadenceCycle || a.taskQueue !== taskQueue) return false;
  if (a.workflowId !== spec.id) return false;
  if (JSON.stringify(a.args ?? []) !== JSON.stringify([cycleInput(spec)])) return false;
  const p = desc.policies;
  return (
    p.overlap === CADENCE_SCHEDULE_POLICIES.overlap &&
    p.catchupWindow === CADENCE_SCHEDULE_POLICIES.catchupWindowMs &&
    p.pauseOnFailure === CADENCE_SCHEDULE_POLICIES.pauseOnFailure
  );
}

export function sameRule(a: CalendarRule, b: CalendarRule): boolean {
  const sort = (m: number[]) => [...new Set(m)].sort((x, y) => x - y).join();
  return (
    a.dayOfMonth === b.dayOfMonth &&
    a.hour === b.hour &&
    a.minute === b.minute &&
    a.timeZone === b.timeZone &&
    sort(a.months) === sort(b.months)
  );
}

/** What `GET /systems/:id/cadences` shows of one Schedule. */
export interface CadenceView {
  id: string;
  kind: CadenceKind;
  systemId: string;
  description: string;
  calendar: CalendarRule | null;
  paused: boolean;
  note: string | null;
  nextRunTimes: string[];
  recentRuns: { scheduledAt: string; takenAt: string; workflowId: string }[];
}

const KIND_DESCRIPTIONS: Record<CadenceKind, string> = {
  'high-risk-review': 'Quarterly high-risk review',
  aiia: 'Yearly AI impact assessment',
};

/** What every cadence view shows of its Schedule's state, as Temporal reports it. */
export function scheduleStateView(desc: ScheduleDescription): Pick<CadenceView, 'paused' | 'note' | 'nextRunTimes' | 'recentRuns'> {
  return {
    paused: desc.state.paused,
    note: desc.state.note || null,
    nextRunTimes: desc.info.nextActionTimes.map((d) => d.toISOString()),
    recentRuns: desc.info.recentActions.map((r) => ({
      scheduledAt: r.scheduledAt.toISOString(),
      takenAt: r.takenAt.toISOString(),
      workflowId: r.action.workflow.workflowId,
    })),
  };
}

export function cadenceView(desc: ScheduleDescription): CadenceView {
  const parsed = parseCadenceId(desc.scheduleId);
  const memo = (desc.memo ?? {}) as { systemId?: string; kind?: CadenceKind };
  const kind = (parsed?.kind ?? memo.kind) as CadenceKind;
  return {
    id: desc.scheduleId,
    kind,
    systemId: parsed?.systemId ?? memo.systemId ?? '',
    description: desc.spec.calendars?.[0]?.comment || KIND_DESCRIPTIONS[kind] || desc.scheduleId,
    calendar: ruleOfDescription(desc) ?? null,
    ...scheduleStateView(desc),
  };
}
