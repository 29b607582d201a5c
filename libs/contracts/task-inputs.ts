/** How each kind of owned work is opened: one place, used by the cycle workflows and the API. */
import { DEFAULT_LADDER, goLiveAiiaDue, Ladder } from '../domain';
import type { GovernanceTaskInput } from './governance-task';
import { goLiveAiiaWorkflowId } from './ids';

export interface SystemRef {
  id: string;
  name: string;
  ownerId: string;
}

export function highRiskReviewInput(
  system: SystemRef,
  dueAt: Date,
  cycle: { cadenceId?: string; period: string },
  ladder: Ladder = DEFAULT_LADDER,
): GovernanceTaskInput {
  return {
    kind: 'high-risk-review',
    title: `High-risk review ${cycle.period}: ${system.name}`,
    subject: { type: 'ai-system', id: system.id, name: system.name },
    ownerId: system.ownerId,
    // "Approved by someone else": any of these roles, never the submitter or the owner.
    approverRoles: ['governance_lead', 'management', 'owner', 'admin'],
    dueAt: dueAt.toISOString(),
    ladder,
    cadenceId: cycle.cadenceId,
    period: cycle.period,
  };
}

export function aiiaInput(
  system: SystemRef,
  dueAt: Date,
  cycle: { cadenceId?: string; period: string },
  ladder: Ladder = DEFAULT_LADDER,
): GovernanceTaskInput {
  return {
    kind: 'aiia',
    title:
      cycle.period === 'go-live'
        ? `Go-live AI impact assessment: ${system.name}`
        : `AI impact assessment ${cycle.period}: ${system.name}`,
    subject: { type: 'ai-system', id: system.id, name: system.name },
    ownerId: system.ownerId,
    // An AIIA is approved by the governance lead (AIMS-DOMAIN.md).
    approverRoles: ['governance_lead'],
    dueAt: dueAt.toISOString(),
    ladder,
    cadenceId: cycle.cadenceId,
    period: cycle.period,
  };
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
