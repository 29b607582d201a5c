/**
 * The organisation-wide cadences (ISO/IEC 42001 9.2, 9.3, A.2.4, and the inventory's
 * recertification): one Temporal Schedule each, `org:<kind>`, firing on the first day of
 * its months at local midnight in the organisation's zone. Each run opens that period's
 * round: a composite workflow `<kind>:<period>` (an audit programme, a management review,
 * the policy reviews, the recertification of every owner's systems).
 */
import { CalendarRule } from './cadences';
import { zonedParts, zonedTimeToInstant } from './time';

export const ORG_CADENCE_KINDS = ['internal-audit', 'management-review', 'policy-review', 'inventory-recertification'] as const;
export type OrgCadenceKind = (typeof ORG_CADENCE_KINDS)[number];

/** The intervals (months between runs) each cadence allows; a refused interval names these. */
export const ORG_CADENCE_INTERVALS: Record<OrgCadenceKind, readonly number[]> = {
  // 9.2: at planned intervals; certification bodies expect at least one full programme a year.
  'internal-audit': [6, 12],
  // 9.3: at planned intervals (default yearly).
  'management-review': [3, 4, 6, 12],
  // AIMS-DOMAIN: policies are reviewed yearly (a major change opens one at once besides).
  'policy-review': [6, 12],
  // "The AIMS ages within six months": never less often than every six months.
  'inventory-recertification': [1, 2, 3, 6],
};

export interface OrgCadenceSetting {
  /** Months between runs, one of ORG_CADENCE_INTERVALS[kind]. */
  intervalMonths: number;
  /** The month (1-12) of the first run in a calendar year; later runs follow every interval. */
  startMonth: number;
}

/** Defaults: the audit programme in September, the management review after it in November. */
export const ORG_CADENCE_DEFAULTS: Record<OrgCadenceKind, OrgCadenceSetting> = {
  'internal-audit': { intervalMonths: 12, startMonth: 9 },
  'management-review': { intervalMonths: 12, startMonth: 11 },
  'policy-review': { intervalMonths: 12, startMonth: 1 },
  'inventory-recertification': { intervalMonths: 6, startMonth: 1 },
};

export const ORG_CADENCE_DESCRIPTIONS: Record<OrgCadenceKind, string> = {
  'internal-audit': 'Internal audit programme (ISO/IEC 42001 9.2)',
  'management-review': 'Management review (ISO/IEC 42001 9.3)',
  'policy-review': 'Review of every AI policy (ISO/IEC 42001 A.2.4)',
  'inventory-recertification': 'Recertification of the AI system inventory by every owner',
};

const ORG_PREFIX = 'org:';

/** The Schedule id (and cadence id of the API) of an org-wide cadence. */
export function orgCadenceId(kind: OrgCadenceKind): string {
  return `${ORG_PREFIX}${kind}`;
}

export function parseOrgCadenceId(id: string): OrgCadenceKind | undefined {
  if (!id.startsWith(ORG_PREFIX)) return undefined;
  const kind = id.slice(ORG_PREFIX.length) as OrgCadenceKind;
  return ORG_CADENCE_KINDS.includes(kind) ? kind : undefined;
}

/** What is wrong with a setting for this kind (empty when it is allowed). */
export function orgCadenceSettingProblems(kind: OrgCadenceKind, s: Partial<OrgCadenceSetting>): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const allowed = ORG_CADENCE_INTERVALS[kind];
  if (s.intervalMonths !== undefined && !allowed.includes(s.intervalMonths)) {
    out.push({ field: 'intervalMonths', message: `intervalMonths of ${kind} must be one of ${allowed.join(', ')} (months between runs)` });
  }
  if (s.startMonth !== undefined && !(Number.isInteger(s.startMonth) && s.startMonth >= 1 && s.startMonth <= 12)) {
    out.push({ field: 'startMonth', message: 'startMonth must be an integer from 1 (January) to 12 (December)' });
  }
  return out;
}

/** The months (1-12, ascending) a setting runs in: the start month and every interval after it. */
export function orgCadenceMonths(s: OrgCadenceSetting): number[] {
  const months = new Set<number>();
  for (let i = 0; i < 12; i += s.intervalMonths) months.add(((s.startMonth - 1 + i) % 12) + 1);
  return [...months].sort((a, b) => a - b);
}

/** The Schedule's calendar: local midnight on the 1st of each of its months. */
export function orgCadenceCalendar(s: OrgCadenceSetting, timeZone: string): CalendarRule {
  return { months: orgCadenceMonths(s), dayOfMonth: 1, hour: 0, minute: 0, timeZone };
}

export interface OrgPeriod {
  /** `2026` for a yearly cadence; `2026-07` (the opening month) for a shorter one. */
  key: string;
  /** Local midnight on the 1st of the period's opening month. */
  opensAt: Date;
  /** The next period's opening. */
  endsAt: Date;
}

/**
 * The period a run at `at` belongs to: the latest opening (a run month's 1st, local midnight) at
 * or before `at`. A trigger in December of a six-monthly cadence starting in January is the
 * July period's run; a yearly September cadence triggered in February 2027 is 2026's.
 */
export function orgPeriodOf(s: OrgCadenceSetting, at: Date, timeZone: string): OrgPeriod {
  const months = orgCadenceMonths(s);
  const { year } = zonedParts(at, timeZone);
  const openings: Date[] = [];
  for (const y of [year - 1, year, year + 1]) for (const m of months) openings.push(zonedTimeToInstant(y, m, 1, 0, 0, timeZone));
  openings.sort((a, b) => a.getTime() - b.getTime());
  let i = openings.length - 1;
  while (i > 0 && openings[i].getTime() > at.getTime()) i--;
  const opensAt = openings[i];
  const endsAt = openings[i + 1];
  const p = zonedParts(opensAt, timeZone);
  const key = s.intervalMonths === 12 ? String(p.year) : `${p.year}-${String(p.month).padStart(2, '0')}`;
  return { key, opensAt, endsAt };
}
