/** Pure shaping of the cycle and overdue reports from read-model aggregates. */
import { coveragePercent, DAY_MS, ESCALATION_LEVELS } from '../../../libs/domain';

export const CADENCE_LABELS = ['quarterly', 'yearly', 'go-live', 'once'] as const;
export type CadenceLabel = (typeof CADENCE_LABELS)[number];

/** How often work of a period recurs, read from its key: 2026-Q4, 2026, go-live. */
export function cadenceOfPeriod(period: string): CadenceLabel {
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarterly';
  if (/^\d{4}$/.test(period)) return 'yearly';
  if (period === 'go-live') return 'go-live';
  return 'once';
}

export interface CycleGroup {
  kind: string;
  period: string;
  open: number;
  submitted: number;
  approved: number;
  /** Work no longer owed (its system was retired): neither done nor missing. */
  cancelled?: number;
  overdue: number;
}

export interface CycleReportRow {
  kind: string;
  period: string;
  cadence: CadenceLabel;
  open: number;
  submitted: number;
  approved: number;
  overdue: number;
  /** Work of the cycle: open + submitted + approved (cancelled work is not counted). */
  total: number;
  /** Cancelled work (a retired system's): apart from done work, and never expected. */
  cancelled: number;
  /** What 100% means: for the current quarter's high-risk reviews, every in-scope high system. */
  expected: number;
  coveragePercent: number;
}

/**
 * Adds `expected` and coverage. The current quarter's high-risk-review row expects one review per
 * in-scope high-risk system now, so a missing review shows as a gap (a row is added when no
 * review of the quarter has opened yet), unless the filters exclude it.
 */
export function cycleReport(
  groups: CycleGroup[],
  ctx: { currentQuarter: string; highSystemsInScope: number; kind?: string; period?: string },
): CycleReportRow[] {
  const rows = groups.map((g) => {
    const total = g.open + g.submitted + g.approved;
    const isCurrentHigh = g.kind === 'high-risk-review' && g.period === ctx.currentQuarter;
    const expected = isCurrentHigh ? Math.max(total, ctx.highSystemsInScope) : total;
    return {
      kind: g.kind,
      period: g.period,
      cadence: cadenceOfPeriod(g.period),
      open: g.open,
      submitted: g.submitted,
      approved: g.approved,
      overdue: g.overdue,
      total,
      cancelled: g.cancelled ?? 0,
      expected,
      coveragePercent: coveragePercent(g.approved, expected),
    };
  });
  const wantsCurrentHigh =
    (ctx.kind === undefined || ctx.kind === 'high-risk-review') && (ctx.period === undefined || ctx.period === ctx.currentQuarter);
  if (
    wantsCurrentHigh &&
    ctx.highSystemsInScope > 0 &&
    !rows.some((r) => r.kind === 'high-risk-review' && r.period === ctx.currentQuarter)
  ) {
    rows.push({
      kind: 'high-risk-review',
      period: ctx.currentQuarter,
      cadence: 'quarterly',
      open: 0,
      submitted: 0,
      approved: 0,
      overdue: 0,
      total: 0,
      cancelled: 0,
      expected: ctx.highSystemsInScope,
      coveragePercent: coveragePercent(0, ctx.highSystemsInScope),
    });
  }
  return rows.sort((a, b) => (a.period === b.period ? a.kind.localeCompare(b.kind) : b.period.localeCompare(a.period)));
}

export interface OverdueTaskRow {
  id: string;
  kind: string;
  title: string;
  state: string;
  ownerId: string;
  ownerName: string | null;
  ownerEmail: string | null;
  escalationLevel: number;
  dueAt: Date;
}

export interface LevelCount {
  escalationLevel: number;
  level: string;
  count: number;
}

export interface OverdueReport {
  asOf: string;
  total: number;
  byLevel: LevelCount[];
  byOwner: {
    ownerId: string;
    ownerName: string | null;
    ownerEmail: string | null;
    total: number;
    highestEscalationLevel: number;
    oldestDueAt: string;
    byLevel: LevelCount[];
    tasks: { taskId: string; kind: string; title: string; state: string; dueAt: string; daysOverdue: number; escalationLevel: number }[];
  }[];
}

function levelName(n: number): string {
  return ESCALATION_LEVELS[n] ?? `level-${n}`;
}

function countLevels(levels: number[]): LevelCount[] {
  const m = new Map<number, number>();
  for (const l of levels) m.set(l, (m.get(l) ?? 0) + 1);
  return [...m.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([escalationLevel, count]) => ({ escalationLevel, level: levelName(escalationLevel), count }));
}

/** Overdue work grouped by owner (most escalated, then most overdue first) and by escalation level. */
export function overdueReport(rows: OverdueTaskRow[], now: Date): OverdueReport {
  const owners = new Map<string, OverdueTaskRow[]>();
  for (const r of rows) {
    // Push, not spread: copying an owner's list per row made the report quadratic in their overdue work.
    const list = owners.get(r.ownerId);
    if (list) list.push(r);
    else owners.set(r.ownerId, [r]);
  }
  const byOwner = [...owners.entries()].map(([ownerId, tasks]) => {
    const sorted = [...tasks].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    return {
      ownerId,
      ownerName: sorted[0].ownerName,
      ownerEmail: sorted[0].ownerEmail,
      total: sorted.length,
      highestEscalationLevel: Math.max(...sorted.map((t) => t.escalationLevel)),
      oldestDueAt: sorted[0].dueAt.toISOString(),
      byLevel: countLevels(sorted.map((t) => t.escalationLevel)),
      tasks: sorted.map((t) => ({
        taskId: t.id,
        kind: t.kind,
        title: t.title,
        state: t.state,
        dueAt: t.dueAt.toISOString(),
        daysOverdue: Math.floor((now.getTime() - t.dueAt.getTime()) / DAY_MS),
        escalationLevel: t.escalationLevel,
      })),
    };
  });
  byOwner.sort(
    (a, b) =>
      b.highestEscalationLevel - a.highestEscalationLevel ||
      a.oldestDueAt.localeCompare(b.oldestDueAt) ||
      a.ownerId.localeCompare(b.ownerId),
  );
  return { asOf: now.toISOString(), total: rows.length, byLevel: countLevels(rows.map((r) => r.escalationLevel)), byOwner };
}
