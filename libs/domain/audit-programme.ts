/**
 * ISO/IEC 42001 clause 9.2 as rules: what an internal audit programme must cover (the audit
 * criteria: clauses 4-10 and every Annex A control applicable in the SoA), how findings are
 * graded, and when a plan is refused: a criterion left out, an unknown one, an auditor who is
 * not independent of what they audit (they own it, or they submitted work that evidences it in
 * the programme's period). Pure: safe inside workflows.
 */
import { ANNEX_A_CONTROLS } from './annex-a';
import type { TaskKind } from './cadences';
import type { NonconformityGrade } from './corrective-action';
import { FormSubmission, submissionShapeProblems } from './forms';

/** The auditable requirements of ISO/IEC 42001:2023, in its own numbering and titles. */
export const AIMS_CLAUSES: ReadonlyArray<{ id: string; title: string }> = [
  { id: '4', title: 'Context of the organization' },
  { id: '5', title: 'Leadership' },
  { id: '6', title: 'Planning' },
  { id: '7', title: 'Support' },
  { id: '8', title: 'Operation' },
  { id: '9', title: 'Performance evaluation' },
  { id: '10', title: 'Improvement' },
];

const CLAUSE_IDS = new Set(AIMS_CLAUSES.map((c) => c.id));

export function isAimsClause(id: string): boolean {
  return CLAUSE_IDS.has(id);
}

/** The shape of a clause id (`4` to `10`): anything else is a 400, never a 404. */
export const CLAUSE_ID_PATTERN = '^(?:[4-9]|10)$';

export const AUDIT_FINDING_GRADES = ['conformity', 'minor-nonconformity', 'major-nonconformity', 'observation'] as const;
export type AuditFindingGrade = (typeof AUDIT_FINDING_GRADES)[number];

/** The grade of the nonconformity a finding raises (10.2), or undefined when it raises none. */
export function nonconformityGradeOf(grade: AuditFindingGrade): NonconformityGrade | undefined {
  if (grade === 'minor-nonconformity') return 'minor';
  if (grade === 'major-nonconformity') return 'major';
  return undefined;
}

/** One audit criterion of a programme: a clause or an applicable control, with its owner. */
export interface AuditCriterion {
  id: string;
  title: string;
  type: 'clause' | 'control';
  ownerId: string | null;
}

/** A criterion's title: a clause's or a control's, undefined when it is neither. */
export function criterionTitle(id: string): string | undefined {
  return AIMS_CLAUSES.find((c) => c.id === id)?.title ?? ANNEX_A_CONTROLS.find((c) => c.id === id)?.title;
}

/**
 * The criteria a programme must cover: every clause 4-10, then every control the SoA holds
 * applicable (an excluded or undecided control is no criterion), in the standard's order.
 */
export function auditCriteria(
  clauseOwners: ReadonlyMap<string, string | null>,
  applicableControls: ReadonlyArray<{ controlId: string; ownerId: string | null }>,
): AuditCriterion[] {
  const applicable = new Map(applicableControls.map((c) => [c.controlId, c.ownerId]));
  return [
    ...AIMS_CLAUSES.map((c) => ({ id: c.id, title: c.title, type: 'clause' as const, ownerId: clauseOwners.get(c.id) ?? null })),
    ...ANNEX_A_CONTROLS.filter((c) => applicable.has(c.id)).map((c) => ({
      id: c.id,
      title: c.title,
      type: 'control' as const,
      ownerId: applicable.get(c.id) ?? null,
    })),
  ];
}

/**
 * Which criteria each kind of submitted work evidences: whoever submitted such work in the
 * programme's period audits their own work there, so may not audit those criteria.
 * - an AI impact assessment: clause 8 (8.4 AI system impact assessment) and A.5 (assessing impacts);
 * - a high-risk review: clause 9 (9.1 monitoring, measurement, analysis and evaluation) and
 *   A.6.2.6 (AI system operation and monitoring);
 * - a corrective-action step: clause 10 (10.2 nonconformity and corrective action);
 * - an incident report: A.8.4 (communication of incidents) and A.3.3 (reporting of concerns);
 *   a regulatory report also A.8.3 (external reporting);
 * - a policy review: A.2.2 (AI policy) and A.2.4 (review of the AI policy);
 * - a management review or its decided actions: clause 9 (9.3) and clause 10 (10.1);
 * - an inventory recertification: A.4.2 (resource documentation).
 * The audit programme's own work (plan, audits, report) evidences 9.2, which the auditors of
 * the programme in progress cannot help being part of; it is left out.
 */
export const CRITERIA_EVIDENCED_BY: Partial<Record<TaskKind, readonly string[]>> = {
  aiia: ['8', 'A.5.2', 'A.5.3', 'A.5.4', 'A.5.5'],
  'high-risk-review': ['9', 'A.6.2.6'],
  'corrective-action-step': ['10'],
  'incident-report': ['A.8.4', 'A.3.3'],
  'regulatory-report': ['A.8.3', 'A.8.4', 'A.3.3'],
  'policy-review': ['A.2.2', 'A.2.4'],
  'management-review': ['9', '10'],
  'management-review-action': ['10'],
  'inventory-recertification': ['A.4.2'],
};

/** The task kinds whose submissions bar an auditor from a criterion. */
export function kindsEvidencing(criterionId: string): TaskKind[] {
  return (Object.keys(CRITERIA_EVIDENCED_BY) as TaskKind[]).filter((k) => CRITERIA_EVIDENCED_BY[k]!.includes(criterionId));
}

export interface PlannedAudit {
  auditorId: string;
  criteria: string[];
  /** ISO instant. */
  dueAt: string;
}

/** What a plan is checked against, loaded when it is made. */
export interface AuditUniverse {
  criteria: AuditCriterion[];
  /** The people named as auditors that exist, active or not. */
  people: ReadonlyArray<{ id: string; name: string; active: boolean }>;
  /** Work submitted in the programme's period by the people named as auditors. */
  submittedWork: ReadonlyArray<{ taskId: string; kind: TaskKind; submittedBy: string }>;
}

export type PlanProblemCode = 'missing-criterion' | 'unknown-criterion' | 'unknown-auditor' | 'inactive-auditor' | 'owner' | 'submitter';

export interface PlanProblem {
  code: PlanProblemCode;
  message: string;
  criterionId?: string;
  auditorId?: string;
}

/**
 * Why a plan is refused (empty when it holds): each criterion no audit covers, each criterion
 * that is not one of the programme's, each auditor unknown or deactivated, and each auditor who
 * owns a criterion they audit or submitted work in the period that evidences it (9.2: auditors
 * are objective and impartial; they never audit their own work).
 */
export function planProblems(plan: ReadonlyArray<PlannedAudit>, universe: AuditUniverse): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const criteria = new Map(universe.criteria.map((c) => [c.id, c]));
  const people = new Map(universe.people.map((p) => [p.id, p]));
  const covered = new Set(plan.flatMap((a) => a.criteria));
  for (const c of universe.criteria) {
    if (!covered.has(c.id)) {
      const what = c.type === 'clause' ? `clause ${c.id} (${c.title})` : `${c.id} (${c.title})`;
      problems.push({ code: 'missing-criterion', criterionId: c.id, message: `${what} is not covered by any audit` });
    }
  }
  for (const id of [...covered].filter((id) => !criteria.has(id))) {
    const title = criterionTitle(id);
    problems.push({
      code: 'unknown-criterion',
      criterionId: id,
      message: title
        ? `${id} (${title}) is not an audit criterion of this programme: the SoA does not hold it applicable`
        : `${id} is neither a clause 4-10 nor an Annex A control`,
    });
  }
  plan.forEach((audit, i) => {
    const n = i + 1;
    const person = people.get(audit.auditorId);
    if (!person) {
      problems.push({
        code: 'unknown-auditor',
        auditorId: audit.auditorId,
        message: `audit ${n}: auditor ${audit.auditorId} does not exist`,
      });
      return;
    }
    if (!person.active) {
      problems.push({
        code: 'inactive-auditor',
        auditorId: audit.auditorId,
        message: `audit ${n}: auditor ${person.name} (${person.id}) is deactivated`,
      });
    }
    for (const criterionId of audit.criteria) {
      const c = criteria.get(criterionId);
      if (!c) continue;
      if (c.ownerId === audit.auditorId) {
        problems.push({
          code: 'owner',
          criterionId,
          auditorId: audit.auditorId,
          message: `audit ${n}: ${person.name} (${person.id}) owns ${criterionId} and may not audit it`,
        });
        continue;
      }
      const kinds = kindsEvidencing(criterionId);
      const own = universe.submittedWork.find((w) => w.submittedBy === audit.auditorId && kinds.includes(w.kind));
      if (own) {
        problems.push({
          code: 'submitter',
          criterionId,
          auditorId: audit.auditorId,
          message: `audit ${n}: ${person.name} (${person.id}) submitted ${own.taskId} (${own.kind}), which evidences ${criterionId}, and may not audit it`,
        });
      }
    }
  });
  return problems;
}

/** The shape of a plan (before the universe is read): empty when it holds. */
export function planShapeProblems(plan: unknown, now: Date): string[] {
  if (!Array.isArray(plan) || plan.length === 0) return ['a plan needs at least one audit'];
  const out: string[] = [];
  plan.forEach((a: Partial<PlannedAudit> | null, i) => {
    const n = i + 1;
    if (!a || typeof a !== 'object') return void out.push(`audit ${n} is not an object`);
    if (typeof a.auditorId !== 'string' || !a.auditorId.trim()) out.push(`audit ${n} needs an auditorId`);
    if (!Array.isArray(a.criteria) || a.criteria.length === 0 || !a.criteria.every((c) => typeof c === 'string'))
      out.push(`audit ${n} needs a list of criteria`);
    else if (new Set(a.criteria).size !== a.criteria.length) out.push(`audit ${n} names a criterion twice`);
    const due = typeof a.dueAt === 'string' ? Date.parse(a.dueAt) : NaN;
    if (Number.isNaN(due)) out.push(`audit ${n} needs a dueAt instant`);
    else if (due <= now.getTime()) out.push(`audit ${n} is due at ${a.dueAt}, which is not in the future`);
  });
  return out;
}

export interface FindingInput {
  criterionId: string;
  grade: AuditFindingGrade;
  summary: string;
  evidenceUrls?: string[];
  /** The answers to the `audit-finding` form, checked by the API, with the form's version. */
  submission?: FormSubmission;
}

/** Why an audit's findings are refused (empty when each of its criteria has exactly one finding). */
export function findingsProblems(criteria: readonly string[], findings: unknown): string[] {
  if (!Array.isArray(findings) || findings.length === 0) return ['findings are required, one per criterion of the audit'];
  const out: string[] = [];
  const seen = new Map<string, number>();
  findings.forEach((f: Partial<FindingInput> | null, i) => {
    if (!f || typeof f !== 'object' || typeof f.criterionId !== 'string') return void out.push(`finding ${i + 1} names no criterionId`);
    seen.set(f.criterionId, (seen.get(f.criterionId) ?? 0) + 1);
    if (!criteria.includes(f.criterionId)) out.push(`${f.criterionId} is not a criterion of this audit (${criteria.join(', ')})`);
    if (!(AUDIT_FINDING_GRADES as readonly string[]).includes(f.grade as string))
      out.push(`the finding on ${f.criterionId} needs a grade: one of ${AUDIT_FINDING_GRADES.join(', ')}`);
    if (typeof f.summary !== 'string' || !f.summary.trim()) out.push(`the finding on ${f.criterionId} needs a summary`);
    if (f.evidenceUrls !== undefined && (!Array.isArray(f.evidenceUrls) || !f.evidenceUrls.every((u) => typeof u === 'string')))
      out.push(`the evidenceUrls of the finding on ${f.criterionId} must be a list of strings`);
    if (f.submission !== undefined)
      for (const p of submissionShapeProblems(f.submission, 'audit-finding')) out.push(`the finding on ${f.criterionId}: ${p}`);
  });
  const missing = criteria.filter((c) => !seen.has(c));
  if (missing.length) out.push(`no finding for ${missing.join(', ')}: every criterion of the audit needs exactly one`);
  for (const [c, count] of seen) if (count > 1 && criteria.includes(c)) out.push(`${c} has ${count} findings; it needs exactly one`);
  return out;
}

/** Counts of findings per grade, every grade present. */
export function findingsByGrade(findings: ReadonlyArray<{ grade: AuditFindingGrade }>): Record<AuditFindingGrade, number> {
  const out = Object.fromEntries(AUDIT_FINDING_GRADES.map((g) => [g, 0])) as Record<AuditFindingGrade, number>;
  for (const f of findings) out[f.grade]++;
  return out;
}
