import { cadenceOfPeriod, cycleReport, overdueReport } from '../../../apps/api/status/cycles';

const g = (
  kind: string,
  period: string,
  c: Partial<{ open: number; submitted: number; approved: number; cancelled: number; overdue: number }> = {},
) => ({
  kind,
  period,
  open: 0,
  submitted: 0,
  approved: 0,
  overdue: 0,
  ...c,
});

describe('cadence of a period key', () => {
  it.each([
    ['2026-Q4', 'quarterly'],
    ['2026', 'yearly'],
    ['go-live', 'go-live'],
    ['incident-7', 'once'],
  ])('%s -> %s', (p, c) => expect(cadenceOfPeriod(p)).toBe(c));
});

describe('cycle report', () => {
  const ctx = { currentQuarter: '2026-Q1', highSystemsInScope: 4 };

  it('expects every in-scope high system to be reviewed this quarter', () => {
    const [row] = cycleReport([g('high-risk-review', '2026-Q1', { open: 1, approved: 2, overdue: 1 })], ctx);
    expect(row).toEqual({
      kind: 'high-risk-review',
      period: '2026-Q1',
      cadence: 'quarterly',
      open: 1,
      submitted: 0,
      approved: 2,
      overdue: 1,
      total: 3,
      cancelled: 0,
      expected: 4,
      coveragePercent: 50,
    });
  });

  it('counts cancelled work (a retired system) apart: neither done, nor in the total, nor expected', () => {
    // Four in-scope high systems; a fifth was retired and its review cancelled.
    const [row] = cycleReport([g('high-risk-review', '2026-Q1', { open: 2, approved: 2, cancelled: 1 })], ctx);
    expect(row).toMatchObject({ approved: 2, open: 2, cancelled: 1, total: 4, expected: 4, coveragePercent: 50 });
    const past = cycleReport([g('aiia', 'go-live', { approved: 1, cancelled: 3 })], ctx);
    expect(past[0]).toMatchObject({ approved: 1, cancelled: 3, total: 1, expected: 1, coveragePercent: 100 });
    const gap = cycleReport([], ctx);
    expect(gap[0]).toMatchObject({ cancelled: 0 });
  });

  it('past quarters and other kinds expect what was opened', () => {
    const rows = cycleReport([g('high-risk-review', '2025-Q4', { approved: 3 }), g('aiia', '2026', { approved: 1, submitted: 1 })], ctx);
    expect(rows.find((r) => r.period === '2025-Q4')).toMatchObject({ total: 3, expected: 3, coveragePercent: 100 });
    expect(rows.find((r) => r.kind === 'aiia')).toMatchObject({ cadence: 'yearly', total: 2, expected: 2, coveragePercent: 50 });
  });

  it('shows the current quarter as a gap when no review opened yet, unless filtered out', () => {
    expect(cycleReport([], ctx)).toEqual([expect.objectContaining({ period: '2026-Q1', total: 0, expected: 4, coveragePercent: 0 })]);
    expect(cycleReport([], { ...ctx, kind: 'aiia' })).toEqual([]);
    expect(cycleReport([], { ...ctx, period: '2025-Q4' })).toEqual([]);
    expect(cycleReport([], { ...ctx, highSystemsInScope: 0 })).toEqual([]);
  });

  it('never expects fewer than were opened (systems reclassified mid-quarter)', () => {
    const [row] = cycleReport([g('high-risk-review', '2026-Q1', { approved: 6 })], ctx);
    expect(row).toMatchObject({ expected: 6, coveragePercent: 100 });
  });

  it('sorts newest period first', () => {
    const rows = cycleReport([g('aiia', '2025'), g('high-risk-review', '2026-Q1'), g('aiia', 'go-live')], ctx);
    expect(rows.map((r) => r.period)).toEqual(['go-live', '2026-Q1', '2025']);
  });
});

describe('overdue report', () => {
  const now = new Date('2026-02-20T12:00:00Z');
  const t = (id: string, ownerId: string, level: number, due: string) => ({
    id,
    kind: 'high-risk-review',
    title: id,
    state: 'open',
    ownerId,
    ownerName: ownerId.toUpperCase(),
    ownerEmail: `${ownerId}@x.test`,
    escalationLevel: level,
    dueAt: new Date(due),
  });

  it('groups by owner and escalation level, most escalated owner first', () => {
    const r = overdueReport(
      [t('a1', 'ann', 0, '2026-02-18T00:00:00Z'), t('b1', 'bob', 2, '2026-02-10T00:00:00Z'), t('a2', 'ann', 1, '2026-02-15T00:00:00Z')],
      now,
    );
    expect(r.total).toBe(3);
    expect(r.byLevel).toEqual([
      { escalationLevel: 2, level: 'governance_lead', count: 1 },
      { escalationLevel: 1, level: 'manager', count: 1 },
      { escalationLevel: 0, level: 'owner', count: 1 },
    ]);
    expect(r.byOwner.map((o) => o.ownerId)).toEqual(['bob', 'ann']);
    expect(r.byOwner[1]).toMatchObject({ total: 2, highestEscalationLevel: 1, oldestDueAt: '2026-02-15T00:00:00.000Z' });
    expect(r.byOwner[1].tasks.map((x) => [x.taskId, x.daysOverdue])).toEqual([
      ['a2', 5],
      ['a1', 2],
    ]);
  });

  it('is empty when nothing is overdue', () => {
    expect(overdueReport([], now)).toEqual({ asOf: now.toISOString(), total: 0, byLevel: [], byOwner: [] });
  });
});
