/**
 * The inventory recertification round (`inventoryRecertification`, id
 * `inventory-recertification:<period>`): its activities, its Update for an owner's
 * confirmations, its status, and the input of each owner's task.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { DEFAULT_LADDER } from '../domain';
import type { Actor, GovernanceTaskInput, TaskStatus } from './governance-task';
import { taskWorkflowId } from './ids';

/** An active owner of systems in scope, with those systems (what a round recertifies). */
export interface RecertificationOwner {
  ownerId: string;
  name: string;
  systems: Array<{ systemId: string; name: string }>;
}

export interface RecordRecertificationRoundInput {
  period: string;
  roundId: string;
  /** ISO instants (workflow time). */
  openedAt: string;
  dueAt: string;
  owners: Array<RecertificationOwner & { taskId: string }>;
}

export interface RecordRecertificationsInput {
  period: string;
  ownerId: string;
  /** Who confirmed (the owner, or whoever holds the owner's task now). */
  by: string;
  /** ISO instant (workflow time). */
  at: string;
  systems: Array<{ systemId: string; note?: string }>;
}

export interface RecertificationActivities {
  loadRecertificationOwners(): Promise<RecertificationOwner[]>;
  /** The round and one row per system, idempotent (a retry writes nothing twice). */
  recordRecertificationRound(input: RecordRecertificationRoundInput): Promise<void>;
  /** Each system's confirmation with its audit event; a system confirmed before keeps its first confirmation. */
  recordRecertifications(input: RecordRecertificationsInput): Promise<void>;
}

export function recertificationTaskId(ownerId: string, period: string): string {
  return taskWorkflowId('inventory-recertification', ownerId, period);
}

/** One owner's task: confirm or update each of their systems; done when submitted (no approver). */
export function recertificationTaskInput(
  owner: RecertificationOwner,
  round: { cadenceId: string; period: string; dueAt: string; timeZone: string },
): GovernanceTaskInput {
  return {
    kind: 'inventory-recertification',
    title: `Recertify your AI systems ${round.period}: ${owner.systems.length} system(s)`,
    subject: { type: 'person', id: owner.ownerId, name: owner.name },
    ownerId: owner.ownerId,
    approverRoles: [],
    dueAt: round.dueAt,
    ladder: DEFAULT_LADDER,
    timeZone: round.timeZone,
    cadenceId: round.cadenceId,
    period: round.period,
  };
}

export interface RecertificationSystemView {
  systemId: string;
  name: string;
  confirmedAt?: string;
  confirmedBy?: string;
  note?: string;
}

export interface RecertificationOwnerView {
  ownerId: string;
  name: string;
  taskId: string;
  /** The owner's task as it last told the round (absent until its opening is recorded). */
  taskState?: TaskStatus['state'];
  systems: RecertificationSystemView[];
}

export interface RecertificationRoundStatus {
  roundId: string;
  period: string;
  openedAt: string;
  dueAt: string;
  owners: RecertificationOwnerView[];
}

export interface ConfirmSystemsArgs {
  by: Actor;
  systems: Array<{ systemId: string; note?: string }>;
}

/**
 * An owner confirms some of their systems; once all of them are confirmed the round hands the
 * submission to the owner's task and answers when the task recorded it (completed).
 */
export const confirmSystemsUpdate = defineUpdate<RecertificationOwnerView, [ConfirmSystemsArgs]>('confirmSystems');
export const recertificationStatusQuery = defineQuery<RecertificationRoundStatus>('recertificationStatus');
