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

/** The initial AIIA of a system registered already live with no assessment on record. */
export function initialAiiaWorkflowId(systemId: string): string {
  return taskWorkflowId('aiia', systemId, 'initial');
}

/** The AIIA of a system's n-th significant change (1, 2, ...): each change has its own. */
export function significantChangeAiiaWorkflowId(systemId: string, n: number): string {
  return taskWorkflowId('aiia', systemId, `significant-change-${n}`);
}

export function prohibitedAlertWorkflowId(systemId: string): string {
  return `prohibited-system-alert:${systemId}`;
}

export function incidentWorkflowId(incidentId: string): string {
  return `incident:${incidentId}`;
}

/** The task of an incident's report: `incident-report:<id>:draft`, `regulatory-report:<id>:gdpr-art33:notification`. */
export function incidentReportTaskId(incidentId: string, reportKey: string): string {
  return reportKey === 'draft' || reportKey === 'final'
    ? taskWorkflowId('incident-report', incidentId, reportKey)
    : taskWorkflowId('regulatory-report', incidentId, reportKey);
}

/** The incident and report key of an incident report's task id (`incidentReportTaskId` read back), else undefined. */
export function parseIncidentReportTaskId(taskId: string): { incidentId: string; key: string } | undefined {
  const m = /^(incident-report|regulatory-report):([0-9a-fA-F-]{36}):(.+)$/.exec(taskId);
  if (!m) return undefined;
  const [, kind, incidentId, key] = m;
  if (kind === 'incident-report' ? key !== 'draft' && key !== 'final' : key === 'draft' || key === 'final' || !key.includes(':'))
    return undefined;
  return { incidentId, key };
}

export function nonconformityWorkflowId(nonconformityId: string): string {
  return `nonconformity:${nonconformityId}`;
}

/** The nonconformity of a corrective-action step's task id (`correctiveStepTaskId` read back), else undefined. */
export function parseCorrectiveStepTaskId(
  taskId: string,
): { nonconformityId: string; step: 'containment' | 'root-cause' | 'action' | 'effectiveness-check' } | undefined {
  const m = /^corrective-action-step:([0-9a-fA-F-]{36}):(containment|root-cause|action|effectiveness-check)(-\d+)?$/.exec(taskId);
  if (!m || (m[3] === undefined) !== (m[2] === 'containment' || m[2] === 'root-cause')) return undefined;
  return { nonconformityId: m[1], step: m[2] as 'containment' | 'root-cause' | 'action' | 'effectiveness-check' };
}

/** A corrective-action step's task; the action and its check carry the loop: `action-2`, `effectiveness-check-2`. */
export function correctiveStepTaskId(
  nonconformityId: string,
  step: 'containment' | 'root-cause' | 'action' | 'effectiveness-check',
  loop = 1,
): string {
  const suffix = step === 'action' || step === 'effectiveness-check' ? `${step}-${loop}` : step;
  return taskWorkflowId('corrective-action-step', nonconformityId, suffix);
}
