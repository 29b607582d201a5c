/**
 * Inventory recertification ("the AIMS ages within six months"): every round, each owner of
 * systems in scope confirms or updates each of their systems; one governanceTask per owner,
 * due 30 calendar days after the round opens. A system its owner has not confirmed when that
 * task falls due is stale, in its own record and in the status. The rule lives here once; the
 * read-model SQL (libs/persistence/inventory-recertification.ts) is built from these names.
 */
import type { CalendarDuration } from './time';
import { isInCadenceScope, LifecycleStage, RiskTier } from './tiers';

/** How long an owner has from the round's opening. */
export const RECERTIFICATION_DUE_AFTER_OPEN: CalendarDuration = { days: 30 };

/**
 * `current`: confirmed in its latest round, or in none yet (registered since: its record is new);
 * `due`: in an open round, not confirmed, its owner's task not yet due; `stale`: not confirmed
 * when its owner's task fell due.
 */
export const RECERTIFICATION_STATES = ['current', 'due', 'stale'] as const;
export type RecertificationState = (typeof RECERTIFICATION_STATES)[number];

/** A system's place in its latest round: when its owner's task is due, and its confirmation. */
export interface RecertificationItem {
  dueAt: Date;
  confirmedAt: Date | null;
}

export function recertificationState(item: RecertificationItem | undefined, now: Date): RecertificationState {
  if (!item || item.confirmedAt) return 'current';
  return now.getTime() < item.dueAt.getTime() ? 'due' : 'stale';
}

/** Whose systems a round recertifies: in scope of the cadences (not retired, not prohibited). */
export function isRecertified(system: { riskTier: RiskTier; lifecycleStage: LifecycleStage }): boolean {
  return isInCadenceScope(system);
}
