/**
 * A 29 February anniversary as a Temporal Schedule: 29 February in leap years, 28 February in
 * common years (a second calendar restricted to common years), read back as one rule.
 */
import type { CalendarSpecDescription, ScheduleDescription } from '@temporalio/client';
import { CalendarRule, desiredCadences } from '../../../libs/domain';
import { COMMON_YEAR_RANGES, ruleOfDescription, scheduleOptionsFor, toCalendarSpecs } from '../../../apps/api/cadences/schedule-spec';

const rule: CalendarRule = { months: [2], dayOfMonth: 29, hour: 0, minute: 0, timeZone: 'Europe/Amsterdam' };

/** What the server gives back: each value as ranges, years as given. */
function described(cal: ReturnType<typeof toCalendarSpecs>[number]): CalendarSpecDescription {
  const one = <T>(v: T) => [{ start: v, end: v, step: 1 }];
  const many = <T>(v: T | T[]) => (Array.isArray(v) ? v.map((x) => ({ start: x, end: x, step: 1 })) : one(v));
  return {
    second: one(0),
    minute: one(cal.minute as number),
    hour: one(cal.hour as number),
    dayOfMonth: one(cal.dayOfMonth as number),
    month: many(cal.month as string),
    year: (cal.year as unknown[] | undefined) ?? [],
    dayOfWeek: [],
    comment: cal.comment,
  } as CalendarSpecDescription;
}

const spec = (cals: CalendarSpecDescription[]) =>
  ({ spec: { calendars: cals, timezone: rule.timeZone } }) as Pick<ScheduleDescription, 'spec'>;

function isCommonYear(y: number): boolean {
  return !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
}

test('a leap-day rule is two calendars: 29 February, and 28 February in common years only', () => {
  const [main, standIn, ...rest] = toCalendarSpecs(rule, 'Yearly AI impact assessment of Leap');
  expect(rest).toEqual([]);
  expect(main).toEqual({
    month: ['FEBRUARY'],
    dayOfMonth: 29,
    hour: 0,
    minute: 0,
    second: 0,
    comment: 'Yearly AI impact assessment of Leap',
  });
  expect(standIn).toMatchObject({ month: 'FEBRUARY', dayOfMonth: 28, hour: 0, minute: 0, second: 0, year: COMMON_YEAR_RANGES });
});

test('the common-year ranges hold exactly the common years of 2001-2100 (what Temporal accepts)', () => {
  const years = new Set<number>();
  for (const r of COMMON_YEAR_RANGES) for (let y = r.start; y <= (r.end ?? r.start); y += r.step ?? 1) years.add(y);
  for (let y = 2001; y <= 2100; y++) expect([y, years.has(y)]).toEqual([y, isCommonYear(y)]);
  expect(Math.max(...years)).toBe(2100);
});

test('other rules stay one calendar', () => {
  expect(toCalendarSpecs({ ...rule, dayOfMonth: 28 })).toHaveLength(1);
  expect(toCalendarSpecs({ ...rule, months: [3], dayOfMonth: 29 })).toHaveLength(1);
});

test('the Schedule of a 29 February go-live carries both calendars, and reads back as the leap-day rule', () => {
  const [aiia] = desiredCadences(
    {
      id: 'sys-leap',
      name: 'Leap',
      riskTier: 'limited',
      lifecycleStage: 'operation_and_monitoring',
      goLiveDate: '2028-02-29',
      createdAt: new Date('2028-01-10T10:00:00Z'),
    },
    rule.timeZone,
  );
  const calendars = scheduleOptionsFor(aiia, 'q', 0).spec.calendars!;
  expect(calendars).toHaveLength(2);
  expect(ruleOfDescription(spec(calendars.map(described)))).toEqual(rule);
});

test('a leap-day Schedule without its stand-in, or with a wrong one, is not current (the reconciler rewrites it)', () => {
  const [main, standIn] = toCalendarSpecs(rule).map(described);
  expect(ruleOfDescription(spec([main]))).toBeUndefined();
  expect(ruleOfDescription(spec([main, { ...standIn, dayOfMonth: [{ start: 27, end: 27, step: 1 }] }]))).toBeUndefined();
  expect(ruleOfDescription(spec([main, { ...standIn, year: [] }]))).toBeUndefined();
  // A two-calendar description of an ordinary rule is not one a cadence writes.
  const ordinary = described(toCalendarSpecs({ ...rule, dayOfMonth: 28 })[0]);
  expect(ruleOfDescription(spec([ordinary, standIn]))).toBeUndefined();
  // The old Schedule of a leap-day go-live (28 February) reads as a different rule than the desired one.
  expect(ruleOfDescription(spec([ordinary]))).toEqual({ ...rule, dayOfMonth: 28 });
});
