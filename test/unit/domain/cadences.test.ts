import {
  aiiaAnniversary,
  cadenceId,
  coveragePercent,
  cyclePeriod,
  desiredCadences,
  dueAfterOpening,
  firstYearlyAiiaAt,
  goLiveAiiaDue,
  initialAiiaDue,
  InventoryEntry,
  isOperatingStage,
  needsInitialAiia,
  yearlyAiiaOpens,
  yearlyAiiaStartAt,
  nextRunTimes,
  parseCadenceId,
  planReconcile,
  reworkPercent,
} from '../../../libs/domain';

const base: InventoryEntry = {
  id: '7c0d1f1e-0000-4000-8000-000000000001',
  name: 'Credit scoring',
  riskTier: 'high',
  lifecycleStage: 'operation_and_monitoring',
  goLiveDate: '2026-03-15',
  createdAt: new Date('2026-11-01T10:00:00Z'),
};

describe('desired cadences from inventory state', () => {
  it('a high-risk system gets a quarterly review and a yearly AIIA on its go-live anniversary', () => {
    const specs = desiredCadences(base, 'UTC');
    expect(specs.map((s) => s.id)).toEqual([`high-risk-review:${base.id}`, `aiia:${base.id}`]);
    expect(specs[0].calendar).toEqual({ months: [1, 4, 7, 10], dayOfMonth: 1, hour: 0, minute: 0, timeZone: 'UTC' });
    expect(specs[1].calendar).toEqual({ months: [3], dayOfMonth: 15, hour: 0, minute: 0, timeZone: 'UTC' });
  });

  it.each(['limited', 'minimal'] as const)('a %s system gets only the yearly AIIA', (riskTier) => {
    expect(desiredCadences({ ...base, riskTier }, 'UTC').map((s) => s.kind)).toEqual(['aiia']);
  });

  it('an unacceptable system gets no cadence', () => {
    expect(desiredCadences({ ...base, riskTier: 'unacceptable' }, 'UTC')).toEqual([]);
  });

  it('a retired system gets no cadence', () => {
    expect(desiredCadences({ ...base, lifecycleStage: 'retirement' }, 'UTC')).toEqual([]);
  });

  it('without a go-live date the AIIA anniversary is the registration date', () => {
    expect(aiiaAnniversary({ ...base, goLiveDate: null }, 'UTC')).toEqual({ month: 11, day: 1 });
  });

  it('a 29 February go-live keeps its anniversary on 29 February (28 February in common years: see calendar.test.ts)', () => {
    expect(aiiaAnniversary({ ...base, goLiveDate: '2028-02-29' }, 'UTC')).toEqual({ month: 2, day: 29 });
  });

  it('cadence ids round-trip', () => {
    expect(parseCadenceId(cadenceId('aiia', base.id))).toEqual({ kind: 'aiia', systemId: base.id });
    expect(parseCadenceId('nonsense')).toBeUndefined();
    expect(parseCadenceId('audit:x')).toBeUndefined();
    expect(parseCadenceId('aiia:')).toBeUndefined();
  });
});

describe('reconcile plans', () => {
  const specs = desiredCadences(base, 'UTC');

  it('creates what is missing', () => {
    expect(planReconcile(specs, []).create.map((s) => s.kind)).toEqual(['high-risk-review', 'aiia']);
  });

  it('reclassifying high to limited removes the quarterly schedule only', () => {
    const limited = desiredCadences({ ...base, riskTier: 'limited' }, 'UTC');
    const plan = planReconcile(
      limited,
      specs.map((s) => ({ id: s.id, calendar: s.calendar })),
    );
    expect(plan).toEqual({ create: [], update: [], remove: [`high-risk-review:${base.id}`] });
  });

  it('a changed go-live date updates the AIIA schedule', () => {
    const moved = desiredCadences({ ...base, goLiveDate: '2026-05-01' }, 'UTC');
    const plan = planReconcile(
      moved,
      specs.map((s) => ({ id: s.id, calendar: s.calendar })),
    );
    expect(plan.update.map((s) => s.id)).toEqual([`aiia:${base.id}`]);
    expect(plan.create).toEqual([]);
  });

  it('nothing to do when Temporal already matches', () => {
    expect(
      planReconcile(
        specs,
        specs.map((s) => ({ id: s.id, calendar: s.calendar })),
      ),
    ).toEqual({ create: [], update: [], remove: [] });
  });
});

describe('next run times', () => {
  it('quarterly: the next four quarter starts', () => {
    const rule = desiredCadences(base, 'UTC')[0].calendar;
    expect(nextRunTimes(rule, new Date('2026-11-23T08:00:00Z'), 4).map((d) => d.toISOString())).toEqual([
      '2027-01-01T00:00:00.000Z',
      '2027-04-01T00:00:00.000Z',
      '2027-07-01T00:00:00.000Z',
      '2027-10-01T00:00:00.000Z',
    ]);
  });

  it('yearly in a zone with DST', () => {
    // 28 March is still winter time in 2027 (DST starts that night) but summer time in 2028.
    const rule = { months: [3], dayOfMonth: 28, hour: 0, minute: 0, timeZone: 'Europe/Berlin' };
    expect(nextRunTimes(rule, new Date('2026-11-23T08:00:00Z'), 2).map((d) => d.toISOString())).toEqual([
      '2027-03-27T23:00:00.000Z',
      '2028-03-27T22:00:00.000Z',
    ]);
  });
});

describe('cycle periods and due dates', () => {
  it('a quarterly review opened with its quarter is due 30 days later', () => {
    const c = cyclePeriod('high-risk-review', new Date('2026-10-01T00:00:00Z'), 'UTC');
    expect(c.period.key).toBe('2026-Q4');
    expect(c.dueAt.toISOString()).toBe('2026-10-31T00:00:00.000Z');
  });

  it('a review opened late (mid-quarter trigger, new system) gets 30 days from its opening', () => {
    const c = cyclePeriod('high-risk-review', new Date('2026-11-23T08:00:00Z'), 'UTC');
    expect(c.period.key).toBe('2026-Q4');
    expect(c.opensAt.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(c.dueAt.toISOString()).toBe('2026-12-23T08:00:00.000Z');
    // A Schedule firing a little late keeps the rule's due time.
    const late = cyclePeriod('high-risk-review', new Date('2026-10-01T00:00:05.137Z'), 'UTC');
    expect(late.dueAt.toISOString()).toBe('2026-10-31T00:00:00.000Z');
  });

  it('a yearly AIIA is due 30 days after its run', () => {
    const c = cyclePeriod('aiia', new Date('2027-03-15T00:00:00Z'), 'UTC');
    expect(c.period.key).toBe('2027');
    expect(c.dueAt.toISOString()).toBe('2027-04-14T00:00:00.000Z');
  });

  it('the go-live AIIA is due within 30 days of go-live', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    expect(goLiveAiiaDue('2026-12-01', now, 'UTC').toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(goLiveAiiaDue('2026-11-20', now, 'UTC').toISOString()).toBe('2026-12-20T00:00:00.000Z');
    // Registered long after go-live: 30 days from now rather than born overdue.
    expect(goLiveAiiaDue('2025-01-01', now, 'UTC').toISOString()).toBe('2026-12-23T08:00:00.000Z');
  });
});

describe('the yearly AIIA never opens before the first anniversary of go-live', () => {
  const AMS = 'Europe/Amsterdam';
  it('first run: local midnight on the first anniversary of go-live', () => {
    expect(firstYearlyAiiaAt(base, AMS)?.toISOString()).toBe('2027-03-14T23:00:00.000Z'); // 15 March 2027 00:00 CET
    expect(firstYearlyAiiaAt({ ...base, goLiveDate: '2026-07-01' }, AMS)?.toISOString()).toBe('2027-06-30T22:00:00.000Z');
  });

  it('a go-live date in the future: nothing before go-live, nothing in the go-live year', () => {
    const future = { ...base, goLiveDate: '2027-06-15', lifecycleStage: 'verification_and_validation' as const };
    for (const at of ['2026-12-01T00:00:00Z', '2027-06-14T22:00:00Z', '2028-01-01T00:00:00Z', '2028-06-14T21:59:59.999Z']) {
      expect({ at, opens: yearlyAiiaOpens(future, new Date(at), AMS) }).toEqual({ at, opens: false });
    }
    expect(yearlyAiiaOpens(future, new Date('2028-06-14T22:00:00Z'), AMS)).toBe(true);
    expect(yearlyAiiaOpens(future, new Date('2031-06-14T22:00:00Z'), AMS)).toBe(true);
  });

  it('a system registered already live without a go-live date counts from its registration day', () => {
    const live = { ...base, goLiveDate: null };
    expect(firstYearlyAiiaAt(live, 'UTC')?.toISOString()).toBe('2027-11-01T00:00:00.000Z');
    expect(yearlyAiiaOpens(live, new Date('2026-11-01T00:00:00Z'), 'UTC')).toBe(false);
  });

  it('a system not yet live with no go-live date owes none', () => {
    for (const lifecycleStage of ['inception', 'design_and_development', 'verification_and_validation', 'deployment'] as const) {
      expect(firstYearlyAiiaAt({ ...base, goLiveDate: null, lifecycleStage }, 'UTC')).toBeUndefined();
      expect(yearlyAiiaOpens({ ...base, goLiveDate: null, lifecycleStage }, new Date('2040-01-01T00:00:00Z'), 'UTC')).toBe(false);
      expect(yearlyAiiaStartAt({ ...base, goLiveDate: null, lifecycleStage }, 'UTC')).toBeUndefined();
    }
  });

  it('a 29 February go-live: first anniversary 28 February in a common year, 29 February in a leap year', () => {
    expect(firstYearlyAiiaAt({ ...base, goLiveDate: '2028-02-29' }, AMS)?.toISOString()).toBe('2029-02-27T23:00:00.000Z');
    expect(firstYearlyAiiaAt({ ...base, goLiveDate: '2031-02-28' }, AMS)?.toISOString()).toBe('2032-02-27T23:00:00.000Z');
    const leap = { ...base, goLiveDate: '2028-02-29' };
    const [aiia] = desiredCadences(leap, AMS).filter((c) => c.kind === 'aiia');
    // The Schedule starts 1 March 2028: its runs are 28 Feb 2029, 2030, 2031, then 29 Feb 2032.
    expect(aiia.startAt?.toISOString()).toBe('2028-02-29T23:00:00.000Z');
    expect(nextRunTimes(aiia.calendar, aiia.startAt!, 4).map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2029-02-27',
      '2030-02-27',
      '2031-02-27',
      '2032-02-28',
    ]);
  });

  it('the Schedule starts the day after go-live, local midnight, so its first run is the first anniversary', () => {
    const [aiia] = desiredCadences(base, AMS).filter((c) => c.kind === 'aiia');
    expect(aiia.startAt?.toISOString()).toBe('2026-03-15T23:00:00.000Z'); // 16 March 2026 00:00 CET
    expect(nextRunTimes(aiia.calendar, aiia.startAt!, 1)[0].toISOString()).toBe(firstYearlyAiiaAt(base, AMS)!.toISOString());
  });
});

describe('the initial AIIA of a system registered already live', () => {
  const live = { ...base, goLiveDate: null };
  it('in operation (or re-evaluation) with no go-live date and no AIIA on record', () => {
    expect(isOperatingStage('operation_and_monitoring')).toBe(true);
    expect(isOperatingStage('re_evaluation')).toBe(true);
    expect(isOperatingStage('deployment')).toBe(false);
    expect(needsInitialAiia(live, false)).toBe(true);
    expect(needsInitialAiia({ ...live, lifecycleStage: 're_evaluation' }, false)).toBe(true);
  });

  it('not with an AIIA on record, a go-live date (the go-live AIIA), before operation, retired or prohibited', () => {
    expect(needsInitialAiia(live, true)).toBe(false);
    expect(needsInitialAiia(base, false)).toBe(false);
    expect(needsInitialAiia({ ...live, lifecycleStage: 'design_and_development' }, false)).toBe(false);
    expect(needsInitialAiia({ ...live, lifecycleStage: 'retirement' }, false)).toBe(false);
    expect(needsInitialAiia({ ...live, riskTier: 'unacceptable' }, false)).toBe(false);
  });

  it('due 30 calendar days after registration, at the same local time; found later, 30 days from then', () => {
    const registered = new Date('2026-10-20T08:00:00Z'); // 10:00 CEST
    expect(initialAiiaDue(registered, registered, 'Europe/Amsterdam').toISOString()).toBe('2026-11-19T09:00:00.000Z'); // 10:00 CET
    const later = new Date('2026-12-01T12:00:00Z');
    expect(initialAiiaDue(registered, later, 'Europe/Amsterdam').toISOString()).toBe('2026-12-31T12:00:00.000Z');
  });

  it('work opened at once (a significant change) is due 30 calendar days after its opening', () => {
    expect(dueAfterOpening('aiia', new Date('2027-03-20T01:00:00Z'), 'Australia/Sydney').toISOString()).toBe('2027-04-19T02:00:00.000Z');
  });
});

describe('KPI formulas', () => {
  it('coverage and rework', () => {
    expect(coveragePercent(3, 4)).toBe(75);
    expect(coveragePercent(1, 3)).toBe(33.3);
    expect(coveragePercent(0, 0)).toBe(100);
    expect(reworkPercent(1, 4)).toBe(25);
    expect(reworkPercent(0, 0)).toBe(0);
  });
});
