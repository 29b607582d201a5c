/** libs/domain org-cadences: months, periods across year ends and in DST zones, interval validation, ids. */
import {
  ORG_CADENCE_DEFAULTS,
  ORG_CADENCE_INTERVALS,
  ORG_CADENCE_KINDS,
  orgCadenceCalendar,
  orgCadenceId,
  orgCadenceMonths,
  orgCadenceSettingProblems,
  orgPeriodOf,
  parseOrgCadenceId,
  recertificationState,
} from '../../../libs/domain';

describe('orgCadenceMonths', () => {
  test.each([
    [{ intervalMonths: 12, startMonth: 9 }, [9]],
    [{ intervalMonths: 6, startMonth: 1 }, [1, 7]],
    [{ intervalMonths: 6, startMonth: 10 }, [4, 10]],
    [{ intervalMonths: 4, startMonth: 11 }, [3, 7, 11]],
    [{ intervalMonths: 3, startMonth: 2 }, [2, 5, 8, 11]],
    [{ intervalMonths: 1, startMonth: 5 }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
  ])('%j runs in %j', (s, months) => {
    expect(orgCadenceMonths(s)).toEqual(months);
  });

  test('the defaults: audit in September, management review in November, policies in January, recertification January and July', () => {
    expect(Object.fromEntries(ORG_CADENCE_KINDS.map((k) => [k, orgCadenceMonths(ORG_CADENCE_DEFAULTS[k])]))).toEqual({
      'internal-audit': [9],
      'management-review': [11],
      'policy-review': [1],
      'inventory-recertification': [1, 7],
    });
    for (const k of ORG_CADENCE_KINDS) expect(orgCadenceSettingProblems(k, ORG_CADENCE_DEFAULTS[k])).toEqual([]);
  });

  test('the calendar: local midnight on the 1st of each run month, in the zone', () => {
    expect(orgCadenceCalendar({ intervalMonths: 6, startMonth: 1 }, 'Europe/Berlin')).toEqual({
      months: [1, 7],
      dayOfMonth: 1,
      hour: 0,
      minute: 0,
      timeZone: 'Europe/Berlin',
    });
  });
});

describe('orgPeriodOf', () => {
  const at = (s: string) => new Date(s);
  test('a six-monthly cadence from January: the July period in December, the January one in June', () => {
    const s = { intervalMonths: 6, startMonth: 1 };
    expect(orgPeriodOf(s, at('2026-12-02T01:00:00Z'), 'UTC')).toEqual({
      key: '2026-07',
      opensAt: at('2026-07-01T00:00:00Z'),
      endsAt: at('2027-01-01T00:00:00Z'),
    });
    expect(orgPeriodOf(s, at('2026-06-30T23:59:59Z'), 'UTC').key).toBe('2026-01');
    expect(orgPeriodOf(s, at('2026-07-01T00:00:00Z'), 'UTC').key).toBe('2026-07');
  });

  test('a yearly September cadence across the year end: February 2027 belongs to 2026', () => {
    const s = { intervalMonths: 12, startMonth: 9 };
    expect(orgPeriodOf(s, at('2027-02-10T12:00:00Z'), 'UTC')).toEqual({
      key: '2026',
      opensAt: at('2026-09-01T00:00:00Z'),
      endsAt: at('2027-09-01T00:00:00Z'),
    });
    expect(orgPeriodOf(s, at('2027-08-31T23:59:59Z'), 'UTC').key).toBe('2026');
    expect(orgPeriodOf(s, at('2027-09-01T00:00:00Z'), 'UTC').key).toBe('2027');
  });

  test('a quarterly cadence from November wraps the year: January 2027 is the November 2026 period', () => {
    const s = { intervalMonths: 3, startMonth: 11 };
    expect(orgPeriodOf(s, at('2027-01-15T00:00:00Z'), 'UTC')).toMatchObject({ key: '2026-11', endsAt: at('2027-02-01T00:00:00Z') });
  });

  test('local midnight in the zone decides: the first hours of 1 July in Amsterdam (22:00 UTC the day before) are July', () => {
    const s = { intervalMonths: 6, startMonth: 1 };
    // CEST is UTC+2: 1 July 00:00 local is 30 June 22:00 UTC.
    expect(orgPeriodOf(s, at('2026-06-30T22:00:00Z'), 'Europe/Amsterdam')).toMatchObject({
      key: '2026-07',
      opensAt: at('2026-06-30T22:00:00Z'),
      endsAt: at('2026-12-31T23:00:00Z'),
    });
    expect(orgPeriodOf(s, at('2026-06-30T21:59:59Z'), 'Europe/Amsterdam').key).toBe('2026-01');
  });

  test('Sydney (southern-hemisphere DST): 1 January local is 31 December 13:00 UTC, 1 July is 30 June 14:00 UTC', () => {
    const s = { intervalMonths: 6, startMonth: 1 };
    expect(orgPeriodOf(s, at('2026-12-31T13:00:00Z'), 'Australia/Sydney')).toMatchObject({
      key: '2027-01',
      opensAt: at('2026-12-31T13:00:00Z'),
      endsAt: at('2027-06-30T14:00:00Z'),
    });
    // Still 31 December local (UTC+11): the July period.
    expect(orgPeriodOf(s, at('2026-12-31T12:59:59Z'), 'Australia/Sydney').key).toBe('2026-07');
  });

  test('a yearly period in a zone ahead of UTC takes its year from the local opening', () => {
    expect(orgPeriodOf({ intervalMonths: 12, startMonth: 1 }, at('2026-12-31T14:00:00Z'), 'Pacific/Auckland').key).toBe('2027');
  });
});

describe('orgCadenceSettingProblems', () => {
  test('a refused interval names the allowed ones; a bad start month names its range', () => {
    expect(orgCadenceSettingProblems('inventory-recertification', { intervalMonths: 12 })).toEqual([
      { field: 'intervalMonths', message: 'intervalMonths of inventory-recertification must be one of 1, 2, 3, 6 (months between runs)' },
    ]);
    expect(orgCadenceSettingProblems('internal-audit', { intervalMonths: 3, startMonth: 13 }).map((p) => p.field)).toEqual([
      'intervalMonths',
      'startMonth',
    ]);
    expect(orgCadenceSettingProblems('management-review', { startMonth: 1.5 })).toHaveLength(1);
    expect(orgCadenceSettingProblems('management-review', {})).toEqual([]);
  });

  test('every allowed interval divides the year, so each run month is one period', () => {
    for (const k of ORG_CADENCE_KINDS) for (const n of ORG_CADENCE_INTERVALS[k]) expect(12 % n).toBe(0);
  });
});

test('org cadence ids: org:<kind> and back; anything else is not one', () => {
  for (const k of ORG_CADENCE_KINDS) expect(parseOrgCadenceId(orgCadenceId(k))).toBe(k);
  expect(parseOrgCadenceId('org:nope')).toBeUndefined();
  expect(parseOrgCadenceId('aiia:3f6c2a1e-0000-4000-8000-000000000000')).toBeUndefined();
});

test('recertificationState: current when confirmed or in no round; due before the task is due; stale from its due time', () => {
  const dueAt = new Date('2027-01-31T00:00:00Z');
  expect(recertificationState(undefined, new Date('2030-01-01T00:00:00Z'))).toBe('current');
  expect(recertificationState({ dueAt, confirmedAt: new Date('2027-02-10T00:00:00Z') }, new Date('2027-03-01T00:00:00Z'))).toBe('current');
  expect(recertificationState({ dueAt, confirmedAt: null }, new Date('2027-01-30T23:59:59Z'))).toBe('due');
  expect(recertificationState({ dueAt, confirmedAt: null }, dueAt)).toBe('stale');
});
