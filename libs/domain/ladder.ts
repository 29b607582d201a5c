/**
 * Reminder-and-escalation ladders, as data. A step fires at an offset from the due time
 * (negative = before it) and notifies one or more levels of the owner's escalation chain.
 */
import { addCalendar, CalendarDuration, calendarDurationProblems, DAY_MS, HOUR_MS, nominalMs } from './time';

/**
 * owner -> owner's manager -> governance lead (AIMS owner) -> top management. A level's index
 * is a task's `escalationLevel`: 0 `owner` (not escalated past the owner), 1 `manager`,
 * 2 `governance_lead`, 3 `top_management`; each level has this one name everywhere.
 */
export const ESCALATION_LEVELS = ['owner', 'manager', 'governance_lead', 'top_management'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const LADDER_ACTIONS = ['remind', 'escalate', 'breach'] as const;
export type LadderAction = (typeof LADDER_ACTIONS)[number];

export interface LadderStep {
  /** Unique within a ladder; part of the idempotency key of every notification. */
  key: string;
  /** When the step fires, relative to the due time, in exact ms (used when the task has no zone). */
  offsetMs: number;
  /**
   * The same offset in calendar days, months or hours: with the task's zone, "3 days before"
   * is the same local time three calendar days earlier, across a DST change. `offsetMs` is kept
   * as its UTC equivalent, for tasks without a zone and for workers that predate this field.
   */
  offset?: CalendarDuration;
  action: LadderAction;
  /** Who is notified. */
  levels: EscalationLevel[];
  /** Keep firing at this interval after the first time until the work is in. */
  repeatEveryMs?: number;
}

export type Ladder = LadderStep[];

/** AIMS-DOMAIN.md default for owner work: remind 14, 3, 1 days before and on the day; escalate at +3, +7, +14 days. */
export const DEFAULT_LADDER: Ladder = [
  { key: 'remind-14d-before', offsetMs: -14 * DAY_MS, offset: { days: -14 }, action: 'remind', levels: ['owner'] },
  { key: 'remind-3d-before', offsetMs: -3 * DAY_MS, offset: { days: -3 }, action: 'remind', levels: ['owner'] },
  { key: 'remind-1d-before', offsetMs: -1 * DAY_MS, offset: { days: -1 }, action: 'remind', levels: ['owner'] },
  { key: 'remind-due', offsetMs: 0, action: 'remind', levels: ['owner'] },
  { key: 'escalate-manager', offsetMs: 3 * DAY_MS, offset: { days: 3 }, action: 'escalate', levels: ['manager'] },
  { key: 'escalate-governance-lead', offsetMs: 7 * DAY_MS, offset: { days: 7 }, action: 'escalate', levels: ['governance_lead'] },
  { key: 'escalate-top-management', offsetMs: 14 * DAY_MS, offset: { days: 14 }, action: 'escalate', levels: ['top_management'] },
];

/** Incident report ladder, relative to the 72-hour deadline (detection + 72 h). */
export const INCIDENT_REPORT_LADDER: Ladder = [
  { key: 'remind-24h', offsetMs: -48 * HOUR_MS, action: 'remind', levels: ['owner'] },
  { key: 'remind-48h', offsetMs: -24 * HOUR_MS, action: 'remind', levels: ['owner'] },
  { key: 'remind-60h', offsetMs: -12 * HOUR_MS, action: 'remind', levels: ['owner'] },
  { key: 'remind-68h', offsetMs: -4 * HOUR_MS, action: 'remind', levels: ['owner'] },
  { key: 'breach-72h', offsetMs: 0, action: 'breach', levels: ['owner', 'governance_lead', 'top_management'] },
  { key: 'remind-after-breach', offsetMs: 12 * HOUR_MS, action: 'remind', levels: ['owner'], repeatEveryMs: 12 * HOUR_MS },
];

/** One firing of a step: repeating steps fire many times, each with its own key. */
export interface LadderOccurrence {
  key: string;
  step: LadderStep;
  at: Date;
}

export function occurrenceKey(step: LadderStep, n: number): string {
  return n === 0 ? step.key : `${step.key}#${n}`;
}

/**
 * When the n-th occurrence of a step falls for a due time. With a zone, a step's calendar
 * `offset` counts calendar days in it (same local time); without one, `offsetMs` (exact ms).
 * Repeats are exact intervals after the first occurrence.
 */
export function occurrenceAt(step: LadderStep, dueAt: Date, n: number, timeZone?: string): Date {
  const first =
    timeZone !== undefined && step.offset ? addCalendar(dueAt, step.offset, timeZone).getTime() : dueAt.getTime() + step.offsetMs;
  return new Date(first + n * (step.repeatEveryMs ?? 0));
}

/**
 * The next occurrence not yet in `fired`, at or after the ladder's start, earliest first.
 * `fired` holds occurrence keys already handled (sent or skipped).
 */
export function nextOccurrence(ladder: Ladder, dueAt: Date, fired: ReadonlySet<string>, timeZone?: string): LadderOccurrence | undefined {
  let best: LadderOccurrence | undefined;
  for (const step of ladder) {
    let n = 0;
    if (step.repeatEveryMs) {
      while (fired.has(occurrenceKey(step, n))) n++;
    } else if (fired.has(step.key)) {
      continue;
    }
    const at = occurrenceAt(step, dueAt, n, timeZone);
    if (!best || at.getTime() < best.at.getTime()) best = { key: occurrenceKey(step, n), step, at };
  }
  return best;
}

/**
 * Occurrences due at `now` or before, split into those to fire and those to skip.
 * Escalations and breaches always fire: overdue work escalates even when it is late.
 * Of the reminders only the latest fires, and only if it is not stale (its time passed
 * less than `staleAfterMs` ago): a reminder is useful on time, not as a burst after an
 * outage, a late opening or a wait on the approver.
 */
export function dueOccurrences(
  ladder: Ladder,
  dueAt: Date,
  fired: ReadonlySet<string>,
  now: Date,
  staleAfterMs = HOUR_MS,
  timeZone?: string,
): { fire: LadderOccurrence[]; skip: LadderOccurrence[] } {
  const seen = new Set(fired);
  const fire: LadderOccurrence[] = [];
  const reminders: LadderOccurrence[] = [];
  for (;;) {
    const next = nextOccurrence(ladder, dueAt, seen, timeZone);
    if (!next || next.at.getTime() > now.getTime()) break;
    seen.add(next.key);
    (next.step.action === 'remind' ? reminders : fire).push(next);
  }
  const latest = reminders[reminders.length - 1];
  const skip = reminders.slice(0, -1);
  if (latest) {
    if (now.getTime() - latest.at.getTime() <= staleAfterMs) fire.push(latest);
    else skip.push(latest);
  }
  fire.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { fire, skip };
}

/** A step key: occurrence keys add `#<n>` and notification keys `@ext<n>`, so a key holds neither. */
const STEP_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Every problem of a ladder, empty when it is valid. Run wherever a ladder enters the system:
 * the built-in ones (in the unit tests), the regimes file (parseRegimeCatalog), a regime added
 * to an incident and every governanceTask's input. Takes data as it comes (JSON), not only typed ladders.
 */
export function validateLadder(ladder: readonly LadderStep[]): string[] {
  if (!Array.isArray(ladder)) return ['a ladder must be a list of steps'];
  const problems: string[] = [];
  const keys = new Set<string>();
  const knownLevels: readonly string[] = ESCALATION_LEVELS;
  const knownActions: readonly string[] = LADDER_ACTIONS;
  ladder.forEach((s, i) => {
    if (!s || typeof s !== 'object') {
      problems.push(`step ${i}: must be an object`);
      return;
    }
    if (!s.key) problems.push(`step ${i}: key is required`);
    else if (typeof s.key !== 'string' || !STEP_KEY.test(s.key))
      problems.push(`step ${i}: key ${JSON.stringify(s.key)} may hold only letters, digits, dashes and underscores`);
    if (keys.has(s.key)) problems.push(`step ${i}: duplicate key ${s.key}`);
    keys.add(s.key);
    if (!Number.isFinite(s.offsetMs)) problems.push(`step ${i}: offsetMs must be a number`);
    if (s.offset !== undefined) {
      const offsetProblems = calendarDurationProblems(s.offset);
      for (const p of offsetProblems) problems.push(`step ${i}: offset: ${p}`);
      if (!offsetProblems.length && !('months' in s.offset) && nominalMs(s.offset) !== s.offsetMs)
        problems.push(`step ${i}: offsetMs must be the nominal length of offset (${nominalMs(s.offset)})`);
    }
    if (!knownActions.includes(s.action)) problems.push(`step ${i}: action must be one of ${LADDER_ACTIONS.join(', ')}`);
    if (!Array.isArray(s.levels) || !s.levels.length) problems.push(`step ${i}: at least one level`);
    else {
      const seen = new Set<string>();
      for (const level of s.levels) {
        if (!knownLevels.includes(level))
          problems.push(`step ${i}: unknown level ${JSON.stringify(level)}; levels: ${ESCALATION_LEVELS.join(', ')}`);
        else if (seen.has(level)) problems.push(`step ${i}: level ${level} is listed twice`);
        seen.add(level);
      }
    }
    if (s.repeatEveryMs !== undefined && !(s.repeatEveryMs >= HOUR_MS)) problems.push(`step ${i}: repeatEveryMs must be at least an hour`);
  });
  return problems;
}
