/**
 * The one task engine: inputs, state, and the Updates and Query of `governanceTask`,
 * defined once here and used by the workflow and by the API.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EscalationLevel, FormSubmission, Ladder, LadderAction, TaskKind, TaskState } from '../domain';
import type { Role } from './roles';

/** The task states and their rules (open work, overdue) are libs/domain's (tasks.ts). */
export { TASK_STATES } from '../domain';
export type { TaskState } from '../domain';

/** What a unit of work is about. */
export const TASK_SUBJECT_TYPES = [
  'ai-system',
  'incident',
  'nonconformity',
  'audit-programme',
  'management-review',
  'policy',
  'person',
] as const;

export interface TaskSubject {
  type: (typeof TASK_SUBJECT_TYPES)[number];
  id: string;
  name: string;
}

export interface GovernanceTaskInput {
  kind: TaskKind;
  title: string;
  subject: TaskSubject;
  ownerId: string;
  /**
   * Roles allowed to approve; the approver is never the submitter nor the owner. Empty: the
   * work has no approval step and is completed when submitted (an incident report is "in").
   */
  approverRoles: Role[];
  /** When set, a submission must name one of these outcomes (e.g. effective / not_effective). */
  outcomes?: string[];
  /** People who may never own this work, e.g. the action owner for its effectiveness check. */
  excludedOwnerIds?: string[];
  /** ISO instant. */
  dueAt: string;
  ladder: Ladder;
  /**
   * The organisation's zone (AIMS_TIMEZONE): ladder steps in days are calendar days there (the
   * same local time). Absent (inputs written before it existed): exact 24-hour steps, as UTC.
   */
  timeZone?: string;
  /** The cadence (Schedule id) and period this work belongs to, when it is recurring. */
  cadenceId?: string;
  period?: string;
  /**
   * What the task tells its parent workflow (`taskChangedSignal`), so the parent can answer only
   * once its children's work exists: `opening` once its opening is recorded (the cycle that opens
   * a period's task); `changes` that, and each recorded change of owner, due time or state (an
   * incident's report tasks). Absent (inputs written before it existed): nothing.
   */
  tellParent?: 'opening' | 'changes';
}

/** Who acts: the API passes the authenticated person and their role. */
export interface Actor {
  personId: string;
  role: Role;
}

export interface SubmitArgs {
  by: Actor;
  /** What was done: the outcome of the review, assessment or report. */
  summary: string;
  evidenceUrls?: string[];
  /** One of the input's `outcomes`, when it has them. */
  outcome?: string;
  /**
   * The answers to the work's form and which form (kind and version) they were given to, for
   * work with a form: the API checked them against it. Absent: a summary-only submission.
   */
  submission?: FormSubmission;
}

export interface ApproveArgs {
  by: Actor;
  comment?: string;
}

export interface RejectArgs {
  by: Actor;
  reason: string;
}

export interface ReassignArgs {
  by: Actor;
  newOwnerId: string;
  reason: string;
}

export interface ExtendDueArgs {
  by: Actor;
  /** ISO instant, later than the current due time. */
  newDueAt: string;
  reason: string;
}

export interface CancelArgs {
  by: Actor;
  /** Why the work is no longer owed (e.g. the system was retired); required. */
  reason: string;
}

export type LadderStepStatus = 'pending' | 'done' | 'skipped';

export interface LadderStepView {
  key: string;
  action: LadderAction;
  levels: EscalationLevel[];
  /** When it fires (or fired) for the current due time. */
  at: string;
  status: LadderStepStatus;
  /** Workflow time it was handled. */
  handledAt?: string;
}

export interface TaskStatus {
  taskId: string;
  kind: TaskKind;
  title: string;
  subject: TaskSubject;
  ownerId: string;
  state: TaskState;
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  cadenceId?: string;
  period?: string;
  submittedBy?: string;
  submittedAt?: string;
  summary?: string;
  evidenceUrls?: string[];
  outcome?: string;
  /** The latest submission's answers to the work's form, with the form's kind and version. */
  submission?: FormSubmission;
  /** Roles that may approve (the input's); empty: no approval step. Snapshots recorded before it have none. */
  approverRoles: Role[];
  approvedBy?: string;
  approvedAt?: string;
  lastRejection?: { by: string; at: string; reason: string };
  /** Set when the work was cancelled (state `cancelled`): who, when and why. */
  cancellation?: { by: string; at: string; reason: string };
  submissions: number;
  rejections: number;
  /** Highest escalation level reached, an index of ESCALATION_LEVELS: 0 owner, 1 manager, 2 governance lead, 3 top management. */
  escalationLevel: number;
  ladder: LadderStepView[];
  nextStep?: { key: string; at: string };
  /** Increments with every transition; orders read-model writes. */
  version: number;
}

export const submitUpdate = defineUpdate<TaskStatus, [SubmitArgs]>('submit');
export const approveUpdate = defineUpdate<TaskStatus, [ApproveArgs]>('approve');
export const rejectUpdate = defineUpdate<TaskStatus, [RejectArgs]>('reject');
export const reassignUpdate = defineUpdate<TaskStatus, [ReassignArgs]>('reassign');
export const extendDueUpdate = defineUpdate<TaskStatus, [ExtendDueArgs]>('extendDue');

/**
 * The parent case moves its report's deadline, earlier or later (an incident's regime variant
 * changed: art. 73 standard -> death). A signal, as a workflow cannot send Updates; the parent
 * validated it. Ladder steps already past under the new due time run at once (a breach too).
 */
export interface ChangeDueArgs {
  by: Actor;
  newDueAt: string;
  reason: string;
}
export const changeDueSignal = defineSignal<[ChangeDueArgs]>('changeDue');

/**
 * The parent case hands on a submission it validated (an incident's report): a signal, as a
 * workflow cannot send Updates. The task validates it again (its owner may have changed), applies
 * it or refuses it, and answers the parent with `taskChangedSignal` either way.
 */
export const submitFromParentSignal = defineSignal<[SubmitArgs]>('submitFromParent');

/** What a task tells its parent (see `tellParent`): its status after a recorded change, or why it refused a handed-on submission. */
export interface TaskChangedArgs {
  status: TaskStatus;
  /** Set when a submission handed on by the parent was refused: the refusal's type (REFUSAL) and reason. */
  refused?: { type: string; message: string };
}
export const taskChangedSignal = defineSignal<[TaskChangedArgs]>('taskChanged');
/** Ends open work that is no longer owed (state `cancelled`); the workflow completes. */
export const cancelUpdate = defineUpdate<TaskStatus, [CancelArgs]>('cancel');
export const statusQuery = defineQuery<TaskStatus>('status');
/**
 * Answers once the task's opening is recorded (at once for a task past it): whoever started the
 * task (the API after a registration's go-live AIIA, a trigger that found the period's task
 * already open) answers its caller only when the task reads in the read model.
 */
export const taskOpenedUpdate = defineUpdate<TaskStatus, []>('opened');

/** Roles that may reassign work, move its due date or cancel it. */
export const TASK_ADMIN_ROLES: Role[] = ['admin', 'governance_lead'];
