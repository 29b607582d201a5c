/**
 * Real ports over a TypeORM DataSource (raw SQL against the committed migrations) and an
 * SMTP transport. Used by the worker and by the e2e tests.
 */
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import type { CycleSystem, RecordTransitionInput, Role } from '../libs/contracts';
import { appendAuditEvent } from '../libs/persistence';
import { createPostgresCaseRecords } from './case-records';
import { createPostgresEmailOutbox } from './email-outbox';
import type { ActivityDeps, PeopleDirectory, Person, SystemsPort, TaskRecords } from './ports';

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
    async peopleByRole(role) {
      const rows: PersonRow[] = await dataSource.query(`SELECT id, name, email, role, manager_id FROM people WHERE role = $1 ORDER BY id`, [
        role,
      ]);
      return rows.map(toPerson);
    },
  };
}

/** The audit idempotency key of a transition: one event per task version. */
export function transitionKey(input: RecordTransitionInput): string {
  return `${input.taskId}#${input.status.version}:${input.event}`;
}

export function createPostgresTaskRecords(dataSource: DataSource): TaskRecords {
  return {
    async record(input) {
      const s = input.status;
      await dataSource.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO tasks (id, kind, title, subject_type, subject_id, owner_id, state, opened_at, due_at, cadence_id, period,
                              submitted_by, submitted_at, approved_by, approved_at, submissions, rejections, escalation_level,
                              next_step_key, next_step_at, status, version, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, now())
           ON CONFLICT (id) DO UPDATE SET
             kind = EXCLUDED.kind, title = EXCLUDED.title, subject_type = EXCLUDED.subject_type, subject_id = EXCLUDED.subject_id,
             owner_id = EXCLUDED.owner_id, state = EXCLUDED.state, opened_at = EXCLUDED.opened_at, due_at = EXCLUDED.due_at,
             cadence_id = EXCLUDED.cadence_id, period = EXCLUDED.period, submitted_by = EXCLUDED.submitted_by,
             submitted_at = EXCLUDED.submitted_at, approved_by = EXCLUDED.approved_by, approved_at = EXCLUDED.approved_at,
             submissions = EXCLUDED.submissions, rejections = EXCLUDED.rejections, escalation_level = EXCLUDED.escalation_level,
             next_step_key = EXCLUDED.next_step_key, next_step_at = EXCLUDED.next_step_at, status = EXCLUDED.status,
             version = EXCLUDED.version, updated_at = now()
           WHERE tasks.version < EXCLUDED.version`,
          [
            s.taskId,
            s.kind,
            s.title,
            s.subject.type,
            s.subject.id,
            s.ownerId,
            s.state,
            s.openedAt,
            s.dueAt,
            s.cadenceId ?? null,
            s.period ?? null,
            s.submittedBy ?? null,
            s.submittedAt ?? null,
            s.approvedBy ?? null,
            s.approvedAt ?? null,
            s.submissions,
            s.rejections,
            s.escalationLevel,
            s.nextStep?.key ?? null,
            s.nextStep?.at ?? null,
            JSON.stringify(s),
            s.version,
          ],
        );
        await appendAuditEvent(tx, {
          streamId: input.taskId,
          idempotencyKey: transitionKey(input),
          event: input.event,
          actorId: input.actorId ?? null,
          occurredAt: new Date(input.at),
          detail: { ...(input.detail ?? {}), state: s.state, version: s.version, ownerId: s.ownerId, dueAt: s.dueAt },
        });
      });
    },
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
      }> = await dataSource.query(`SELECT id, name, owner_id, risk_tier, lifecycle_stage FROM ai_systems WHERE id = $1`, [systemId]);
      const r = rows[0];
      return r ? { id: r.id, name: r.name, ownerId: r.owner_id, riskTier: r.risk_tier, lifecycleStage: r.lifecycle_stage } : null;
    },
  };
}

/** Every port over PostgreSQL and SMTP. Spread the result to add `afterSend` in tests. */
export function createPostgresPorts(dataSource: DataSource, transport: Transporter, from: string): ActivityDeps {
  return {
    directory: createPostgresDirectory(dataSource),
    records: createPostgresTaskRecords(dataSource),
    cases: createPostgresCaseRecords(dataSource),
    outbox: createPostgresEmailOutbox(dataSource, transport, from),
    systems: createPostgresSystems(dataSource),
  };
}
