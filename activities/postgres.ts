/**
 * Real ports over a TypeORM DataSource (raw SQL against the committed migrations) and an
 * SMTP transport. Used by the worker and by the e2e tests.
 */
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import type { CycleSystem, Role } from '../libs/contracts';
import {
  loadAuditUniverse,
  compileManagementReviewPack,
  inactivePeople,
  recertificationOwners,
  recordAuditProgramme,
  recordIncident,
  recordManagementReview,
  recordNonconformity,
  recordRecertificationRound,
  recordRecertifications,
  recordTaskTransition,
} from '../libs/persistence';
import type { AuditProgrammeRecords } from './audit-programme';
import type { RecertificationPort } from './inventory-recertification';
import { createPostgresEmailOutbox } from './email-outbox';
import { createPostgresPolicyRecords } from './policies';
import type { ActivityDeps, CaseRecords, ManagementReviewPort, PeopleDirectory, Person, SystemsPort, TaskRecords } from './ports';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}

interface PersonRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  manager_id: string | null;
}

function toPerson(r: PersonRow): Person {
  return { id: r.id, name: r.name, email: r.email, role: r.role, managerId: r.manager_id };
}

export function createPostgresDirectory(dataSource: DataSource): PeopleDirectory {
  return {
    async person(id) {
      if (!isUuid(id)) return null;
      const rows: PersonRow[] = await dataSource.query(`SELECT id, name, email, role, manager_id FROM people WHERE id = $1`, [id]);
      return rows[0] ? toPerson(rows[0]) : null;
    },
    /** Only active people: a deactivated governance lead or manager is no escalation target. */
    async peopleByRole(role) {
      const rows: PersonRow[] = await dataSource.query(
        `SELECT id, name, email, role, manager_id FROM people WHERE role = $1 AND active ORDER BY id`,
        [role],
      );
      return rows.map(toPerson);
    },
  };
}

/** The task read model and its audit stream: libs/persistence/read-models.ts owns both. */
export function createPostgresTaskRecords(dataSource: DataSource): TaskRecords {
  return { record: (input) => recordTaskTransition(dataSource, input) };
}

/** The incident and nonconformity read models, each write with its audit event in one transaction. */
export function createPostgresCaseRecords(dataSource: DataSource): CaseRecords {
  return {
    recordIncident: (input) => recordIncident(dataSource, input),
    recordNonconformity: (input) => recordNonconformity(dataSource, input),
  };
}

export function createPostgresSystems(dataSource: DataSource): SystemsPort {
  return {
    async find(systemId): Promise<CycleSystem | null> {
      if (!isUuid(systemId)) return null;
      const rows: Array<{
        id: string;
        name: string;
        owner_id: string;
        risk_tier: CycleSystem['riskTier'];
        lifecycle_stage: CycleSystem['lifecycleStage'];
        go_live_date: string | null;
        created_at: Date;
      }> = await dataSource.query(
        `SELECT id, name, owner_id, risk_tier, lifecycle_stage, to_char(go_live_date, 'YYYY-MM-DD') AS go_live_date, created_at
           FROM ai_systems WHERE id = $1`,
        [systemId],
      );
      const r = rows[0];
      return r
        ? {
            id: r.id,
            name: r.name,
            ownerId: r.owner_id,
            riskTier: r.risk_tier,
            lifecycleStage: r.lifecycle_stage,
            goLiveDate: r.go_live_date,
            registeredAt: new Date(r.created_at).toISOString(),
          }
        : null;
    },
  };
}

/** Inventory recertification: who owns what in scope, and its one writer (libs/persistence). */
export function createPostgresRecertification(dataSource: DataSource): RecertificationPort {
  return {
    owners: () => recertificationOwners(dataSource),
    recordRound: (input) => recordRecertificationRound(dataSource, input),
    recordConfirmations: (input) => recordRecertifications(dataSource, input),
  };
}

/** The audit programme's universe and records: libs/persistence/audit-programme.ts owns both. */
export function createPostgresAuditProgrammes(dataSource: DataSource): AuditProgrammeRecords {
  return {
    universe: (input) => loadAuditUniverse(dataSource, input),
    record: (input) => recordAuditProgramme(dataSource, input),
  };
}

/** The management reviews' rows and pack reads (libs/persistence management-reviews.ts). */
export function createPostgresManagementReviews(dataSource: DataSource): ManagementReviewPort {
  return {
    compilePack: (input) => compileManagementReviewPack(dataSource, input),
    record: (input) => recordManagementReview(dataSource, input),
    inactivePeople: (ids) => inactivePeople(dataSource, ids),
  };
}

/** Every port over PostgreSQL and SMTP. Spread the result to add `afterSend` in tests. */
export function createPostgresPorts(dataSource: DataSource, transport: Transporter, from: string, publicUrl: string): ActivityDeps {
  return {
    publicUrl,
    directory: createPostgresDirectory(dataSource),
    auditProgrammes: createPostgresAuditProgrammes(dataSource),
    records: createPostgresTaskRecords(dataSource),
    cases: createPostgresCaseRecords(dataSource),
    outbox: createPostgresEmailOutbox(dataSource, transport, from),
    systems: createPostgresSystems(dataSource),
    recertification: createPostgresRecertification(dataSource),
    policies: createPostgresPolicyRecords(dataSource),
    managementReviews: createPostgresManagementReviews(dataSource),
  };
}
