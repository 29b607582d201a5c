/**
 * The policy register's workflows (ISO/IEC 42001 A.2.4): `policyReview`, one review of one
 * policy (its owner's governanceTask, approved by someone else; the approval records the new
 * version on the policy), and `policyReviewRound`, the yearly round that opens one per policy.
 * Ids, inputs, status, Updates and the activities they call, shared by the API and workflows.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { DEFAULT_LADDER, PolicyReviewOutcome, PolicyReviewTrigger, policyReviewDueAt } from '../domain';
import type { RecordCaseInput } from './activities';
import type { Actor, GovernanceTaskInput } from './governance-task';
import { taskWorkflowId } from './ids';
import type { Role } from './roles';

/** The review workflow of a policy for a key: the year (`2026`) or `major-change-<n>`. */
export function policyReviewWorkflowId(policyId: string, key: string): string {
  return `policy:${policyId}:review:${key}`;
}

/** Its owner's task: `policy-review:<policyId>:<key>`, the id the task read model and /tasks show. */
export function policyReviewTaskId(policyId: string, key: string): string {
  return taskWorkflowId('policy-review', policyId, key);
}

export function majorChangeReviewKey(n: number): string {
  return `major-change-${n}`;
}

/** The review behind a policy-review task id (`policyReviewTaskId` read back), else undefined. */
export function parsePolicyReviewTaskId(taskId: string): { policyId: string; key: string; reviewId: string } | undefined {
  const m = /^policy-review:([0-9a-fA-F-]{36}):(\d{4}(?:-\d{2})?|major-change-\d+)$/.exec(taskId);
  return m ? { policyId: m[1], key: m[2], reviewId: policyReviewWorkflowId(m[1], m[2]) } : undefined;
}

/** Who may approve a policy review: never its owner nor its submitter (the task engine refuses them). */
export const POLICY_REVIEW_APPROVER_ROLES: Role[] = ['governance_lead', 'management', 'admin'];

/** A policy as a review reads it when it opens. */
export interface PolicyRef {
  id: string;
  title: string;
  ownerId: string;
  version: string;
  documentUrl: string;
}

export interface PolicyReviewInput {
  policy: PolicyRef;
  /** `2026` (a yearly round's period) or `major-change-<n>`. */
  key: string;
  trigger: PolicyReviewTrigger;
  /** The major change's reason. */
  reason?: string;
  /** Who recorded the major change (absent for a yearly review). */
  openedBy?: string;
  /** The organisation's zone: the 30 days are calendar days there. */
  timeZone: string;
  /** The Schedule (`org:policy-review`) of a yearly review. */
  cadenceId?: string;
  /** When the review opened (ISO), when the API recorded it (a major change); absent: the workflow's start. */
  openedAt?: string;
}

export type PolicyReviewState = 'opening' | 'open' | 'submitted' | 'approved' | 'cancelled';

export interface PolicyReviewSubmission {
  by: string;
  at: string;
  summary: string;
  newVersion: string;
  documentUrl: string;
  outcome: PolicyReviewOutcome;
  evidenceUrls: string[];
}

export interface PolicyReviewStatus {
  reviewId: string;
  policyId: string;
  title: string;
  key: string;
  trigger: PolicyReviewTrigger;
  reason?: string;
  taskId: string;
  ownerId: string;
  state: PolicyReviewState;
  openedAt: string;
  dueAt: string;
  previousVersion: string;
  previousDocumentUrl: string;
  /** The latest submission (a rejection sends the work back; the next one replaces it). */
  submission?: PolicyReviewSubmission;
  outcome?: PolicyReviewOutcome;
  /** Set on approval: the version and document the policy now has, and who approved them. */
  newVersion?: string;
  documentUrl?: string;
  approvedBy?: string;
  approvedAt?: string;
  cancelledAt?: string;
  version: number;
}

export function initialPolicyReviewStatus(input: PolicyReviewInput, openedAt: Date): PolicyReviewStatus {
  return {
    reviewId: policyReviewWorkflowId(input.policy.id, input.key),
    policyId: input.policy.id,
    title: input.policy.title,
    key: input.key,
    trigger: input.trigger,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    taskId: policyReviewTaskId(input.policy.id, input.key),
    ownerId: input.policy.ownerId,
    state: 'opening',
    openedAt: openedAt.toISOString(),
    dueAt: policyReviewDueAt(openedAt, input.timeZone).toISOString(),
    previousVersion: input.policy.version,
    previousDocumentUrl: input.policy.documentUrl,
    version: 0,
  };
}

/** The owner's task of a review, due 30 calendar days after the review opened, with the default ladder. */
export function policyReviewTaskInput(input: PolicyReviewInput, dueAt: string): GovernanceTaskInput {
  const what = input.trigger === 'yearly' ? `Yearly review ${input.key}` : 'Review after a major change';
  return {
    kind: 'policy-review',
    title: `${what}: ${input.policy.title}`,
    subject: { type: 'policy', id: input.policy.id, name: input.policy.title },
    ownerId: input.policy.ownerId,
    approverRoles: POLICY_REVIEW_APPROVER_ROLES,
    dueAt,
    ladder: DEFAULT_LADDER,
    timeZone: input.timeZone,
    ...(input.cadenceId !== undefined ? { cadenceId: input.cadenceId, period: input.key } : {}),
    tellParent: 'changes',
  };
}

export const policyReviewStatusQuery = defineQuery<PolicyReviewStatus>('policyReviewStatus');

/** Sent with the review's start (Update-with-Start): answers once its task's opening is recorded. */
export const policyReviewOpenedUpdate = defineUpdate<PolicyReviewStatus, []>('opened');

/** The owner's submission: the version the policy has after the review (the current one: reviewed, no change). */
export interface SubmitPolicyReviewArgs {
  by: Actor;
  summary: string;
  newVersion: string;
  /** The revised document, when it moved; required to differ only with a new version. */
  documentUrl?: string;
  evidenceUrls?: string[];
}
/** Handed to the task; answers once the task recorded the submission (a refusal of the task is this Update's). */
export const submitPolicyReviewUpdate = defineUpdate<PolicyReviewStatus, [SubmitPolicyReviewArgs]>('submitPolicyReview');

/**
 * Answers once the review's end is recorded on the policy (approved: the new version; or
 * cancelled), waiting for it: the API asks it after an approval of the review's task, so its
 * answer is given when GET /policies/:id shows the new version.
 */
export const policyReviewSettledUpdate = defineUpdate<PolicyReviewStatus, []>('settled');

/** A policy as the yearly round reads it: with its open review, if one is. */
export interface PolicyForRound extends PolicyRef {
  openReviewId?: string;
}

/** The activities of the policy workflows (activities/policies.ts). */
export interface PolicyActivities {
  /** Every policy, with the review open on it if any. */
  loadPoliciesForReview(): Promise<PolicyForRound[]>;
  /**
   * A review's transition: upsert its row if newer and append its event; on `approved`, also the
   * policy's new version, document, approver and last review, once (one transaction).
   */
  recordPolicyReview(input: RecordCaseInput<PolicyReviewStatus>): Promise<void>;
}
