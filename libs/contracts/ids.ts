/**
 * Deterministic workflow ids: one per subject and period, so a second start of the same
 * period is refused by Temporal itself.
 */
import type { TaskKind } from '../domain';

export function taskWorkflowId(kind: TaskKind, subjectId: string, period: string): string {
  return `${kind}:${subjectId}:${period}`;
}

export function goLiveAiiaWorkflowId(systemId: string): string {
  return taskWorkflowId('aiia', systemId, 'go-live');
}

export function prohibitedAlertWorkflowId(systemId: string): string {
  return `prohibited-system-alert:${systemId}`;
}
