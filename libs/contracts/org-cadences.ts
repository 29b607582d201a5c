/**
 * The organisation-wide cadences' workflow contract: the cycle a Schedule `org:<kind>` starts,
 * the round it opens for the period (`<kind>:<period>`, one composite workflow per kind), and
 * the Update every round answers once the work it opened is recorded.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { OrgCadenceKind } from '../domain';
import type { WORKFLOW_TYPES } from './names';

/** The args of the `orgCadenceCycle` workflow, written into the Schedule's action. */
export interface OrgCadenceCycleInput {
  cadenceId: string;
  kind: OrgCadenceKind;
  timeZone: string;
  intervalMonths: number;
  startMonth: number;
}

/** The workflow type of each kind's round (each registered in workflows/index.ts). */
export const ORG_ROUND_WORKFLOW_TYPES = {
  'internal-audit': 'auditProgramme',
  'management-review': 'managementReview',
  'policy-review': 'policyReviewRound',
  'inventory-recertification': 'inventoryRecertification',
} as const satisfies Record<OrgCadenceKind, (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES]>; // each a workflow the worker registers

/** A round's deterministic id: one per kind and period, so a second start is refused by Temporal. */
export function orgRoundWorkflowId(kind: OrgCadenceKind, period: string): string {
  return `${kind}:${period}`;
}

/** The args of every round workflow. */
export interface OrgRoundInput {
  cadenceId: string;
  kind: OrgCadenceKind;
  /** `orgPeriodOf(...).key`: `2026`, or `2026-07` for a cadence shorter than a year. */
  period: string;
  /** ISO instants: the period's opening and the next period's. */
  opensAt: string;
  endsAt: string;
  timeZone: string;
}

export interface OrgCadenceCycleResult {
  outcome: 'opened' | 'already-open';
  roundId: string;
  period: string;
}

/** What a round reports once its opening is recorded: the tasks it opened (readable at once). */
export interface OrgRoundOpened {
  roundId: string;
  period: string;
  taskIds: string[];
}

/**
 * Answers once the round's opening (its first tasks) is recorded, at once for a round past it:
 * a trigger of an org-wide cadence answers its caller only when what it reports can be acted on.
 */
export const roundOpenedUpdate = defineUpdate<OrgRoundOpened, []>('roundOpened');
