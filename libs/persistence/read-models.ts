/**
 * The read models of tasks, incidents and nonconformities: their upserts, each recorded with
 * its audit event in one transaction, and the domain rules as SQL over their rows.
 *
 * The rules are libs/domain's (`isOverdue`, `DUE_SOON_MS`, `readClock`, `needsQuarterlyReview`)
 * and the workflow id schemes libs/contracts'. This is the one place that turns them into
 * SQL, built from those same definitions: the API's queries interpolate the fragments below
 * and never spell a rule out themselves, so they cannot drift from the workflows.
 *
 * A row only moves forward: an older snapshot never overwrites a newer one. The API writes
 * version 0 of an incident or nonconformity when it opens the case; the workflow's
 * activities write every later version (and every version of a task).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { IncidentStatus, NonconformityStatus, RecordCaseInput, RecordTransitionInput, TaskStatus, TaskSubject } from '../contracts';
import { goLiveAiiaWorkflowId, initialAiiaWorkflowId, taskWorkflowId } from '../contracts';
import type { TaskKind } from '../domain';
import { clockSummary, DAY_MS, DUE_SOON_MS, OPEN_TASK_STATES, PROHIBITED_TIER, QUARTERLY_REVIEW_TIER, RETIRED_STAGE } from '../domain';
import { appendTransition, AUDIT_STREAMS, AuditStream } from './audit-streams';

// ---------------------------------------------------------------------------------------
// The rules as SQL
// ---------------------------------------------------------------------------------------

/** A SQL string literal of a constant of the domain (a state, a tier, part of an id scheme). */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function column(alias: string | undefined, name: string): string {
  return alias ? `${alias}.${name}` : name;
}

/**
 * A workflow id scheme of libs/contracts as a SQL expression over an id: the builder itself,
 * applied to a marker and split around it, e.g. `'aiia:' || s.id::text || ':go-live'`.
 */
function workflowIdSql(build: (id: string) => string, idSql: string): string {
  const MARK = '\u0000';
  const parts = build(MARK).split(MARK);
  if (parts.length !== 2) throw new Error(`workflow id scheme must use its id once: ${build(MARK)}`);
  return [parts[0] && literal(parts[0]), idSql, parts[1] && literal(parts[1])].filter(Boolean).join(' || ');
}

/** `DUE_SOON_MS` as an interval. */
const DUE_SOON_INTERVAL = `interval '${DUE_SOON_MS} milliseconds'`;

/**
 * The fragments are conditions to AND into a WHERE or a FILTER; one with an OR is
 * parenthesised. Wrap one in parentheses before negating it.
 */

/** Over a `tasks` row (optionally aliased). */
export const TASKS_SQL = {
  /** libs/domain `isOpenTaskState`: still owed. */
  open: (alias?: string): string => `${column(alias, 'state')} IN (${OPEN_TASK_STATES.map(literal).join(', ')})`,
  /** libs/domain `isOverdue`: still owed (OPEN_TASK_STATES) and the due time past. */
  overdue: (alias?: string): string =>
    `${column(alias, 'due_at')} < now() AND ${column(alias, 'state')} IN (${OPEN_TASK_STATES.map(literal).join(', ')})`,
};

const AI_SYSTEM_SUBJECT: TaskSubject['type'] = 'ai-system';
const AIIA_KIND: TaskKind = 'aiia';

/** Over an `ai_systems` row (optionally aliased). */
export const SYSTEMS_SQL = {
  /** libs/domain `isInCadenceScope`: neither retired nor prohibited. */
  inCadenceScope: (alias?: string): string =>
    `${column(alias, 'lifecycle_stage')} <> ${literal(RETIRED_STAGE)} AND ${column(alias, 'risk_tier')} <> ${literal(PROHIBITED_TIER)}`,
  /** libs/domain `needsQuarterlyReview`: in scope and high-risk. */
  needsQuarterlyReview: (alias?: string): string =>
    `${SYSTEMS_SQL.inCadenceScope(alias)} AND ${column(alias, 'risk_tier')} = ${literal(QUARTERLY_REVIEW_TIER)}`,
  /** libs/contracts `goLiveAiiaWorkflowId` of the system: the id of its go-live AIIA's task row. */
  goLiveAiiaTaskId: (alias?: string): string => workflowIdSql(goLiveAiiaWorkflowId, `${column(alias, 'id')}::text`),
  /** libs/contracts `initialAiiaWorkflowId` of the system. */
  initialAiiaTaskId: (alias?: string): string => workflowIdSql(initialAiiaWorkflowId, `${column(alias, 'id')}::text`),
  /** The id of the system's high-risk review of a period (libs/contracts `taskWorkflowId`). */
  reviewTaskId: (period: string, alias?: string): string =>
    workflowIdSql((id) => taskWorkflowId('high-risk-review', id, period), `${column(alias, 'id')}::text`),
  /** Whether any AI impact assessment of the system is on record (go-live, initial, yearly, after a change). */
  aiiaOnRecord: (alias?: string): string =>
    `EXISTS (SELECT 1 FROM tasks aiia_t WHERE aiia_t.subject_type = ${literal(AI_SYSTEM_SUBJECT)} ` +
    `AND aiia_t.subject_id = ${column(alias, 'id')}::text AND aiia_t.kind = ${literal(AIIA_KIND)})`,
};

/**
 * Over an `incidents` row. `next_deadline_at` is the earliest deadline still outstanding and
 * `any_report_late` whether a report went in late (libs/domain `clockSummary`), so these read
 * a clock as libs/domain `readClock` does.
 */
export const INCIDENTS_SQL = {
  /** A report went in late, or an outstanding deadline is reached: the view's `breached`. */
  breached: `(any_report_late OR coalesce(next_deadline_at <= now(), false))`,
  /** The earliest outstanding deadline is reached: `readClock` 'breached'. */
  nextDeadlineBreached: `next_deadline_at <= now()`,
  /** Within `DUE_SOON_MS` of it: 'due-soon'. */
  nextDeadlineDueSoon: `next_deadline_at > now() AND next_deadline_at <= now() + ${DUE_SOON_INTERVAL}`,
  /** Further off: 'on-track'. */
  nextDeadlineOnTrack: `next_deadline_at > now() + ${DUE_SOON_INTERVAL}`,
  /** The draft report went in by its deadline: 'in-on-time'. */
  draftOnTime: `report_submitted_at <= report_due_at`,
  /**
   * The draft report went in late, or is still out past its deadline. (Still out *at* the
   * deadline instant counts as breached above but not yet late here, as it always has.)
   */
  draftLate: `(report_submitted_at > report_due_at OR (report_submitted_at IS NULL AND report_due_at < now()))`,
};

/** Over a `nonconformities` row. */
export const NONCONFORMITIES_SQL = {
  /** Whole days since it opened, as the view's `ageDays` (`DAY_MS`). */
  ageDays: `floor(extract(epoch FROM now() - opened_at) / ${DAY_MS / 1000})`,
};

/** What a person is still responsible for: what keeps them from being deactivated. */
export interface OpenWorkOf {
  /** Open tasks they own (OPEN_TASK_STATES). */
  tasks: Array<{ id: string; kind: string; title: string }>;
  /** Open incidents they respond to. */
  incidents: Array<{ id: string; title: string }>;
  /** Open nonconformities whose action they own or whose effectiveness they verify. */
  nonconformities: Array<{ id: string; title: string; as: 'actionOwner' | 'verifier' }>;
  /** AI systems they own that are not retired. */
  systems: Array<{ id: string; name: string }>;
  /** Active people whose manager (first escalation level) they are. */
  directReports: Array<{ id: string; name: string }>;
  /** Annex A controls they own in the Statement of Applicability (not excluded). */
  controls: Array<{ id: string }>;
  /** AI policies they own (each reviewed by its owner). */
  policies: Array<{ id: string; title: string }>;
}

export async function openWorkOf(tx: EntityManager, personId: string): Promise<OpenWorkOf> {
  const [tasks, incidents, nonconformities, systems, directReports, controls, policies] = [
    await tx.query(`SELECT id, kind, title FROM tasks WHERE owner_id = $1 AND ${TASKS_SQL.open()} ORDER BY due_at, id`, [personId]),
    await tx.query(`SELECT id, title FROM incidents WHERE responder_id = $1 AND state = 'open' ORDER BY detected_at, id`, [personId]),
    await tx.query(
      `SELECT id, title, CASE WHEN action_owner_id = $1 THEN 'actionOwner' ELSE 'verifier' END AS "as" FROM nonconformities
        WHERE state = 'open' AND (action_owner_id = $1 OR verifier_id = $1) ORDER BY opened_at, id`,
      [personId],
    ),
    await tx.query(
      `SELECT id, name FROM ai_systems WHERE owner_id = $1 AND lifecycle_stage <> ${literal(RETIRED_STAGE)} ORDER BY created_at, id`,
      [personId],
    ),
    await tx.query(`SELECT id, name FROM people WHERE manager_id = $1 AND active ORDER BY created_at, id`, [personId]),
    await tx.query(`SELECT control_id AS id FROM soa_entries WHERE owner_id = $1 AND applicability <> 'excluded' ORDER BY control_id`, [
      personId,
    ]),
    await tx.query(`SELECT id, title FROM policies WHERE owner_id = $1 ORDER BY created_at, id`, [personId]),
  ];
  return { tasks, incidents, nonconformities, systems, directReports, controls, policies };
}

/**
 * An AI system's open cadence work (OPEN_TASK_STATES; its reviews and AIIAs, whose subject is
 * the system): what retiring it cancels. Earliest due first.
 */
export function openTasksOfSystem(db: Pick<EntityManager, 'query'>, systemId: string): Promise<Array<{ id: string; kind: string }>> {
  return db.query(
    `SELECT id, kind FROM tasks WHERE subject_type = ${literal(AI_SYSTEM_SUBJECT)} AND subject_id = $1 AND ${TASKS_SQL.open()} ORDER BY due_at, id`,
    [systemId],
  );
}

// ---------------------------------------------------------------------------------------
// Upserts
// ---------------------------------------------------------------------------------------

export async function upsertTask(tx: EntityManager, s: TaskStatus): Promise<void> {
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
}

export async function upsertIncident(tx: EntityManager, s: IncidentStatus): Promise<void> {
  const draft = s.reports.find((r) => r.key === 'draft');
  const { nextDeadlineAt, anyInLate } = clockSummary(s.reports);
  await tx.query(
    `INSERT INTO incidents (id, system_id, title, severity, state, responder_id, detected_at, opened_at, acknowledged_at, contained_at,
                            closed_at, report_due_at, report_submitted_at, next_deadline_at, any_report_late, status, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, now())
     ON CONFLICT (id) DO UPDATE SET
       title = EXCLUDED.title, severity = EXCLUDED.severity, state = EXCLUDED.state, responder_id = EXCLUDED.responder_id,
       opened_at = EXCLUDED.opened_at, acknowledged_at = EXCLUDED.acknowledged_at, contained_at = EXCLUDED.contained_at,
       closed_at = EXCLUDED.closed_at, report_due_at = EXCLUDED.report_due_at, report_submitted_at = EXCLUDED.report_submitted_at,
       next_deadline_at = EXCLUDED.next_deadline_at, any_report_late = EXCLUDED.any_report_late, status = EXCLUDED.status,
       version = EXCLUDED.version, updated_at = now()
     WHERE incidents.version < EXCLUDED.version`,
    [
      s.incidentId,
      s.system.id,
      s.title,
      s.severity,
      s.state,
      s.responderId,
      s.detectedAt,
      s.openedAt,
      s.acknowledgedAt ?? null,
      s.containment?.at ?? null,
      s.closedAt ?? null,
      draft?.dueAt ?? s.detectedAt,
      draft?.submittedAt ?? null,
      nextDeadlineAt,
      anyInLate,
      JSON.stringify(s),
      s.version,
    ],
  );
}

export async function upsertNonconformity(tx: EntityManager, s: NonconformityStatus): Promise<void> {
  await tx.query(
    `INSERT INTO nonconformities (id, source_type, source_ref, grade, title, state, step, action_owner_id, verifier_id, loops,
                                  opened_at, closed_at, status, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
     ON CONFLICT (id) DO UPDATE SET
       state = EXCLUDED.state, step = EXCLUDED.step, action_owner_id = EXCLUDED.action_owner_id, verifier_id = EXCLUDED.verifier_id,
       loops = EXCLUDED.loops, opened_at = EXCLUDED.opened_at, closed_at = EXCLUDED.closed_at, status = EXCLUDED.status,
       version = EXCLUDED.version, updated_at = now()
     WHERE nonconformities.version < EXCLUDED.version`,
    [
      s.nonconformityId,
      s.source.type,
      s.source.ref,
      s.grade,
      s.title,
      s.state,
      s.step,
      s.actionOwnerId,
      s.verifierId,
      s.loops,
      s.openedAt,
      s.closedAt ?? null,
      JSON.stringify(s),
      s.version,
    ],
  );
}

// ---------------------------------------------------------------------------------------
// A workflow's transitions: the upsert and its audit event, in one transaction
// ---------------------------------------------------------------------------------------

/** A governanceTask transition. Idempotent: a retry changes nothing. */
export async function recordTaskTransition(db: DataSource, input: RecordTransitionInput): Promise<void> {
  const s = input.status;
  await db.transaction(async (tx) => {
    await upsertTask(tx, s);
    await appendTransition(tx, AUDIT_STREAMS.task(input.taskId), {
      event: input.event,
      version: s.version,
      actorId: input.actorId ?? null,
      at: input.at,
      detail: { ...(input.detail ?? {}), state: s.state, version: s.version, ownerId: s.ownerId, dueAt: s.dueAt },
    });
  });
}

async function recordCase<S extends { version: number }>(
  db: DataSource,
  stream: AuditStream,
  input: RecordCaseInput<S>,
  upsert: (tx: EntityManager, s: S) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    await upsert(tx, input.status);
    await appendTransition(tx, stream, {
      event: input.event,
      version: input.status.version,
      actorId: input.actorId ?? null,
      at: input.at,
      detail: { ...(input.detail ?? {}), version: input.status.version },
    });
  });
}

/** An incident workflow's transition. Idempotent. */
export function recordIncident(db: DataSource, input: RecordCaseInput<IncidentStatus>): Promise<void> {
  return recordCase(db, AUDIT_STREAMS.incident(input.status.incidentId), input, upsertIncident);
}

/** A corrective-action workflow's transition. Idempotent. */
export function recordNonconformity(db: DataSource, input: RecordCaseInput<NonconformityStatus>): Promise<void> {
  return recordCase(db, AUDIT_STREAMS.nonconformity(input.status.nonconformityId), input, upsertNonconformity);
}
