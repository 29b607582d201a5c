/**
 * Regimes as faithful data: deadlines in hours, calendar days or calendar months, counted from
 * detection, from awareness or from the submission of another report of the same regime.
 */
import { planIncidentReports } from '../../../libs/contracts';
import { HOUR_MS, parseRegimeCatalog, REGIMES, resolveRegime } from '../../../libs/domain';

const regime = (reports: unknown[]) => ({ x: { name: 'n', authority: 'a', variants: { v: { reports } } } });
const parsed = (reports: unknown[]) => {
  const r = parseRegimeCatalog(regime(reports));
  if (!('catalog' in r)) throw new Error(r.problems.join('; '));
  return r.catalog.x.variants.v.reports;
};
const problems = (reports: unknown[]) => {
  const r = parseRegimeCatalog(regime(reports));
  return 'problems' in r ? r.problems : [];
};

describe('the regimes file: dueAfter and from', () => {
  it('reads hours, days and months, and what each counts from', () => {
    expect(
      parsed([
        { key: 'a', label: 'A', dueAfter: { hours: 4 }, from: 'detection' },
        { key: 'b', label: 'B', dueAfter: { days: 15 }, from: 'awareness' },
        { key: 'c', label: 'C', dueAfter: { months: 1 }, from: { after: 'a' } },
        { key: 'd', label: 'D', dueAfter: { days: 2 } },
      ]),
    ).toEqual([
      { key: 'a', label: 'A', dueAfterMs: 4 * HOUR_MS, dueAfter: { hours: 4 }, from: 'detection' },
      { key: 'b', label: 'B', dueAfterMs: 15 * 24 * HOUR_MS, dueAfter: { days: 15 }, from: 'awareness' },
      { key: 'c', label: 'C', dueAfterMs: 30 * 24 * HOUR_MS, dueAfter: { months: 1 }, from: { after: 'a' } },
      { key: 'd', label: 'D', dueAfterMs: 2 * 24 * HOUR_MS, dueAfter: { days: 2 } },
    ]);
  });

  it('keeps the short form dueAfterHours of files already written: hours after awareness', () => {
    expect(parsed([{ key: 'a', label: 'A', dueAfterHours: 4 }])).toEqual([{ key: 'a', label: 'A', dueAfterMs: 4 * HOUR_MS }]);
  });

  it('refuses, naming the problem: both forms, bad units, out of range, a bad from', () => {
    expect(
      problems([
        { key: 'a', label: 'A', dueAfter: { hours: 4 }, dueAfterHours: 4 },
        { key: 'b', label: 'B', dueAfter: { weeks: 2 } },
        { key: 'c', label: 'C', dueAfter: { days: 1, hours: 2 } },
        { key: 'd', label: 'D', dueAfter: { months: 1.5 } },
        { key: 'e', label: 'E', dueAfter: { months: 13 } },
        { key: 'f', label: 'F', dueAfter: { days: 0 } },
        { key: 'g', label: 'G', dueAfter: { days: 1 }, from: 'submission' },
        { key: 'h', label: 'H', dueAfter: { days: 1 }, from: { after: 'z' } },
        { key: 'i', label: 'I', dueAfter: { days: 1 }, from: { after: 'i' } },
        { key: 'j', label: 'J' },
      ]),
    ).toEqual([
      'regime x variant v report 0: give dueAfter or dueAfterHours, not both',
      'regime x variant v report 1: dueAfter: a duration has exactly one of days, months or hours',
      'regime x variant v report 2: dueAfter: a duration has exactly one of days, months or hours',
      'regime x variant v report 3: dueAfter: months must be a whole number',
      'regime x variant v report 4: dueAfter.months must be between 1 and 12',
      'regime x variant v report 5: dueAfter.days must be between 1 and 366',
      'regime x variant v report 6: from must be "detection", "awareness" or {"after": "<report key>"}',
      'regime x variant v report 7: from.after must name an earlier report of the same variant (a, b, c, d, e, f, g), not "z"',
      'regime x variant v report 8: from.after cannot name the report itself (i)',
      'regime x variant v report 9: dueAfterHours must be between 1 and 8784',
    ]);
  });
});

describe('the built-in regimes count as the law does', () => {
  it('art. 73 in calendar days, GDPR and NIS2 in hours, NIS2 final report one month after the notification', () => {
    const view = Object.fromEntries(
      Object.values(REGIMES).map((r) => [r.id, Object.values(r.variants).map((v) => v.reports.map((x) => [x.key, x.dueAfter, x.from]))]),
    );
    expect(view).toEqual({
      'eu-ai-act-art73': [
        [['report', { days: 15 }, 'awareness']],
        [['report', { days: 10 }, 'awareness']],
        [['report', { days: 2 }, 'awareness']],
      ],
      'gdpr-art33': [[['notification', { hours: 72 }, 'awareness']]],
      'nis2-art23': [
        [
          ['early-warning', { hours: 24 }, 'awareness'],
          ['notification', { hours: 72 }, 'awareness'],
          ['final-report', { months: 1 }, { after: 'notification' }],
        ],
      ],
    });
  });

  it("NIS2's provisional final deadline is a calendar month after the notification's: February and a 31-day month", () => {
    const final = (detectedAt: string) => {
      const r = resolveRegime('nis2-art23', undefined, { detectedAt: new Date(detectedAt), timeZone: 'Europe/Amsterdam' });
      if ('error' in r) throw new Error(r.error);
      return r.reports.map((x) => x.dueAt);
    };
    // Detected 29 January 10:00 Amsterdam: notification 1 February, final report 1 March (28 days later).
    expect(final('2027-01-29T09:00:00Z')).toEqual(['2027-01-30T09:00:00.000Z', '2027-02-01T09:00:00.000Z', '2027-03-01T09:00:00.000Z']);
    // Detected 28 December: notification 31 December, final report 31 January (31 days later).
    expect(final('2026-12-28T09:00:00Z')[2]).toBe('2027-01-31T09:00:00.000Z');
  });

  it('awareness after detection moves the clocks counted from awareness; a regime may have its own', () => {
    const detected = new Date('2026-11-20T09:00:00Z');
    const plan = planIncidentReports(
      'inc',
      detected,
      [{ id: 'gdpr-art33' }, { id: 'eu-ai-act-art73', awareAt: '2026-11-22T09:00:00Z' }],
      REGIMES,
      'UTC',
      '2026-11-21T09:00:00Z',
    );
    if (!('reports' in plan)) throw new Error(JSON.stringify(plan.problems));
    expect(plan.reports.map((r) => [r.key, r.dueAt])).toEqual([
      ['draft', '2026-11-23T09:00:00.000Z'], // the internal report stays on detection
      ['final', '2026-12-20T09:00:00.000Z'],
      ['gdpr-art33:notification', '2026-11-24T09:00:00.000Z'],
      ['eu-ai-act-art73:report', '2026-12-07T09:00:00.000Z'],
    ]);
    expect(plan.regimes).toEqual([
      { id: 'gdpr-art33', variant: 'standard' },
      { id: 'eu-ai-act-art73', variant: 'standard', awareAt: '2026-11-22T09:00:00.000Z' },
    ]);
  });

  it('awareness before detection is refused, for the incident and for a regime', () => {
    const detected = new Date('2026-11-20T09:00:00Z');
    expect(
      planIncidentReports('inc', detected, [{ id: 'gdpr-art33', awareAt: '2026-11-19T09:00:00Z' }], REGIMES, 'UTC', '2026-11-20T08:00:00Z'),
    ).toEqual({
      problems: [
        { index: -1, field: 'awareAt', message: expect.stringContaining('awareAt 2026-11-20T08:00:00Z is before detection') },
        { index: 0, field: 'awareAt', message: expect.stringContaining('awareAt 2026-11-19T09:00:00Z is before detection') },
      ],
    });
  });
});
