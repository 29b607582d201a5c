/**
 * The management review (ISO/IEC 42001 9.3): the round `managementReview` (id
 * `management-review:<period>`), its pack (the inputs 9.3.2 lists), the improvements
 * participants propose before the meeting, and top management's decisions (9.3.3), each
 * decided action a `management-review-action` governanceTask the next review reports on.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EscalationLevel, ManagementReviewDecisionType, TaskState } from '../domain';
import type { Actor } from './governance-task';
import type { RecordCaseInput } from './activities';
import { taskWorkflowId } from './ids';

/** (a) An action decided by an earlier review, as the tasks read model has it now. */
export interface ReviewActionState {
  taskId: string;
  /** The review that decided it. */
  reviewId: string;
  title: string;
  ownerId: string;
  state: TaskState;
  dueAt: string;
  overdue: boolean;
  /** The highest level its ladder reached (0 owner ... 3 top management) and its name. */
  escalationLevel: number;
  escalation: EscalationLevel;
  /** When it was done (submitted, for an approved or completed action). */
  doneAt?: string;
}

/** (b) One change of the inventory since the last review, read from the systems' audit streams. */
export interface InventoryChange {
  systemId: string;
  name: string;
  at: string;
  change: 'registered' | 'retired' | 'reclassified' | 'lifecycle';
  from?: string;
  to?: string;
}

export interface ReviewCoverage {
  period: string;
  /** Reviews owed (opened, not cancelled) and approved. */
  expected: number;
  approved: number;
  coveragePercent: number;
}

export interface AuditResults {
  /** False where no audit programme has been recorded (the tables do not exist yet). */
  recorded: boolean;
  programmes: Array<{ id: string; period: string; state: string; openedAt: string | null; closedAt: string | null }>;
  /** Findings recorded since the last review, by grade. */
  findingsByGrade: Record<string, number>;
  /** Of those findings, how many raised a nonconformity. */
  nonconformitiesRaised: number;
}

/** The inputs of clause 9.3.2, compiled at the review's opening. */
export interface ManagementReviewPack {
  compiledAt: string;
  /** What "since the last review" means: the previous review's opening, or the period before this one. */
  since: string;
  previousReviewId: string | null;
  /** (a) The actions of earlier reviews. */
  previousActions: ReviewActionState[];
  /** (b) Changes in external and internal issues. */
  changes: {
    inventory: InventoryChange[];
    registered: number;
    retired: number;
    reclassified: number;
    lifecycleChanges: number;
    /** Regulatory regimes are configuration (AIMS_REGIMES_FILE), not records: their changes are not tracked. */
    regimes: string;
  };
  /** (c) Needs and expectations of interested parties are not recorded by the product. */
  interestedParties: string;
  /** (d) Information on the AIMS's performance. */
  performance: {
    nonconformities: {
      open: number;
      /** Open ones whose current step is overdue. */
      overdue: number;
      openedSince: number;
      closedSince: number;
      /** Effectiveness checks since the last review, by outcome. */
      effective: number;
      notEffective: number;
      openList: Array<{ id: string; title: string; grade: string; step: string; openedAt: string; sourceType: string }>;
    };
    monitoring: {
      /** High-risk review coverage per quarter since the last review. */
      highRiskReviewCoverage: ReviewCoverage[];
      /** Overdue work now, by the escalation level it reached. */
      overdueByEscalationLevel: Array<{ level: EscalationLevel; count: number }>;
      incidents: {
        openedSince: number;
        open: number;
        closedSince: number;
        draftsOnTime: number;
        draftsLate: number;
        onTimePercent: number | null;
      };
    };
    audits: AuditResults;
  };
}

export interface ImprovementProposal {
  by: string;
  role: string;
  text: string;
  at: string;
}

export interface DecidedAction {
  taskId: string;
  title: string;
  ownerId: string;
  dueAt: string;
  /** Its task's state as the review last heard (it follows each action until the action is finished). */
  state: TaskState;
}

export interface ManagementReviewDecision {
  n: number;
  text: string;
  type: ManagementReviewDecisionType;
  action?: DecidedAction;
}

export interface ManagementReviewStatus {
  reviewId: string;
  period: string;
  cadenceId: string;
  /**
   * `open` until top management record their decisions, then `closed`. A closed review's workflow
   * follows its decided actions until each is finished (their states in `decisions`), then completes.
   */
  state: 'open' | 'closed';
  openedAt: string;
  /** The period's opening and the next one's. */
  opensAt: string;
  endsAt: string;
  meetingTaskId?: string;
  meetingOwnerId?: string;
  meetingDueAt?: string;
  pack?: ManagementReviewPack;
  proposals: ImprovementProposal[];
  decisions: ManagementReviewDecision[];
  decidedBy?: string;
  decidedAt?: string;
  minutes?: string;
  closedAt?: string;
  version: number;
}

export interface ProposeImprovementArgs {
  by: Actor;
  text: string;
}

export interface DecisionInput {
  text: string;
  type: ManagementReviewDecisionType;
  action?: { title: string; ownerId: string; dueAt: string };
}

export interface RecordDecisionsArgs {
  by: Actor;
  decisions: DecisionInput[];
  minutes?: string;
}

export const managementReviewStatusQuery = defineQuery<ManagementReviewStatus>('managementReviewStatus');
/** An opportunity for improvement (9.3.2 e), by top management or a governance lead, before the decisions. */
export const proposeImprovementUpdate = defineUpdate<ManagementReviewStatus, [ProposeImprovementArgs]>('proposeImprovement');
/** Top management's decisions (9.3.3): answers once every decided action's task is open and recorded and the review is closed. */
export const recordDecisionsUpdate = defineUpdate<ManagementReviewStatus, [RecordDecisionsArgs]>('recordDecisions');

/** Roles that may propose an improvement, and the one that decides. */
export const IMPROVEMENT_PROPOSER_ROLES = ['management', 'governance_lead'] as const;
export const REVIEW_DECIDER_ROLE = 'management' as const;

/** The meeting task of a review of `period`: `management-review:2026:meeting`. */
export function managementReviewMeetingTaskId(period: string): string {
  return taskWorkflowId('management-review', period, 'meeting');
}

/** The review id of a meeting task's id (`managementReviewMeetingTaskId` read back), else undefined. */
export function parseManagementReviewMeetingTaskId(taskId: string): string | undefined {
  const m = /^management-review:(\d{4}(?:-\d{2})?):meeting$/.exec(taskId);
  return m ? `management-review:${m[1]}` : undefined;
}

/** The n-th (1, 2, ...) decided action of the review of `period`: `management-review-action:2026:1`. */
export function managementReviewActionTaskId(period: string, n: number): string {
  return taskWorkflowId('management-review-action', period, String(n));
}

/** The compile activity's input. */
export interface CompileReviewPackInput {
  reviewId: string;
  /** Workflow time of the compilation (ISO). */
  at: string;
  /** Used when no earlier review is recorded: the opening of the period before this one. */
  fallbackSince: string;
  /** The organisation's zone: the quarters of the coverage figures. */
  timeZone: string;
}

/** The activities of the management review (activities/management-review.ts). */
export interface ManagementReviewActivities {
  /** Reads the pack's inputs (idempotent reads only). */
  compileManagementReviewPack(input: CompileReviewPackInput): Promise<ManagementReviewPack>;
  /** Upserts the review's snapshot if newer, with its audit event, in one transaction. */
  recordManagementReview(input: RecordCaseInput<ManagementReviewStatus>): Promise<void>;
  /** Of these person ids, those that are unknown or deactivated. */
  loadInactivePeople(personIds: string[]): Promise<string[]>;
}
