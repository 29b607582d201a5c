/**
 * The incident workflow: its input (reports resolved by the API, so a new regime is data),
 * its status, and the Updates and Query both the API and the workflow use.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CalendarDuration, FormSubmission, IncidentSeverity, Ladder } from '../domain';
import type { Actor } from './governance-task';

export type IncidentState = 'open' | 'closed';

/** `draft` and `final` are the internal reports; a regulatory report is `<regimeId>:<reportKey>`. */
export type IncidentReportKey = string;

export interface RegimeChoice {
  id: string;
  /** A variant of the regime, e.g. art. 73 `death`; its default when absent. */
  variant?: string;
  /** ISO instant: when the organisation became aware for this regime (never before detection); the incident's awareness when absent. */
  awareAt?: string;
}

/** A regime as it applies to an incident: its variant resolved, and its own awareness if it has one. */
export interface AppliedRegime {
  id: string;
  variant: string;
  awareAt?: string;
}

/** One report the incident owes, with its clock: a child governanceTask once it opens. */
export interface IncidentReportPlan {
  key: IncidentReportKey;
  kind: 'incident-report' | 'regulatory-report';
  label: string;
  /** The child governanceTask's workflow id. */
  taskId: string;
  /** ISO instant: the deadline, counted from detection. */
  dueAt: string;
  ladder: Ladder;
  /** Opened only once this report is in (the final report waits for the draft). */
  after?: IncidentReportKey;
  /**
   * With `after`: the deadline is this long after that report's submission (in `timeZone`, UTC
   * when none), and `dueAt` is the provisional one, counted from that report's deadline.
   */
  dueAfterSubmission?: CalendarDuration;
  regime?: { id: string; variant: string; name: string; authority: string };
}

export interface IncidentInput {
  incidentId: string;
  system: { id: string; name: string };
  title: string;
  description: string;
  severity: IncidentSeverity;
  /** ISO instant; every deadline counts from it. */
  detectedAt: string;
  /** ISO instant, never before detection: the regulatory clocks counted from awareness count from it. Detection when absent. */
  awareAt?: string;
  responderId: string;
  openedBy: string;
  regimes: AppliedRegime[];
  reports: IncidentReportPlan[];
  /**
   * The organisation's zone: the report tasks count day-sized ladder steps in calendar days
   * there. Absent (inputs written before it existed): 24-hour steps. Hour ladders are exact hours.
   */
  timeZone?: string;
}

/** `waiting`: not opened yet (its predecessor is not in); `open`: its clock runs; `in`: submitted. */
export type IncidentReportState = 'waiting' | 'open' | 'in';

export interface IncidentReportStatus extends Omit<IncidentReportPlan, 'ladder' | 'after'> {
  after?: IncidentReportKey;
  state: IncidentReportState;
  openedAt?: string;
  submittedAt?: string;
  submittedBy?: string;
  summary?: string;
}

export interface IncidentStatus extends Omit<IncidentInput, 'reports'> {
  openedAt: string;
  state: IncidentState;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  containment?: { at: string; by: string; summary: string };
  severityChanges: Array<{ at: string; by: string; from: IncidentSeverity; to: IncidentSeverity; reason: string }>;
  closedAt?: string;
  closedBy?: string;
  closingSummary?: string;
  reports: IncidentReportStatus[];
  /** Increments with every transition; orders read-model writes. */
  version: number;
}

export interface AcknowledgeArgs {
  by: Actor;
  note?: string;
}

export interface ChangeSeverityArgs {
  by: Actor;
  severity: IncidentSeverity;
  reason: string;
}

export interface RecordContainmentArgs {
  by: Actor;
  summary: string;
}

export interface CloseIncidentArgs {
  by: Actor;
  summary: string;
}

/**
 * Incidents started before `submitReport` existed: the API told the incident that a report's task
 * took its submission. Kept for their recorded histories; the API no longer sends it.
 */
export interface ReportInArgs {
  key: IncidentReportKey;
  taskId: string;
  submittedAt: string;
  submittedBy: string;
  summary?: string;
}

/**
 * A report's submission, handed by the incident to the report's task: one Update on the
 * incident, validated there (who, which report, whether it is open or already in), answered once
 * the task has recorded it and the reports that wait for it are open.
 */
export interface SubmitReportArgs {
  by: Actor;
  key: IncidentReportKey;
  summary: string;
  evidenceUrls?: string[];
  /** The answers to the report's form (`incident-report` or `regulatory-report`), checked by the API; handed on to the task. */
  submission?: FormSubmission;
}

/**
 * A regime found to apply after opening (triage showed personal data, say): its reports, planned
 * by the API like the opening's, start their clocks from detection, not from now.
 */
export interface AddRegimeArgs {
  by: Actor;
  regime: AppliedRegime;
  reports: IncidentReportPlan[];
}

/**
 * A regime's variant found late (art. 73: a death found after opening): its reports, planned by
 * the API for the new variant from the same awareness, take their new deadlines; one already past
 * breaches at once. Reports already in keep theirs.
 */
export interface ChangeRegimeVariantArgs {
  by: Actor;
  regimeId: string;
  variant: string;
  reason: string;
  reports: IncidentReportPlan[];
}

export const acknowledgeIncidentUpdate = defineUpdate<IncidentStatus, [AcknowledgeArgs]>('acknowledge');
export const changeSeverityUpdate = defineUpdate<IncidentStatus, [ChangeSeverityArgs]>('changeSeverity');
export const recordContainmentUpdate = defineUpdate<IncidentStatus, [RecordContainmentArgs]>('recordContainment');
export const closeIncidentUpdate = defineUpdate<IncidentStatus, [CloseIncidentArgs]>('close');
export const reportInUpdate = defineUpdate<IncidentStatus, [ReportInArgs]>('reportIn');
export const submitReportUpdate = defineUpdate<IncidentStatus, [SubmitReportArgs]>('submitReport');
/**
 * Sent with the incident's start (Update-with-Start): answers once the reports it opens with are
 * open, their tasks started and recorded, so the caller can act on them at once.
 */
export const incidentOpenedUpdate = defineUpdate<IncidentStatus, []>('opened');
export const addRegimeUpdate = defineUpdate<IncidentStatus, [AddRegimeArgs]>('addRegime');
export const changeRegimeVariantUpdate = defineUpdate<IncidentStatus, [ChangeRegimeVariantArgs]>('changeRegimeVariant');
export const incidentStatusQuery = defineQuery<IncidentStatus>('incidentStatus');

/** Besides the responder, these roles may act on any incident. */
export const INCIDENT_ADMIN_ROLES = ['admin', 'governance_lead'] as const;

/** The status an incident starts with: the workflow's first snapshot and the API's first row. */
export function initialIncidentStatus(input: IncidentInput, openedAt: string): IncidentStatus {
  return {
    incidentId: input.incidentId,
    system: { ...input.system },
    title: input.title,
    description: input.description,
    severity: input.severity,
    detectedAt: input.detectedAt,
    openedAt,
    openedBy: input.openedBy,
    responderId: input.responderId,
    ...(input.awareAt !== undefined ? { awareAt: input.awareAt } : {}),
    regimes: input.regimes.map((r) => ({ ...r })),
    state: 'open',
    severityChanges: [],
    reports: input.reports.map(reportStatusOf),
    version: 0,
  };
}

/** A planned report as the incident's status shows it before it opens. */
export function reportStatusOf(plan: IncidentReportPlan): IncidentReportStatus {
  const { ladder: _ladder, ...report } = plan;
  return { ...report, state: plan.after ? 'waiting' : 'open' };
}
