/**
 * The shapes of the API's answers the pages read, as the API documents them at /docs-json
 * (apps/api/<resource>/*.dto.ts). Where the API answers a shared contract (a task's status, a
 * form), its type is imported, types only: the bundle takes no code from the Node tree.
 */
import type { LadderStepView, Role, TaskState, TaskStatus } from '../../../../libs/contracts';
import type { FormDefinition, FormField, FormFieldType, FormSubmission } from '../../../../libs/domain';
import type { IncidentReport, NonconformityReport } from '../../../api/status/cases';
import type { CycleReportRow, LevelCount, OverdueReport } from '../../../api/status/cycles';

export type { FormDefinition, FormField, FormFieldType, Role, TaskState };
export type LadderStep = LadderStepView;
export type Submission = FormSubmission;

export interface Person {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface PersonView extends Person {
  managerId: string | null;
  active: boolean;
}

export interface Session {
  person: Person;
  csrfToken: string;
  expiresAt: string;
  next?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** A task as GET /tasks answers it: the workflow's status, and when its row was written. */
export interface TaskView extends TaskStatus {
  /** The form this work is submitted with (GET /forms/:formKind); absent: a summary alone. */
  formKind?: string;
  updatedAt: string;
}

export interface HistoryEvent {
  event: string;
  at: string;
  actorId: string;
  actorName?: string;
  detail?: Record<string, unknown>;
}

export type ClockState = 'on-track' | 'due-soon' | 'breached' | 'in-on-time' | 'in-late';

export interface ClockView {
  key: string;
  kind: 'incident-report' | 'regulatory-report';
  label: string;
  taskId: string;
  regime?: { id: string; variant: string; name: string; authority: string };
  state: 'waiting' | 'open' | 'in';
  dueAt: string;
  clockState: ClockState;
  breached: boolean;
  timeLeftMs: number | null;
  lateByMs: number;
  after?: string;
  openedAt?: string;
  submittedAt?: string;
  submittedBy?: string;
  summary?: string;
}

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof INCIDENT_SEVERITIES)[number];

export interface IncidentView {
  incidentId: string;
  system: { id: string; name: string };
  title: string;
  description: string;
  severity: Severity;
  detectedAt: string;
  awareAt?: string;
  openedAt: string;
  openedBy: string;
  responderId: string;
  regimes: { id: string; variant?: string; awareAt?: string }[];
  state: 'open' | 'closed';
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  containment?: { at: string; by: string; summary: string };
  severityChanges: { at: string; by: string; from: string; to: string; reason: string }[];
  closedAt?: string;
  closedBy?: string;
  closingSummary?: string;
  clocks: ClockView[];
  clockState?: ClockState;
  breached: boolean;
  nonconformityIds: string[];
  version: number;
  updatedAt: string;
}

export interface RegimeView {
  id: string;
  name: string;
  authority: string;
  defaultVariant: string;
  variants: { id: string; label: string; reports: { key: string; label: string; dueAfterHours: number }[] }[];
}

export interface SystemView {
  id: string;
  name: string;
  description: string;
  purpose: string;
  ownerId: string;
  businessUnit: string | null;
  riskTier: 'unacceptable' | 'high' | 'limited' | 'minimal';
  lifecycleStage: string;
  goLiveDate: string | null;
  complianceStatus: string;
}

export interface CadenceView {
  id: string;
  scope: 'org' | 'system';
  kind: string;
  systemId?: string;
  description: string;
  paused: boolean;
  note: string | null;
  nextRunTimes: string[];
  recentRuns: { scheduledAt: string; takenAt: string; workflowId: string }[];
}

export interface CadenceList {
  items: CadenceView[];
  nextCursor: string | null;
}

export type TriggerResult =
  | { cadenceId: string; triggeredAt: string; taskId: string; period: string; outcome: 'opened' | 'already-open' }
  | { cadenceId: string; triggeredAt: string; roundId: string; period: string; outcome: 'opened' | 'already-open'; taskIds: string[] };

/** The status reports (GET /status/*), as apps/api/status computes them. */
export type CycleRow = CycleReportRow;
export type { IncidentReport, LevelCount, NonconformityReport, OverdueReport };

export interface AuditProgrammeSummary {
  programmeId: string;
  period: string;
  state: string;
  ownerId: string;
  openedAt: string;
  plannedAt?: string;
  closedAt?: string;
  coverage: { criteria: number; audited: number; percent: number; notAudited: string[] };
  auditsByState: Record<string, number>;
  findingsByGrade: Record<string, number>;
  openCorrectiveActions: number;
}

export interface CalendarFeed {
  id: string;
  label: string | null;
  createdAt: string;
  revokedAt?: string | null;
  lastFetchedAt?: string | null;
}

export interface CreatedCalendarFeed {
  id: string;
  label: string | null;
  url: string;
  createdAt: string;
}
