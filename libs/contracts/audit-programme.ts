/**
 * The `auditProgramme` round (ISO/IEC 42001 9.2): its tasks' ids, its status, the Updates that
 * plan it and record an audit's findings, and the activities it calls. Shared by the workflow
 * and the API.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AuditCriterion, AuditFindingGrade, AuditUniverse, FindingInput, FormSubmission, PlannedAudit } from '../domain';
import type { RecordCaseInput } from './activities';
import type { CorrectiveActionInput } from './corrective-action';
import type { Actor, TaskState } from './governance-task';

/** The programme's plan task: the AIMS owner plans the period's audits. */
export function auditPlanTaskId(period: string): string {
  return `audit-plan:${period}`;
}

/** The n-th audit (1, 2, ...) of a programme's plan. */
export function auditTaskId(period: string, n: number): string {
  return `internal-audit:${period}:${n}`;
}

/** The audit report top management acknowledge. */
export function auditReportTaskId(period: string): string {
  return `audit-report:${period}`;
}

/** The programme's id (its workflow id) from the API's path: `internal-audit:2026`, `internal-audit:2026-07`. */
export const AUDIT_PROGRAMME_ID_PATTERN = '^internal-audit:\\d{4}(?:-(?:0[1-9]|1[0-2]))?$';

/**
 * The outcome an audit's task records: the programme hands it on with the findings, and a
 * submission without it (straight to the task, bypassing the programme) is refused by the task.
 */
export const AUDIT_TASK_OUTCOME = 'findings-recorded';

/** How long the AIMS owner has to plan, from the programme's opening (calendar days in the zone). */
export const AUDIT_PLAN_DUE_DAYS = 14;
/** How long top management have to acknowledge the report, from its opening. */
export const AUDIT_REPORT_DUE_DAYS = 30;

export type AuditProgrammeState = 'planning' | 'auditing' | 'reporting' | 'closed';

export interface AuditStatus {
  /** 1, 2, ...: its place in the plan, and its task id's suffix. */
  n: number;
  taskId: string;
  auditorId: string;
  criteria: string[];
  dueAt: string;
  /** The audit task's state as it last told the programme (its escalation is in the task's own record). */
  taskState: TaskState;
  /** When its findings were recorded. */
  findingsAt?: string;
}

export interface AuditFinding {
  /** A UUID (uuid4() in the workflow, so a replay gives the same). */
  id: string;
  audit: number;
  auditTaskId: string;
  criterionId: string;
  grade: AuditFindingGrade;
  summary: string;
  evidenceUrls: string[];
  /** The answers to the `audit-finding` form, with its kind and version (findings recorded before forms have none). */
  submission?: FormSubmission;
  /** The nonconformity a minor or major nonconformity raised (its corrective action). */
  nonconformityId?: string;
  recordedBy: string;
  recordedAt: string;
}

export interface AuditProgrammeStatus {
  programmeId: string;
  cadenceId: string;
  period: string;
  opensAt: string;
  endsAt: string;
  state: AuditProgrammeState;
  /** The AIMS owner (the first active governance lead): owns the plan. */
  ownerId: string;
  planTaskId: string;
  openedAt: string;
  plannedAt?: string;
  plannedBy?: string;
  /** The criteria the plan was checked against (clauses 4-10 and the applicable controls then). */
  criteria: AuditCriterion[];
  audits: AuditStatus[];
  findings: AuditFinding[];
  report?: {
    taskId: string;
    ownerId: string;
    title: string;
    dueAt: string;
    openedAt: string;
    acknowledgedBy?: string;
    acknowledgedAt?: string;
    summary?: string;
  };
  closedAt?: string;
  version: number;
}

export interface PlanProgrammeArgs {
  by: Actor;
  audits: PlannedAudit[];
}

export interface RecordFindingsArgs {
  by: Actor;
  /** The audit's number in the plan. */
  audit: number;
  findings: FindingInput[];
}

export const auditProgrammeStatusQuery = defineQuery<AuditProgrammeStatus>('auditProgrammeStatus');

/**
 * The AIMS owner plans the programme: refused (nothing recorded, the programme keeps waiting)
 * when a criterion is left out, unknown, or audited by its owner or by someone who submitted
 * work that evidences it; accepted, it completes the plan task and answers once every audit's
 * task is open and recorded.
 */
export const planProgrammeUpdate = defineUpdate<AuditProgrammeStatus, [PlanProgrammeArgs]>('planProgramme');

/**
 * An audit's auditor records its findings, exactly one per criterion: answered once the audit's
 * task recorded them, each nonconformity's case is recorded and its corrective action started,
 * and, after the last audit, the report's task is open.
 */
export const recordFindingsUpdate = defineUpdate<AuditProgrammeStatus, [RecordFindingsArgs]>('recordFindings');

export interface AcknowledgeReportArgs {
  by: Actor;
  /** What top management take from the report (submission is acknowledgement). */
  summary: string;
}

/** Top management acknowledge the audit report: handed to the report's task, answered once the programme is closed. */
export const acknowledgeReportUpdate = defineUpdate<AuditProgrammeStatus, [AcknowledgeReportArgs]>('acknowledgeReport');

export interface LoadAuditUniverseInput {
  /** The programme's period: work submitted in it evidences what its submitter may not audit. */
  from: string;
  to: string;
  auditorIds: string[];
}

/** A programme's transition, with the nonconformities its findings raise (their first version, written with it). */
export interface RecordAuditProgrammeInput extends RecordCaseInput<AuditProgrammeStatus> {
  raised?: CorrectiveActionInput[];
}

export interface AuditProgrammeActivities {
  /** The criteria with their owners, the named auditors, and what they submitted in the period. */
  loadAuditUniverse(input: LoadAuditUniverseInput): Promise<AuditUniverse>;
  /** In ONE transaction: the programme's row (if newer), its findings, the raised nonconformities' first rows, their audit events. */
  recordAuditProgramme(input: RecordAuditProgrammeInput): Promise<void>;
}
