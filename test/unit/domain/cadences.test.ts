import {
  aiiaAnniversary,
  cadenceId,
  coveragePercent,
  cyclePeriod,
  desiredCadences,
  goLiveAiiaDue,
  InventoryEntry,
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

describe('KPI formulas', () => {
  it('coverage and rework', () => {
    expect(coveragePercent(3, 4)).toBe(75);
    expect(coveragePercent(1, 3)).toBe(33.3);
    expect(coveragePercent(0, 0)).toBe(100);
    expect(reworkPercent(1, 4)).toBe(25);
    expect(reworkPercent(0, 0)).toBe(0);
  });
});
