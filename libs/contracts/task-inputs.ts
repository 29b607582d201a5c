/** How each kind of owned work is opened: one place, used by the cycle workflows and the API. */
import { CadenceKind, cyclePeriod, DayArithmetic, DEFAULT_LADDER, dueAfterOpening, goLiveAiiaDue, initialAiiaDue, Ladder } from '../domain';
import type { GovernanceTaskInput } from './governance-task';
import { goLiveAiiaWorkflowId, initialAiiaWorkflowId, significantChangeAiiaWorkflowId, taskWorkflowId } from './ids';
import type { Role } from './roles';

export interface SystemRef {
  id: string;
  name: string;
  ownerId: string;
}

/**
 * The cadence (Schedule id) and period of system work; `timeZone` is the organisation's zone,
 * in which the ladder counts calendar days (absent: 24-hour days, as before it existed).
 */
export interface CycleRef {
  cadenceId?: string;
  period: string;
  timeZone?: string;
}

/** Owned work about one AI system, by its owner; approverRoles never include the submitter. */
function systemTaskInput(
  kind: 'high-risk-review' | 'aiia',
  title: string,
  approverRoles: Role[],
  system: SystemRef,
  dueAt: Date,
  cycle: CycleRef,
  ladder: Ladder,
): GovernanceTaskInput {
  return {
    kind,
    title,
    subject: { type: 'ai-system', id: system.id, name: system.name },
    ownerId: system.ownerId,
    approverRoles,
    dueAt: dueAt.toISOString(),
    ladder,
    ...(cycle.timeZone !== undefined ? { timeZone: cycle.timeZone } : {}),
    cadenceId: cycle.cadenceId,
    period: cycle.period,
  };
}

export function highRiskReviewInput(system: SystemRef, dueAt: Date, cycle: CycleRef, ladder: Ladder = DEFAULT_LADDER): GovernanceTaskInput {
  // "Approved by someone else": any of these roles, never the submitter or the owner.
  const approvers: Role[] = ['governance_lead', 'management', 'owner', 'admin'];
  return systemTaskInput('high-risk-review', `High-risk review ${cycle.period}: ${system.name}`, approvers, system, dueAt, cycle, ladder);
}

/** The periods of AIIAs that are not yearly: each opens once, with its own title. */
export const AIIA_ONCE_PERIODS = {
  'go-live': 'Go-live AI impact assessment',
  initial: 'Initial AI impact assessment',
  'significant-change': 'AI impact assessment after a significant change',
} as const;

export function aiiaInput(system: SystemRef, dueAt: Date, cycle: CycleRef, ladder: Ladder = DEFAULT_LADDER): GovernanceTaskInput {
  const once = AIIA_ONCE_PERIODS[cycle.period as keyof typeof AIIA_ONCE_PERIODS];
  const title = once ? `${once}: ${system.name}` : `AI impact assessment ${cycle.period}: ${system.name}`;
  // An AIIA is approved by the governance lead (AIMS-DOMAIN.md).
  return systemTaskInput('aiia', title, ['governance_lead'], system, dueAt, cycle, ladder);
}

/** The AIIA every new system gets, due within 30 days of go-live. */
export function goLiveAiiaStart(
  system: SystemRef & { goLiveDate: string },
  now: Date,
  timeZone: string,
): { workflowId: string; input: GovernanceTaskInput } {
  return {
    workflowId: goLiveAiiaWorkflowId(system.id),
    input: aiiaInput(system, goLiveAiiaDue(system.goLiveDate, now, timeZone), { period: 'go-live', timeZone }),
  };
}

/**
 * The task a cadence opens for the period of `runAt` (cyclePeriod's rule: 30 days after the
 * period opens, or after a late opening), with the deterministic id of that period: what a
 * Schedule's run opens, and what the API opens at once for a system that comes into scope
 * mid-quarter, so whichever comes second is refused by Temporal as already open. `calendar`
 * false is the 24-hour-day arithmetic of runs recorded before calendar due dates.
 */
export function cycleTaskStart(
  kind: CadenceKind,
  system: SystemRef,
  runAt: Date,
  opts: { cadenceId: string; timeZone: string; calendar?: boolean; aiiaOpensOnItsDay?: boolean },
): { workflowId: string; period: string; input: GovernanceTaskInput } {
  const calendar = opts.calendar ?? true;
  const arithmetic: DayArithmetic = calendar ? 'calendar' : 'fixed-24h';
  const { period, dueAt } = cyclePeriod(kind, runAt, opts.timeZone, arithmetic, opts.aiiaOpensOnItsDay ?? true);
  const cycle = { cadenceId: opts.cadenceId, period: period.key, ...(calendar ? { timeZone: opts.timeZone } : {}) };
  const input = kind === 'high-risk-review' ? highRiskReviewInput(system, dueAt, cycle) : aiiaInput(system, dueAt, cycle);
  return { workflowId: taskWorkflowId(kind, system.id, period.key), period: period.key, input };
}

/** The initial AIIA of a system registered already live with no assessment: due 30 days after registration. */
export function initialAiiaStart(
  system: SystemRef & { registeredAt: Date },
  now: Date,
  timeZone: string,
): { workflowId: string; input: GovernanceTaskInput } {
  return {
    workflowId: initialAiiaWorkflowId(system.id),
    input: aiiaInput(system, initialAiiaDue(system.registeredAt, now, timeZone), { period: 'initial', timeZone }),
  };
}

/** The AIIA of a system's n-th significant change, opened at `now`: due 30 calendar days later. */
export function significantChangeAiiaStart(
  system: SystemRef,
  n: number,
  now: Date,
  timeZone: string,
): { workflowId: string; input: GovernanceTaskInput } {
  return {
    workflowId: significantChangeAiiaWorkflowId(system.id, n),
    input: aiiaInput(system, dueAfterOpening('aiia', now, timeZone), { period: 'significant-change', timeZone }),
  };
}

/** The task of one incident report: owned by the responder, done when submitted (no approval step). */
export function incidentReportTaskInput(
  incident: { incidentId: string; title: string; responderId: string },
  report: { kind: 'incident-report' | 'regulatory-report'; label: string; dueAt: string; ladder: Ladder },
  timeZone?: string,
): GovernanceTaskInput {
  return {
    kind: report.kind,
    title: `${report.label}: ${incident.title}`,
    subject: { type: 'incident', id: incident.incidentId, name: incident.title },
    ownerId: incident.responderId,
    approverRoles: [],
    dueAt: report.dueAt,
    ladder: report.ladder,
    ...(timeZone !== undefined ? { timeZone } : {}),
  };
}

const STEP_TITLE = {
  containment: 'Contain the nonconformity',
  'root-cause': 'Find the root cause',
  action: 'Take corrective action',
  'effectiveness-check': 'Verify the corrective action is effective',
} as const;

/** A step of a corrective action (10.2): done when submitted; the effectiveness check takes an outcome. */
export function correctiveStepInput(
  nc: { nonconformityId: string; title: string },
  step: keyof typeof STEP_TITLE,
  ownerId: string,
  dueAt: Date,
  opts: { loop?: number; excludedOwnerIds?: string[]; outcomes?: string[]; timeZone?: string } = {},
): GovernanceTaskInput {
  const loop = opts.loop && opts.loop > 1 ? ` (round ${opts.loop})` : '';
  return {
    kind: 'corrective-action-step',
    title: `${STEP_TITLE[step]}${loop}: ${nc.title}`,
    subject: { type: 'nonconformity', id: nc.nonconformityId, name: nc.title },
    ownerId,
    approverRoles: [],
    ...(opts.outcomes ? { outcomes: opts.outcomes } : {}),
    ...(opts.excludedOwnerIds?.length ? { excludedOwnerIds: opts.excludedOwnerIds } : {}),
    dueAt: dueAt.toISOString(),
    ladder: DEFAULT_LADDER,
    ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
  };
}
