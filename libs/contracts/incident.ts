/**
 * The incident workflow: its input (reports resolved by the API, so a new regime is data),
 * its status, and the Updates and Query both the API and the workflow use.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { IncidentSeverity, Ladder } from '../domain';
import type { Actor } from './governance-task';

export type IncidentState = 'open' | 'closed';

/** `draft` and `final` are the internal reports; a regulatory report is `<regimeId>:<reportKey>`. */
export type IncidentReportKey = string;

export interface RegimeChoice {
  id: string;
  /** A variant of the regime, e.g. art. 73 `death`; its default when absent. */
  variant?: string;
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
  responderId: string;
  openedBy: string;
  regimes: Array<Required<RegimeChoice>>;
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
 * The API tells the incident at once that a report's task took its submission, so a close
 * right after it is not refused while the child's completion is still on its way.
 */
export interface ReportInArgs {
  key: IncidentReportKey;
  taskId: string;
  submittedAt: string;
  submittedBy: string;
  summary?: string;
}

/**
 * A regime found to apply after opening (triage showed personal data, say): its reports, planned
 * by the API like the opening's, start their clocks from detection, not from now.
 */
export interface AddRegimeArgs {
  by: Actor;
  regime: Required<RegimeChoice>;
  reports: IncidentReportPlan[];
}

export const acknowledgeIncidentUpdate = defineUpdate<IncidentStatus, [AcknowledgeArgs]>('acknowledge');
export const changeSeverityUpdate = defineUpdate<IncidentStatus, [ChangeSeverityArgs]>('changeSeverity');
export const recordContainmentUpdate = defineUpdate<IncidentStatus, [RecordContainmentArgs]>('recordContainment');
export const closeIncidentUpdate = defineUpdate<IncidentStatus, [CloseIncidentArgs]>('close');
export const reportInUpdate = defineUpdate<IncidentStatus, [ReportInArgs]>('reportIn');
export const addRegimeUpdate = defineUpdate<IncidentStatus, [AddRegimeArgs]>('addRegime');
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
    regimes: input.regimes.map((r) => ({ ...r })),
    state: 'open',
    severityChanges: [],
    reports: input.reports.map(({ ladder: _ladder, ...plan }) => ({ ...plan, state: plan.after ? 'waiting' : 'open' })),
    version: 0,
  };
}
