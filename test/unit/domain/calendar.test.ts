/**
 * Calendar arithmetic in the organisation's zone (issue 8, item 2): days and months are
 * calendar days and months landing on the same local time; hours are exact. Exhaustive over
 * every day of several years in zones with DST in each hemisphere and with non-hour offsets.
 */
import {
  addCalendar,
  aiiaAnniversary,
  anniversaryDay,
  calendarDurationProblems,
  correctiveActionPlanDays,
  cyclePeriod,
  DAY_MS,
  DEFAULT_LADDER,
  desiredCadences,
  goLiveAiiaDue,
  HOUR_MS,
  INCIDENT_REPORT_LADDER,
  isLeapDayRule,
  nextOccurrence,
  nextRunTimes,
  occurrenceAt,
  validateLadder,
  zonedParts,
  zonedTimeToInstant,
} from '../../../libs/domain';
import { incidentReportTaskInput, planIncidentReports } from '../../../libs/contracts';

const AMS = 'Europe/Amsterdam';
const SYD = 'Australia/Sydney';
const ADL = 'Australia/Adelaide'; // +09:30 / +10:30, DST in the south
const KOL = 'Asia/Kolkata'; // +05:30, no DST
const ZONES = ['UTC', AMS, 'Europe/Berlin', SYD, ADL, KOL, 'America/New_York', 'Asia/Kathmandu'];

const at = (iso: string) => new Date(iso);
const localDate = (d: Date, tz: string) => {
  const p = zonedParts(d, tz);
  return Date.UTC(p.year, p.month - 1, p.day);
};
const localTime = (d: Date, tz: string) => {
  const p = zonedParts(d, tz);
  return [p.hour, p.minute, p.second];
};

describe('addCalendar: days', () => {
  it('the bug of issue 8: 30 days after a local-midnight opening is local midnight, not 23:00', () => {
    // Europe/Amsterdam, 2026-Q4 opens 1 October 00:00 CEST; DST ends 25 October.
    expect(addCalendar(at('2026-09-30T22:00:00Z'), { days: 30 }, AMS).toISOString()).toBe('2026-10-30T23:00:00.000Z');
    // Australia/Sydney, 2027-Q2 opens 1 April 00:00 AEDT; DST ends 4 April.
    expect(addCalendar(at('2027-03-31T13:00:00Z'), { days: 30 }, SYD).toISOString()).toBe('2027-04-30T14:00:00.000Z');
    // Australia/Adelaide, 2030-Q4 opens 1 October 00:00 ACST; DST starts 6 October.
    expect(addCalendar(at('2030-09-30T14:30:00Z'), { days: 30 }, ADL).toISOString()).toBe('2030-10-30T13:30:00.000Z');
    // Asia/Kolkata has no DST: calendar days are 24 h.
    expect(addCalendar(at('2030-06-30T18:30:00Z'), { days: 30 }, KOL).toISOString()).toBe('2030-07-30T18:30:00.000Z');
  });

  it.each(ZONES)('%s: from every local midnight of 2026-2030, +n days is local midnight n calendar days later', (tz) => {
    const wrong: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2031, 0, 1); t += DAY_MS) {
      const d = new Date(t);
      const midnight = zonedTimeToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, tz);
      for (const n of [1, 3, 7, 14, 30, 90, -1, -3, -14]) {
        const r = addCalendar(midnight, { days: n }, tz);
        if (localDate(r, tz) - localDate(midnight, tz) !== n * DAY_MS || localTime(r, tz).join() !== '0,0,0')
          wrong.push(`${midnight.toISOString()} + ${n} days = ${r.toISOString()}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([AMS, SYD, ADL])('%s: every hour of every day of 2030 lands on the same wall time a day later, unless in a gap', (tz) => {
    const wrong: string[] = [];
    let gaps = 0;
    for (let t = Date.UTC(2029, 11, 31); t < Date.UTC(2031, 0, 1); t += HOUR_MS / 2) {
      const from = new Date(t);
      const r = addCalendar(from, { days: 1 }, tz);
      const [h, m] = localTime(from, tz);
      const [rh, rm] = localTime(r, tz);
      const ok =
        localDate(r, tz) - localDate(from, tz) === DAY_MS &&
        // Never more than an hour away from 24 h.
        Math.abs(r.getTime() - from.getTime() - DAY_MS) <= HOUR_MS &&
        // The same wall time, or (in the next day's gap) moved forward by the gap: 1 hour, 24 h later.
        ((rh === h && rm === m) ||
          ((rh * 60 + rm - (h * 60 + m) + 1440) % 1440 === 60 && r.getTime() - from.getTime() === DAY_MS && ++gaps > 0));
      if (!ok) wrong.push(`${from.toISOString()} + 1 day = ${r.toISOString()}`);
    }
    expect(wrong).toEqual([]);
    expect(gaps).toBe(2); // the two half-hours of the one spring-forward gap of 2030
  });

  it('keeps seconds and milliseconds', () => {
    expect(addCalendar(at('2030-10-26T10:15:42.123Z'), { days: 1 }, AMS).toISOString()).toBe('2030-10-27T11:15:42.123Z');
  });

  it('a day over the autumn change is 25 h, over the spring change 23 h (Amsterdam and Sydney)', () => {
    expect(addCalendar(at('2030-10-26T22:00:00Z'), { days: 1 }, AMS).getTime() - Date.parse('2030-10-26T22:00:00Z')).toBe(25 * HOUR_MS);
    expect(addCalendar(at('2030-03-30T23:00:00Z'), { days: 1 }, AMS).getTime() - Date.parse('2030-03-30T23:00:00Z')).toBe(23 * HOUR_MS);
    // Sydney: DST ends 7 April 2030, starts 6 October 2030.
    expect(addCalendar(at('2030-04-06T13:00:00Z'), { days: 1 }, SYD).getTime() - Date.parse('2030-04-06T13:00:00Z')).toBe(25 * HOUR_MS);
    expect(addCalendar(at('2030-10-05T14:00:00Z'), { days: 1 }, SYD).getTime() - Date.parse('2030-10-05T14:00:00Z')).toBe(23 * HOUR_MS);
  });

  it('a target in a spring-forward gap moves forward by the gap; in a fall-back overlap it takes the first occurrence', () => {
    // 31 March 2030 02:30 does not exist in Amsterdam: 03:30 CEST.
    const gap = addCalendar(at('2030-03-30T01:30:00Z'), { days: 1 }, AMS); // from 30 March 02:30 CET
    expect(gap.toISOString()).toBe('2030-03-31T01:30:00.000Z');
    expect(localTime(gap, AMS)).toEqual([3, 30, 0]);
    // 27 October 2030 02:30 happens twice in Amsterdam: the first (CEST) one.
    expect(addCalendar(at('2030-10-26T00:30:00Z'), { days: 1 }, AMS).toISOString()).toBe('2030-10-27T00:30:00.000Z');
    // Sydney's gap: 6 October 2030 02:30 -> 03:30 AEDT.
    const syd = addCalendar(at('2030-10-04T16:30:00Z'), { days: 1 }, SYD); // 5 October 02:30 AEST
    expect(localTime(syd, SYD)).toEqual([3, 30, 0]);
  });

  it('adding zero is the identity, even in the second occurrence of an ambiguous hour', () => {
    const second = at('2030-10-27T01:30:00Z'); // 02:30 CET, the second 02:30 in Amsterdam
    for (const d of [{ days: 0 }, { months: 0 }, { hours: 0 }])
      expect(addCalendar(second, d, AMS).toISOString()).toBe(second.toISOString());
  });

  it('counts back across DST to the same local time', () => {
    // Due 9 November 2030 00:00 CET; 14 days before is 26 October 00:00 CEST (before the change).
    expect(addCalendar(at('2030-11-08T23:00:00Z'), { days: -14 }, AMS).toISOString()).toBe('2030-10-25T22:00:00.000Z');
  });
});

describe('addCalendar: months and hours', () => {
  it('a month is the same day and local time of the next month, or its last day', () => {
    expect(addCalendar(at('2030-01-30T23:00:00Z'), { months: 1 }, AMS).toISOString()).toBe('2030-02-27T23:00:00.000Z'); // 31 Jan -> 28 Feb
    expect(addCalendar(at('2032-01-30T23:00:00Z'), { months: 1 }, AMS).toISOString()).toBe('2032-02-28T23:00:00.000Z'); // leap: 29 Feb
    expect(addCalendar(at('2030-03-15T09:00:00Z'), { months: 1 }, AMS).toISOString()).toBe('2030-04-15T08:00:00.000Z'); // over DST
    expect(addCalendar(at('2030-03-31T13:00:00Z'), { months: -1 }, SYD).toISOString()).toBe('2030-02-28T13:00:00.000Z');
    expect(addCalendar(at('2030-12-15T00:00:00Z'), { months: 13 }, 'UTC').toISOString()).toBe('2032-01-15T00:00:00.000Z');
    expect(addCalendar(at('2030-02-28T00:00:00Z'), { months: -14 }, 'UTC').toISOString()).toBe('2028-12-28T00:00:00.000Z');
  });

  it.each(ZONES)('%s: +n months from every local midnight of 2028-2032 is local midnight on the same or last day', (tz) => {
    const wrong: string[] = [];
    for (let t = Date.UTC(2028, 0, 1); t < Date.UTC(2033, 0, 1); t += DAY_MS) {
      const d = new Date(t);
      const from = zonedTimeToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, tz);
      for (const n of [1, 3, 12, -1]) {
        const r = zonedParts(addCalendar(from, { months: n }, tz), tz);
        const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + n;
        const want = [Math.floor(total / 12), (total % 12) + 1, 0, 0, 0];
        want[2] = Math.min(d.getUTCDate(), new Date(Date.UTC(want[0], want[1], 0)).getUTCDate());
        if ([r.year, r.month, r.day, r.hour, r.minute].join() !== want.join()) wrong.push(`${from.toISOString()} + ${n} months`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('hours are exact hours, across DST too', () => {
    for (const tz of ZONES) {
      expect(addCalendar(at('2030-10-26T20:00:00Z'), { hours: 72 }, tz).toISOString()).toBe('2030-10-29T20:00:00.000Z');
      expect(addCalendar(at('2030-04-06T12:00:00Z'), { hours: -48 }, tz).toISOString()).toBe('2030-04-04T12:00:00.000Z');
    }
  });

  it('checks durations as they come', () => {
    expect(calendarDurationProblems({ days: 3 })).toEqual([]);
    expect(calendarDurationProblems({ months: -1 })).toEqual([]);
    expect(calendarDurationProblems({ days: 1.5 })).toHaveLength(1);
    expect(calendarDurationProblems({ days: 1, hours: 2 })).toHaveLength(1);
    expect(calendarDurationProblems({ weeks: 1 })).toHaveLength(1);
    expect(calendarDurationProblems(3)).toHaveLength(1);
    expect(calendarDurationProblems(null)).toHaveLength(1);
  });
});

describe('due dates of cadences', () => {
  it('a quarter is due 30 calendar days after it opens: local midnight in every zone', () => {
    const cases: [string, string, string][] = [
      [AMS, '2026-10-01T08:00:00Z', '2026-10-30T23:00:00.000Z'], // 31 October 00:00 CET
      [SYD, '2027-04-01T02:00:00Z', '2027-04-30T14:00:00.000Z'], // 1 May 00:00 AEST
      [ADL, '2030-10-01T02:00:00Z', '2030-10-30T13:30:00.000Z'], // 31 October 00:00 ACDT
      [KOL, '2030-07-01T02:00:00Z', '2030-07-30T18:30:00.000Z'], // 31 July 00:00 IST
      ['UTC', '2030-10-01T02:00:00Z', '2030-10-31T00:00:00.000Z'],
    ];
    for (const [tz, runAt, due] of cases) expect(cyclePeriod('high-risk-review', at(runAt), tz).dueAt.toISOString()).toBe(due);
  });

  it('the old 24-hour arithmetic stays available for replay, and is what the bug showed', () => {
    expect(cyclePeriod('high-risk-review', at('2026-10-01T08:00:00Z'), AMS, 'fixed-24h').dueAt.toISOString()).toBe(
      '2026-10-30T22:00:00.000Z',
    );
    expect(cyclePeriod('high-risk-review', at('2027-04-01T02:00:00Z'), SYD, 'fixed-24h').dueAt.toISOString()).toBe(
      '2027-04-30T13:00:00.000Z',
    );
    // In UTC both agree.
    const run = at('2030-10-01T02:00:00Z');
    expect(cyclePeriod('aiia', run, 'UTC', 'fixed-24h')).toEqual(cyclePeriod('aiia', run, 'UTC'));
  });

  it.each(ZONES)('%s: every quarter of 2026-2032 is due at local midnight on the 31st/1st, 30 calendar days after opening', (tz) => {
    for (let y = 2026; y <= 2032; y++) {
      for (const m of [1, 4, 7, 10]) {
        const opens = zonedTimeToInstant(y, m, 1, 0, 0, tz);
        const { dueAt } = cyclePeriod('high-risk-review', new Date(opens.getTime() + HOUR_MS), tz);
        expect(localDate(dueAt, tz) - Date.UTC(y, m - 1, 1)).toBe(30 * DAY_MS);
        expect(localTime(dueAt, tz)).toEqual([0, 0, 0]);
      }
    }
  });

  it('an AIIA run and a late opening are due 30 calendar days later at the same local time', () => {
    // An anniversary run on 10 October 2030 00:00 CEST: due 9 November 00:00 CET.
    expect(cyclePeriod('aiia', at('2030-10-09T22:00:00Z'), AMS).dueAt.toISOString()).toBe('2030-11-08T23:00:00.000Z');
    // A manual trigger on 15 October 2030 14:00 CEST, late for the quarter: 14 November 14:00 CET.
    expect(cyclePeriod('high-risk-review', at('2030-10-15T12:00:00Z'), AMS).dueAt.toISOString()).toBe('2030-11-14T13:00:00.000Z');
  });

  it("a jittered run is due when an on-time one is: a quarter's review and a yearly AIIA opening on its day", () => {
    const jitter = 6 * 3_600_000 - 1; // the most AIMS_SCHEDULE_JITTER_MINUTES allows
    for (const tz of [AMS, SYD, 'UTC', 'America/New_York']) {
      // The quarter's opening, and a run the jitter started up to 6 hours later: the same quarter, the same due.
      const opens = cyclePeriod('high-risk-review', at('2030-10-15T12:00:00Z'), tz).period.startsAt;
      const onTime = cyclePeriod('high-risk-review', opens, tz);
      const late = cyclePeriod('high-risk-review', new Date(opens.getTime() + jitter), tz);
      expect(late.period.key).toBe(onTime.period.key);
      expect(late.dueAt.toISOString()).toBe(onTime.dueAt.toISOString());
    }
    // The AIIA anniversary at 10 October 2030 00:00 CEST, run at 00:00 and at 05:59: both due 9 November 00:00 CET.
    const anniversary = at('2030-10-09T22:00:00Z');
    for (const runAt of [anniversary, new Date(anniversary.getTime() + jitter)]) {
      const c = cyclePeriod('aiia', runAt, AMS, 'calendar', true);
      expect(c.opensAt.toISOString()).toBe(anniversary.toISOString());
      expect(c.dueAt.toISOString()).toBe('2030-11-08T23:00:00.000Z');
    }
    // Before the rule (runs recorded without it), the jittered run's due moved with it.
    expect(cyclePeriod('aiia', new Date(anniversary.getTime() + 7 * 60_000), AMS).dueAt.toISOString()).toBe('2030-11-08T23:07:00.000Z');
  });

  it('the go-live AIIA is due at local midnight 30 calendar days after go-live', () => {
    expect(goLiveAiiaDue('2026-10-01', at('2026-09-01T00:00:00Z'), AMS).toISOString()).toBe('2026-10-30T23:00:00.000Z');
    expect(goLiveAiiaDue('2027-04-01', at('2027-03-01T00:00:00Z'), SYD).toISOString()).toBe('2027-04-30T14:00:00.000Z');
    expect(goLiveAiiaDue('2030-10-01', at('2030-09-01T00:00:00Z'), ADL).toISOString()).toBe('2030-10-30T13:30:00.000Z');
    // Registered long after go-live: 30 calendar days from registration, same local time.
    expect(goLiveAiiaDue('2030-01-01', at('2030-10-15T12:00:00Z'), AMS).toISOString()).toBe('2030-11-14T13:00:00.000Z');
  });
});

describe('the 29 February anniversary', () => {
  const entry = {
    id: 's1',
    name: 'Leap',
    riskTier: 'limited' as const,
    lifecycleStage: 'operation_and_monitoring' as const,
    goLiveDate: '2028-02-29',
    createdAt: at('2028-01-10T10:00:00Z'),
  };

  it('falls on 29 February in leap years and 28 February otherwise', () => {
    expect(anniversaryDay(2028, 2, 29)).toBe(29);
    expect(anniversaryDay(2029, 2, 29)).toBe(28);
    expect(anniversaryDay(2100, 2, 29)).toBe(28);
    expect(anniversaryDay(2400, 2, 29)).toBe(29);
    expect(anniversaryDay(2029, 3, 17)).toBe(17);
    expect(aiiaAnniversary(entry, AMS)).toEqual({ month: 2, day: 29 });
    const [aiia] = desiredCadences(entry, AMS).filter((c) => c.kind === 'aiia');
    expect(aiia.calendar).toMatchObject({ months: [2], dayOfMonth: 29 });
    expect(isLeapDayRule(aiia.calendar)).toBe(true);
    expect(nextRunTimes(aiia.calendar, at('2028-03-01T00:00:00Z'), 5).map((d) => d.toISOString())).toEqual([
      '2029-02-27T23:00:00.000Z',
      '2030-02-27T23:00:00.000Z',
      '2031-02-27T23:00:00.000Z',
      '2032-02-28T23:00:00.000Z',
      '2033-02-27T23:00:00.000Z',
    ]);
  });

  it('a registration on 29 February counts the same way', () => {
    expect(aiiaAnniversary({ ...entry, goLiveDate: null, createdAt: at('2028-02-29T12:00:00Z') }, 'UTC')).toEqual({ month: 2, day: 29 });
  });

  it('other rules are not leap-day rules', () => {
    expect(isLeapDayRule({ months: [1, 4, 7, 10], dayOfMonth: 1 })).toBe(false);
    expect(isLeapDayRule({ months: [2], dayOfMonth: 28 })).toBe(false);
    expect(isLeapDayRule({ months: [3], dayOfMonth: 29 })).toBe(false);
  });
});

describe('ladders in calendar days', () => {
  const step = (key: string) => DEFAULT_LADDER.find((s) => s.key === key)!;

  it('every day-sized step of the default ladder has a calendar offset equal to its offsetMs in days', () => {
    for (const s of DEFAULT_LADDER) {
      if (s.offsetMs === 0) continue;
      expect(s.offset).toEqual({ days: s.offsetMs / DAY_MS });
    }
    expect(validateLadder(DEFAULT_LADDER)).toEqual([]);
    // Hour ladders stay exact hours.
    for (const s of INCIDENT_REPORT_LADDER) expect(s.offset).toBeUndefined();
  });

  it('with a zone, "14, 3, 1 days before" and "3, 7, 14 days overdue" are local midnights across DST', () => {
    // Due 9 November 2030 00:00 CET (Amsterdam; DST ended 27 October).
    const due = at('2030-11-08T23:00:00Z');
    expect(occurrenceAt(step('remind-14d-before'), due, 0, AMS).toISOString()).toBe('2030-10-25T22:00:00.000Z'); // 26 Oct 00:00 CEST
    expect(occurrenceAt(step('remind-14d-before'), due, 0).toISOString()).toBe('2030-10-25T23:00:00.000Z'); // without a zone: 24 h
    expect(occurrenceAt(step('remind-3d-before'), due, 0, AMS).toISOString()).toBe('2030-11-05T23:00:00.000Z');
    // Due 31 March 2030 00:00 CET: +3 days is 3 April 00:00 CEST.
    const spring = at('2030-03-30T23:00:00Z');
    expect(occurrenceAt(step('escalate-manager'), spring, 0, AMS).toISOString()).toBe('2030-04-02T22:00:00.000Z');
    expect(occurrenceAt(step('escalate-governance-lead'), spring, 0, AMS).toISOString()).toBe('2030-04-06T22:00:00.000Z');
    // Sydney, due 10 April 2030 00:00 AEST (DST ended 7 April): 14 days before is 27 March 00:00 AEDT.
    const syd = at('2030-04-09T14:00:00Z');
    expect(occurrenceAt(step('remind-14d-before'), syd, 0, SYD).toISOString()).toBe('2030-03-26T13:00:00.000Z');
    expect(occurrenceAt(step('remind-1d-before'), syd, 0, SYD).toISOString()).toBe('2030-04-08T14:00:00.000Z');
    // Adelaide, due 1 October 2030 00:00 ACST (DST starts 6 October): +7 days is 8 October 00:00 ACDT.
    const adl = at('2030-09-30T14:30:00Z');
    expect(occurrenceAt(step('escalate-governance-lead'), adl, 0, ADL).toISOString()).toBe('2030-10-07T13:30:00.000Z');
    expect(occurrenceAt(step('escalate-top-management'), adl, 0, ADL).toISOString()).toBe('2030-10-14T13:30:00.000Z');
  });

  it.each(ZONES)('%s: every default step of a task due at any local midnight of 2030 is a local midnight', (tz) => {
    const wrong: string[] = [];
    for (let t = Date.UTC(2030, 0, 1); t < Date.UTC(2031, 0, 1); t += DAY_MS) {
      const d = new Date(t);
      const due = zonedTimeToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, tz);
      for (const s of DEFAULT_LADDER)
        if (localTime(occurrenceAt(s, due, 0, tz), tz).join() !== '0,0,0') wrong.push(`${s.key} of ${due.toISOString()}`);
    }
    expect(wrong).toEqual([]);
  });

  it('repeats stay exact intervals after the first occurrence; nextOccurrence takes the zone', () => {
    const due = at('2030-10-26T20:00:00Z');
    const repeat = INCIDENT_REPORT_LADDER.find((s) => s.repeatEveryMs)!;
    expect(occurrenceAt(repeat, due, 2, AMS).getTime() - due.getTime()).toBe(36 * HOUR_MS);
    const next = nextOccurrence(DEFAULT_LADDER, at('2030-11-08T23:00:00Z'), new Set(), AMS)!;
    expect(next).toMatchObject({ key: 'remind-14d-before', at: at('2030-10-25T22:00:00Z') });
  });

  it('validateLadder checks calendar offsets', () => {
    const base = { key: 'k', action: 'remind' as const, levels: ['owner' as const] };
    expect(validateLadder([{ ...base, offsetMs: -DAY_MS, offset: { days: -1 } }])).toEqual([]);
    expect(validateLadder([{ ...base, offsetMs: -DAY_MS, offset: { days: 1.5 } as never }])[0]).toMatch(
      /offset: days must be a whole number/,
    );
    expect(validateLadder([{ ...base, offsetMs: -DAY_MS, offset: { days: -2 } }])[0]).toMatch(/nominal length/);
    expect(validateLadder([{ ...base, offsetMs: -30 * DAY_MS, offset: { months: -1 } }])).toEqual([]);
  });
});

describe('corrective-action plan days', () => {
  it('the plan in days is the grade default with overrides', () => {
    expect(correctiveActionPlanDays('major')).toEqual({
      containment: 2,
      rootCause: 14,
      action: 30,
      verificationWait: 90,
      effectivenessCheck: 14,
    });
    expect(correctiveActionPlanDays('minor', { verificationWait: 60, action: undefined })).toMatchObject({
      verificationWait: 60,
      action: 60,
    });
  });

  it('a 90-day verification wait from an afternoon in Amsterdam opens at the same local time across DST', () => {
    // Action taken 1 August 2030 15:00 CEST: the check opens 30 October 15:00 CET.
    expect(addCalendar(at('2030-08-01T13:00:00Z'), { days: 90 }, AMS).toISOString()).toBe('2030-10-30T14:00:00.000Z');
  });
});

describe('incident report deadlines', () => {
  it('the final report is due 30 calendar days after detection in the zone; the 72-hour draft is exact hours', () => {
    const plan = planIncidentReports('inc-1', at('2030-10-10T10:00:00Z'), [], undefined, AMS);
    if ('problems' in plan) throw new Error('unexpected problems');
    expect(plan.reports.find((r) => r.key === 'draft')?.dueAt).toBe('2030-10-13T10:00:00.000Z');
    expect(plan.reports.find((r) => r.key === 'final')?.dueAt).toBe('2030-11-09T11:00:00.000Z'); // 12:00 CEST -> 12:00 CET
    // Without a zone (callers written before it): 30 x 24 h.
    const old = planIncidentReports('inc-1', at('2030-10-10T10:00:00Z'), []);
    if ('problems' in old) throw new Error('unexpected problems');
    expect(old.reports.find((r) => r.key === 'final')?.dueAt).toBe('2030-11-09T10:00:00.000Z');
  });

  it('a report task gets the zone only when one is given', () => {
    const report = { kind: 'incident-report' as const, label: 'Final', dueAt: '2030-11-09T11:00:00.000Z', ladder: DEFAULT_LADDER };
    const inc = { incidentId: 'inc-1', title: 'T', responderId: 'p' };
    expect(incidentReportTaskInput(inc, report, AMS).timeZone).toBe(AMS);
    expect('timeZone' in incidentReportTaskInput(inc, report)).toBe(false);
  });
});
