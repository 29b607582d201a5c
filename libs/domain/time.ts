/** Durations and calendar arithmetic. Pure: safe inside workflows (no I/O, no ambient clock). */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function addMs(instant: Date, ms: number): Date {
  return new Date(instant.getTime() + ms);
}

export function addDays(instant: Date, days: number): Date {
  return addMs(instant, days * DAY_MS);
}

/** Wall-clock parts of an instant in an IANA time zone. */
export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  if (timeZone === 'UTC') {
    return {
      year: instant.getUTCFullYear(),
      month: instant.getUTCMonth() + 1,
      day: instant.getUTCDate(),
      hour: instant.getUTCHours(),
      minute: instant.getUTCMinutes(),
      second: instant.getUTCSeconds(),
    };
  }
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** Offset of the zone from UTC at an instant, in ms (e.g. +3_600_000 for CET in winter). */
function offsetAt(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows `wall` (a local date-time written
 * as if it were UTC, in ms). A wall time skipped by a DST jump (spring forward) moves forward
 * by the length of the gap, keeping the pre-gap offset: 02:30 becomes 03:30. A wall time that
 * happens twice (fall back) takes its first occurrence.
 */
function wallToInstant(wall: number, timeZone: string): number {
  if (timeZone === 'UTC') return wall;
  // Offsets on either side of any transition near this wall time (transitions are >1 day apart).
  const before = offsetAt(new Date(wall - DAY_MS), timeZone);
  const after = offsetAt(new Date(wall + DAY_MS), timeZone);
  const showsWall = (t: number) => offsetAt(new Date(t), timeZone) === wall - t;
  const valid = [wall - before, wall - after].filter(showsWall).sort((a, b) => a - b);
  return valid[0] ?? wall - before;
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time.
 * A local time skipped by a DST jump resolves to the instant just after the gap,
 * which is what a person expects of "midnight on the first of the month".
 */
export function zonedTimeToInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  return new Date(wallToInstant(Date.UTC(year, month - 1, day, hour, minute), timeZone));
}

/**
 * A duration as people count it. Days and months are calendar days and months in the
 * organisation's zone: the result lands on the same local wall time (local midnight stays
 * local midnight across a DST change). Hours are exact elapsed hours. Negative values count
 * back. Exactly one field is set.
 */
export type CalendarDuration = { days: number } | { months: number } | { hours: number };

/** Every problem of a duration as it comes (JSON), empty when it is valid. */
export function calendarDurationProblems(d: unknown): string[] {
  if (!d || typeof d !== 'object' || Array.isArray(d)) return ['a duration must be an object such as {"days": 30}'];
  const keys = Object.keys(d);
  if (keys.length !== 1 || !['days', 'months', 'hours'].includes(keys[0])) return ['a duration has exactly one of days, months or hours'];
  const n = (d as Record<string, unknown>)[keys[0]];
  if (typeof n !== 'number' || !Number.isInteger(n)) return [`${keys[0]} must be a whole number`];
  return [];
}

/**
 * `instant` plus a calendar duration in `timeZone`.
 *
 * - `{ hours }`: exact hours (`hours` x 3 600 000 ms), whatever the zone.
 * - `{ days }`: the same local wall time `days` calendar days later (or earlier).
 * - `{ months }`: the same local wall time and day of month `months` later; a day the target
 *   month lacks falls on its last day (31 January + 1 month = 28 or 29 February).
 *
 * DST, explicitly: when the target wall time does not exist (inside a spring-forward gap) it
 * moves forward by the gap (02:30 -> 03:30); when it exists twice (fall back) the first
 * occurrence is taken. Local midnight is never in a gap or overlap in the zones this serves
 * except where a zone jumps at midnight, where the instant just after the gap is taken.
 * Adding zero is always the identity. Pure and deterministic: safe in workflows.
 */
export function addCalendar(instant: Date, duration: CalendarDuration, timeZone: string): Date {
  if ('hours' in duration) return addMs(instant, duration.hours * HOUR_MS);
  const n = 'days' in duration ? duration.days : duration.months;
  if (n === 0) return new Date(instant.getTime());
  const p = zonedParts(instant, timeZone);
  const ms = ((instant.getTime() % 1000) + 1000) % 1000;
  let { year, month, day } = p;
  if ('days' in duration) {
    const d = new Date(Date.UTC(year, month - 1, day + n));
    year = d.getUTCFullYear();
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  } else {
    const total = year * 12 + (month - 1) + n;
    year = Math.floor(total / 12);
    month = (total % 12) + 1;
    day = Math.min(day, daysInMonth(year, month));
  }
  return new Date(wallToInstant(Date.UTC(year, month - 1, day, p.hour, p.minute, p.second, ms), timeZone));
}

/** The nominal length of a duration in ms (a day as 24 h, a month as 30 days): for display and checks only. */
export function nominalMs(duration: CalendarDuration): number {
  if ('hours' in duration) return duration.hours * HOUR_MS;
  if ('days' in duration) return duration.days * DAY_MS;
  return duration.months * 30 * DAY_MS;
}

/**
 * The anniversary of a month and day in a year: 29 February falls on 29 February in leap
 * years and on 28 February otherwise; every other day is itself.
 */
export function anniversaryDay(year: number, month: number, day: number): number {
  return Math.min(day, daysInMonth(year, month));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** ISO date (YYYY-MM-DD) of an instant in a zone. */
export function isoDateIn(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** "2026-01-31 00:00 UTC": unambiguous for every reader, whatever their zone. */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}
