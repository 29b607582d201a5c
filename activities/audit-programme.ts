/**
 * The audit programme's activities (ISO/IEC 42001 9.2): the universe a plan is checked against
 * (criteria and their owners, the named auditors, the work they submitted in the period), and
 * the programme's snapshot with its findings. Over PostgreSQL: libs/persistence/audit-programme.ts.
 */
import type { AuditProgrammeActivities, LoadAuditUniverseInput, RecordAuditProgrammeInput } from '../libs/contracts';
import type { AuditUniverse } from '../libs/domain';

export interface AuditProgrammeRecords {
  /** The criteria (clauses 4-10 and the SoA's applicable controls) with owners, the named people, their submitted work in [from, to). */
  universe(input: LoadAuditUniverseInput): Promise<AuditUniverse>;
  /** In ONE transaction: the programme's row if newer, its findings, the raised nonconformities' first rows, each audit event. Idempotent. */
  record(input: RecordAuditProgrammeInput): Promise<void>;
}

export function createAuditProgrammeActivities(port: AuditProgrammeRecords): AuditProgrammeActivities {
  return {
    loadAuditUniverse: (input) => port.universe(input),
    recordAuditProgramme: (input) => port.record(input),
  };
}
