/** The activity interface the workflows call; implemented in activities/ by a factory. */
import type { ActivityOptions } from '@temporalio/common';
import type { CadenceKind, EscalationLevel, LifecycleStage, RiskTier, TaskKind } from '../domain';
import type { NonconformityStatus } from './corrective-action';
import type { TaskStatus, TaskSubject } from './governance-task';
import type { IncidentStatus } from './incident';
import type { Role } from './roles';

export type NotificationKind =
  | 'opened'
  | 'remind'
  | 'escalate'
  | 'breach'
  | 'rejected'
  | 'approved'
  | 'reassigned'
  | 'cancelled'
  | 'prohibited-system'
  | 'incident-opened';

export interface NotifyInput {
  /** Workflow id of the work (or of the alert). */
  taskId: string;
  /** Unique per task and occurrence: with the recipient, the idempotency key of the email. */
  notificationKey: string;
  kind: NotificationKind;
  levels: EscalationLevel[];
  /** The person whose chain the levels are read from. */
  ownerId: string;
  task: { kind: TaskKind | 'alert' | 'incident'; title: string; subject: TaskSubject; dueAt?: string; noApproval?: boolean };
  /** Workflow time of the notification (ISO). */
  at: string;
  note?: string;
}

export interface NotifiedRecipient {
  personId: string;
  email: string;
  level: EscalationLevel;
}

export interface NotifyResult {
  recipients: NotifiedRecipient[];
  /** Levels nobody holds (e.g. an owner without a manager). */
  unfilledLevels: EscalationLevel[];
}

export type TaskEvent =
  | 'opened'
  | 'submitted'
  | 'completed'
  | 'approved'
  | 'rejected'
  | 'reassigned'
  | 'due-extended'
  | 'due-changed'
  | 'cancelled'
  | 'reminded'
  | 'escalated'
  | 'breached'
  | 'step-skipped';

export interface RecordTransitionInput {
  taskId: string;
  event: TaskEvent;
  /** Workflow time (ISO). */
  at: string;
  actorId?: string;
  detail?: Record<string, unknown>;
  /** Snapshot after the transition: upserted into the read model if newer. */
  status: TaskStatus;
}

export interface CycleSystem {
  id: string;
  name: string;
  ownerId: string;
  riskTier: RiskTier;
  lifecycleStage: LifecycleStage;
  /** ISO date (YYYY-MM-DD) or null; absent from systems loaded before it was read. */
  goLiveDate?: string | null;
  /** When the system was registered (ISO instant). */
  registeredAt?: string;
}

/**
 * How every workflow calls its activities (one definition, used by all of them). Activities
 * are idempotent (upserts and outbox rows keyed per step), so they retry without a limit,
 * backing off to once a minute, until the database or the mail server is back.
 *
 * No heartbeatTimeout: notify heartbeats to record the emails SMTP accepted (its details are
 * what a retry reads when the database missed the mark, activities/sent-ledger.ts), not to
 * prove it is alive; the other activities never heartbeat and would time out on one.
 */
export const ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** A read (loadCycleSystem): the same retries, a shorter time before an attempt counts as stuck. */
export const READ_ACTIVITY_OPTIONS: ActivityOptions = { ...ACTIVITY_OPTIONS, startToCloseTimeout: '30 seconds' };

export interface GovernanceActivities {
  notify(input: NotifyInput): Promise<NotifyResult>;
  recordTransition(input: RecordTransitionInput): Promise<void>;
  loadCycleSystem(systemId: string): Promise<CycleSystem | null>;
  /**
   * The active people holding a role, by id (the organisation-wide rounds give their work to
   * the governance lead, the AIMS owner, and to top management).
   */
  loadPeopleByRole(role: Role): Promise<PersonRef[]>;
  recordIncident(input: RecordCaseInput<IncidentStatus>): Promise<void>;
  recordNonconformity(input: RecordCaseInput<NonconformityStatus>): Promise<void>;
}

/** A transition of an incident or a nonconformity: its audit event and the snapshot after it. */
export interface RecordCaseInput<S extends { version: number }> {
  event: string;
  /** Workflow time (ISO). */
  at: string;
  actorId?: string;
  detail?: Record<string, unknown>;
  /** Upserted into the read model if its version is newer. */
  status: S;
}

/** A person as workflows see them: an id and a display name, never an email. */
export interface PersonRef {
  id: string;
  name: string;
}

export interface CadenceCycleInput {
  cadenceId: string;
  kind: CadenceKind;
  systemId: string;
  timeZone: string;
}

export interface CadenceCycleResult {
  /** `not-due`: a yearly AIIA before the first anniversary of go-live (or of a live registration). */
  outcome: 'opened' | 'already-open' | 'out-of-scope' | 'not-due';
  taskId?: string;
  period?: string;
  /** With `not-due`: the first run that opens a yearly AIIA (absent while the system is not live). */
  firstRunAt?: string;
}

export interface ProhibitedSystemAlertInput {
  systemId: string;
  systemName: string;
  /** Who registered or reclassified it; the alert goes to the governance lead(s). */
  actorId: string;
}
