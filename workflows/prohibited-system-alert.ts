/**
 * `prohibitedSystemAlert`: a system in the EU AI Act tier "unacceptable" was registered or
 * reclassified. It never gets a cadence; the governance lead(s) are told at once, exactly once
 * per system (the workflow id is per system, the email idempotent per recipient).
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { ACTIVITY_OPTIONS } from '../libs/contracts';
import type { GovernanceActivities, NotifyResult, ProhibitedSystemAlertInput } from '../libs/contracts';

const { notify } = proxyActivities<GovernanceActivities>(ACTIVITY_OPTIONS);

export async function prohibitedSystemAlert(input: ProhibitedSystemAlertInput): Promise<NotifyResult> {
  const subject = { type: 'ai-system' as const, id: input.systemId, name: input.systemName };
  return notify({
    taskId: workflowInfo().workflowId,
    notificationKey: 'alert',
    kind: 'prohibited-system',
    levels: ['governance_lead'],
    ownerId: input.actorId,
    task: { kind: 'alert', title: `Prohibited AI system registered: ${input.systemName}`, subject },
    at: new Date().toISOString(),
  });
}
