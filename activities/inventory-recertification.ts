/**
 * The inventory recertification's activities, over a port: who owns systems in scope, the
 * round's rows, each system's confirmation (PostgreSQL: libs/persistence/inventory-recertification.ts;
 * tests: test/support/in-memory.ts).
 */
import type {
  RecertificationActivities,
  RecertificationOwner,
  RecordRecertificationRoundInput,
  RecordRecertificationsInput,
} from '../libs/contracts';

export interface RecertificationPort {
  /** Active owners of systems in scope (not retired, not prohibited), each with those systems, by owner id. */
  owners(): Promise<RecertificationOwner[]>;
  recordRound(input: RecordRecertificationRoundInput): Promise<void>;
  recordConfirmations(input: RecordRecertificationsInput): Promise<void>;
}

export function createRecertificationActivities(deps: { recertification: RecertificationPort }): RecertificationActivities {
  return {
    loadRecertificationOwners: () => deps.recertification.owners(),
    recordRecertificationRound: (input) => deps.recertification.recordRound(input),
    recordRecertifications: (input) => deps.recertification.recordConfirmations(input),
  };
}
