/**
 * ISO/IEC 42001 clause 10.2 as data: where a nonconformity comes from, how grave it is, and
 * how long each step of its corrective action may take. Pure: safe inside workflows.
 */
import { DAY_MS } from './time';

export const NONCONFORMITY_SOURCES = ['incident', 'audit-finding', 'management-review', 'other'] as const;
export type NonconformitySource = (typeof NONCONFORMITY_SOURCES)[number];

export const NONCONFORMITY_GRADES = ['minor', 'major'] as const;
export type NonconformityGrade = (typeof NONCONFORMITY_GRADES)[number];

/** The steps in order; `verification-wait` is the set time before the effectiveness check. */
export const CORRECTIVE_ACTION_STEPS = [
  'containment',
  'root-cause',
  'action',
  'verification-wait',
  'effectiveness-check',
  'closed',
] as const;
export type CorrectiveActionStep = (typeof CORRECTIVE_ACTION_STEPS)[number];

/** Days each step may take once it opens; the wait before the effectiveness check. */
export interface CorrectiveActionPlanDays {
  containment: number;
  rootCause: number;
  action: number;
  verificationWait: number;
  effectivenessCheck: number;
}

/** A major nonconformity is contained and analysed faster; both wait 90 days before verification. */
export const DEFAULT_PLAN_DAYS: Record<NonconformityGrade, CorrectiveActionPlanDays> = {
  minor: { containment: 7, rootCause: 30, action: 60, verificationWait: 90, effectivenessCheck: 14 },
  major: { containment: 2, rootCause: 14, action: 30, verificationWait: 90, effectivenessCheck: 14 },
};

export const PLAN_DAY_LIMITS = { min: 1, max: 730 } as const;

/**
 * The same plan in milliseconds (24-hour days), as workflows started before calendar days took
 * it; a workflow with a zone and `planDays` counts calendar days instead.
 */
export interface CorrectiveActionPlan {
  containmentMs: number;
  rootCauseMs: number;
  actionMs: number;
  verificationWaitMs: number;
  effectivenessCheckMs: number;
}

/** The plan in days (defaults of the grade, with overrides): calendar days in the organisation's zone. */
export function correctiveActionPlanDays(
  grade: NonconformityGrade,
  overrides: Partial<CorrectiveActionPlanDays> = {},
): CorrectiveActionPlanDays {
  return { ...DEFAULT_PLAN_DAYS[grade], ...definedOnly(overrides) };
}

export function correctiveActionPlan(grade: NonconformityGrade, overrides: Partial<CorrectiveActionPlanDays> = {}): CorrectiveActionPlan {
  const d = correctiveActionPlanDays(grade, overrides);
  return {
    containmentMs: d.containment * DAY_MS,
    rootCauseMs: d.rootCause * DAY_MS,
    actionMs: d.action * DAY_MS,
    verificationWaitMs: d.verificationWait * DAY_MS,
    effectivenessCheckMs: d.effectivenessCheck * DAY_MS,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The outcomes an effectiveness check may record. */
export const EFFECTIVENESS_OUTCOMES = ['effective', 'not_effective'] as const;
export type EffectivenessOutcome = (typeof EFFECTIVENESS_OUTCOMES)[number];

/** Age buckets management reads open nonconformities by, in days (upper bounds; the last is open-ended). */
export const NONCONFORMITY_AGE_BUCKETS = [
  { label: '0-30 days', maxDays: 30 },
  { label: '31-90 days', maxDays: 90 },
  { label: '91-180 days', maxDays: 180 },
  { label: 'over 180 days', maxDays: Infinity },
] as const;

export function ageBucket(ageDays: number): string {
  return (NONCONFORMITY_AGE_BUCKETS.find((b) => ageDays <= b.maxDays) ?? NONCONFORMITY_AGE_BUCKETS[NONCONFORMITY_AGE_BUCKETS.length - 1])
    .label;
}
