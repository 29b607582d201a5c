/** How each kind of owned work is opened: one place, used by the cycle workflows and the API. */
import { DEFAULT_LADDER, goLiveAiiaDue, Ladder } from '../domain';
import type { GovernanceTaskInput } from './governance-task';
import { goLiveAiiaWorkflowId } from './ids';
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

export function aiiaInput(system: SystemRef, dueAt: Date, cycle: CycleRef, ladder: Ladder = DEFAULT_LADDER): GovernanceTaskInput {
  const title =
    cycle.period === 'go-live' ? `Go-live AI impact assessment: ${system.name}` : `AI impact assessment ${cycle.period}: ${system.name}`;
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
