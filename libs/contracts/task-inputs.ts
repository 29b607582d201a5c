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

/** Owned work about one AI system, by its owner; approverRoles never include the submitter. */
function systemTaskInput(
  kind: 'high-risk-review' | 'aiia',
  title: string,
  approverRoles: Role[],
  system: SystemRef,
  dueAt: Date,
  cycle: { cadenceId?: string; period: string },
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
    cadenceId: cycle.cadenceId,
    period: cycle.period,
  };
}

export function highRiskReviewInput(
  system: SystemRef,
  dueAt: Date,
  cycle: { cadenceId?: string; period: string },
  ladder: Ladder = DEFAULT_LADDER,
): GovernanceTaskInput {
  // "Approved by someone else": any of these roles, never the submitter or the owner.
  const approvers: Role[] = ['governance_lead', 'management', 'owner', 'admin'];
  return systemTaskInput('high-risk-review', `High-risk review ${cycle.period}: ${system.name}`, approvers, system, dueAt, cycle, ladder);
}

export function aiiaInput(
  system: SystemRef,
  dueAt: Date,
  cycle: { cadenceId?: string; period: string },
  ladder: Ladder = DEFAULT_LADDER,
): GovernanceTaskInput {
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
    input: aiiaInput(system, goLiveAiiaDue(system.goLiveDate, now, timeZone), { period: 'go-live' }),
  };
}
