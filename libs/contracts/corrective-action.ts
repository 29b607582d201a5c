/**
 * The correctiveAction workflow (ISO/IEC 42001 10.2): contain, find the root cause, act, wait,
 * then verify effectiveness by someone other than the action owner; not effective reopens
 * the action. Its input, status and Query, shared by the API and the workflow.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './governance-task';
import type {
  CorrectiveActionPlan,
  CorrectiveActionPlanDays,
  CorrectiveActionStep,
  EffectivenessOutcome,
  FormSubmission,
  NonconformityGrade,
  NonconformitySource,
} from '../domain';

export interface NonconformitySourceRef {
  type: NonconformitySource;
  /** The incident id, the audit finding or review reference, or a link. */
  ref: string;
}

export interface CorrectiveActionInput {
  nonconformityId: string;
  title: string;
  description: string;
  grade: NonconformityGrade;
  source: NonconformitySourceRef;
  /** Owns the action (and by default containment and root cause). */
  actionOwnerId: string;
  containmentOwnerId: string;
  rootCauseOwnerId: string;
  /** Checks effectiveness; never the action owner. */
  verifierId: string;
  openedBy: string;
  plan: CorrectiveActionPlan;
  /**
   * The same plan in days, and the organisation's zone: with both, each step is due and the
   * effectiveness check opens that many calendar days later at the same local time. Inputs
   * written before they existed use `plan` (24-hour days).
   */
  planDays?: CorrectiveActionPlanDays;
  timeZone?: string;
}

export interface StepRecord {
  taskId: string;
  by: string;
  at: string;
  summary: string;
}

export interface VerificationRecord extends StepRecord {
  outcome: EffectivenessOutcome;
  /** Which action loop it verified (1 = the first action). */
  loop: number;
}

export interface NonconformityStatus extends Pick<
  CorrectiveActionInput,
  'nonconformityId' | 'title' | 'description' | 'grade' | 'source' | 'actionOwnerId' | 'verifierId' | 'openedBy'
> {
  state: 'open' | 'closed';
  step: CorrectiveActionStep;
  openedAt: string;
  /** The governanceTask of the current step, when one is open. */
  currentTaskId?: string;
  currentDueAt?: string;
  containment?: StepRecord;
  rootCause?: StepRecord;
  /** The latest action taken. */
  action?: StepRecord;
  /** Every action taken, oldest first: a reopened action adds one. */
  actions: StepRecord[];
  /** When the effectiveness check opens (during the wait). */
  verificationOpensAt?: string;
  verifications: VerificationRecord[];
  /** How many times the action was found not effective and reopened. */
  loops: number;
  closedAt?: string;
  version: number;
}

export const nonconformityStatusQuery = defineQuery<NonconformityStatus>('nonconformityStatus');

/** Sent with the corrective action's start (Update-with-Start): answers once the containment step's task is open and recorded. */
export const nonconformityOpenedUpdate = defineUpdate<NonconformityStatus, []>('opened');

/**
 * A step's submission, handed by the corrective action to the step's task (one Update on the
 * case, validated there: the current step, its owner), answered once the task has recorded it
 * and what follows is in place: the next step's task open, the verification wait begun, or the
 * nonconformity closed.
 */
export interface SubmitStepArgs {
  by: Actor;
  taskId: string;
  summary: string;
  evidenceUrls?: string[];
  outcome?: string;
  /** The answers to the step's form (an effectiveness check's), checked by the API; handed on to the task. */
  submission?: FormSubmission;
}
export const submitStepUpdate = defineUpdate<NonconformityStatus, [SubmitStepArgs]>('submitStep');

export function initialNonconformityStatus(input: CorrectiveActionInput, openedAt: string): NonconformityStatus {
  return {
    nonconformityId: input.nonconformityId,
    title: input.title,
    description: input.description,
    grade: input.grade,
    source: { ...input.source },
    actionOwnerId: input.actionOwnerId,
    verifierId: input.verifierId,
    state: 'open',
    step: 'containment',
    openedAt,
    openedBy: input.openedBy,
    actions: [],
    verifications: [],
    loops: 0,
    version: 0,
  };
}
