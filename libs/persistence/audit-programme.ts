/**
 * The audit programme's one writer (ISO/IEC 42001 9.2): a programme's snapshot, its findings
 * and the first rows of the nonconformities they raise, each with its audit event in one
 * transaction; and the clause register (clauses 4-10 and their owners), versioned in the audit
 * trail like the SoA. Reads: the universe a plan is checked against.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditProgrammeStatus, LoadAuditUniverseInput, RecordAuditProgrammeInput } from '../contracts';
import { initialNonconformityStatus } from '../contracts';
import { AIMS_CLAUSES, auditCriteria, AuditUniverse, CRITERIA_EVIDENCED_BY, TaskKind } from '../domain';
import { appendToStream, appendToStreams, AUDIT_STREAMS, streamEvent, transitionEvent } from './audit-streams';
import { upsertNonconformity } from './read-models';

type Db = Pick<EntityManager, 'query'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------
// The clause register
// ---------------------------------------------------------------------------------------

export interface ClauseRecord {
  clause: string;
  title: string;
  ownerId: string | null;
  version: number;
  updatedAt: Date;
  updatedBy: string | null;
}

interface ClauseRow {
  clause: string;
  title: string;
  owner_id: string | null;
  version: number;
  updated_at: Date;
  updated_by: string | null;
}

const CLAUSE_COLUMNS = 'clause, title, owner_id, version, updated_at, updated_by';
const CLAUSE_ORDER = new Map(AIMS_CLAUSES.map((c, i) => [c.id, i]));

function toClause(r: ClauseRow): ClauseRecord {
  return {
    clause: r.clause,
    title: r.title,
    ownerId: r.owner_id,
    version: r.version,
    updatedAt: new Date(r.updated_at),
    updatedBy: r.updated_by,
  };
}

/** Clauses 4-10 with their owners, in the standard's order. */
export async function currentClauses(db: Db): Promise<ClauseRecord[]> {
  const rows: ClauseRow[] = await db.query(`SELECT ${CLAUSE_COLUMNS} FROM aims_clauses`);
  return rows.map(toClause).sort((a, b) => (CLAUSE_ORDER.get(a.clause) ?? 0) - (CLAUSE_ORDER.get(b.clause) ?? 0));
}

/** One clause's line, locked for the caller's transaction. */
export async function clauseForUpdate(tx: EntityManager, clause: string): Promise<ClauseRecord | undefined> {
  const rows: ClauseRow[] = await tx.query(`SELECT ${CLAUSE_COLUMNS} FROM aims_clauses WHERE clause = $1 FOR UPDATE`, [clause]);
  return rows[0] && toClause(rows[0]);
}

/** Writes a clause's new owner and its `aims-clause.changed` event, within the caller's transaction. */
export async function writeClauseOwner(
  tx: EntityManager,
  previous: ClauseRecord,
  ownerId: string | null,
  actorId: string,
  at: Date,
): Promise<ClauseRecord> {
  const version = previous.version + 1;
  const [rows]: [ClauseRow[], number] = await tx.query(
    `UPDATE aims_clauses SET owner_id = $2, version = $3, updated_at = $4, updated_by = $5
      WHERE clause = $1 AND version = $6 RETURNING ${CLAUSE_COLUMNS}`,
    [previous.clause, ownerId, version, at, actorId, previous.version],
  );
  if (!rows.length) throw new Error(`clause ${previous.clause} changed under a lock (expected version ${previous.version})`);
  await appendToStream(tx, AUDIT_STREAMS.aimsClause(previous.clause), {
    event: 'aims-clause.changed',
    actorId,
    occurredAt: at,
    onceFor: `${previous.clause}#${version}`,
    detail: { clause: previous.clause, ownerId, previousOwnerId: previous.ownerId, version },
  });
  return toClause(rows[0]);
}

// ---------------------------------------------------------------------------------------
// The universe a plan is checked against
// ---------------------------------------------------------------------------------------

const EVIDENCING_KINDS = Object.keys(CRITERIA_EVIDENCED_BY) as TaskKind[];

export async function loadAuditUniverse(db: Db, input: LoadAuditUniverseInput): Promise<AuditUniverse> {
  const clauses = await currentClauses(db);
  const controls: Array<{ control_id: string; owner_id: string | null }> = await db.query(
    `SELECT control_id, owner_id FROM soa_entries WHERE applicability = 'applicable'`,
  );
  const ids = input.auditorIds.filter((id) => UUID.test(id));
  const people: Array<{ id: string; name: string; active: boolean }> = ids.length
    ? await db.query(`SELECT id, name, active FROM people WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids])
    : [];
  const work: Array<{ id: string; kind: TaskKind; submitted_by: string }> = ids.length
    ? await db.query(
        `SELECT id, kind, submitted_by FROM tasks
          WHERE submitted_by = ANY($1::uuid[]) AND kind = ANY($2::text[]) AND submitted_at >= $3 AND submitted_at < $4
          ORDER BY submitted_at, id`,
        [ids, EVIDENCING_KINDS, input.from, input.to],
      )
    : [];
  return {
    criteria: auditCriteria(
      new Map(clauses.map((c) => [c.clause, c.ownerId])),
      controls.map((c) => ({ controlId: c.control_id, ownerId: c.owner_id })),
    ),
    people,
    submittedWork: work.map((w) => ({ taskId: w.id, kind: w.kind, submittedBy: w.submitted_by })),
  };
}

// ---------------------------------------------------------------------------------------
// A programme's transitions
// ---------------------------------------------------------------------------------------

export async function upsertAuditProgramme(tx: EntityManager, s: AuditProgrammeStatus): Promise<void> {
  await tx.query(
    `INSERT INTO audit_programmes (id, period, state, opened_at, closed_at, status, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (id) DO UPDATE SET
       state = EXCLUDED.state, closed_at = EXCLUDED.closed_at, status = EXCLUDED.status, version = EXCLUDED.version, updated_at = now()
     WHERE audit_programmes.version < EXCLUDED.version`,
    [s.programmeId, s.period, s.state, s.openedAt, s.closedAt ?? null, JSON.stringify(s), s.version],
  );
  for (const f of s.findings) {
    // A finding is written once; a retried or later snapshot carries it again unchanged.
    await tx.query(
      `INSERT INTO audit_findings (id, programme_id, audit_number, audit_task_id, criterion_id, grade, summary, evidence_urls,
                                   nonconformity_id, recorded_by, recorded_at, submission)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12::jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [
        f.id,
        s.programmeId,
        f.audit,
        f.auditTaskId,
        f.criterionId,
        f.grade,
        f.summary,
        JSON.stringify(f.evidenceUrls),
        f.nonconformityId ?? null,
        f.recordedBy,
        f.recordedAt,
        f.submission ? JSON.stringify(f.submission) : null,
      ],
    );
  }
}

/** A programme's transition: its row, findings and raised nonconformities with their audit events, in one transaction. Idempotent. */
export async function recordAuditProgramme(db: DataSource, input: RecordAuditProgrammeInput): Promise<void> {
  const s = input.status;
  await db.transaction(async (tx) => {
    await upsertAuditProgramme(tx, s);
    const raised = input.raised ?? [];
    // Version 0, as POST /nonconformities writes it; the corrective action records every later one.
    for (const nc of raised) await upsertNonconformity(tx, initialNonconformityStatus(nc, input.at));
    // The programme's stream and each raised nonconformity's: their heads locked together, in one order, after the rows.
    await appendToStreams(tx, [
      ...raised.map((nc) =>
        streamEvent(AUDIT_STREAMS.nonconformity(nc.nonconformityId), {
          event: 'nonconformity.raised',
          onceFor: nc.nonconformityId,
          actorId: nc.openedBy,
          occurredAt: new Date(input.at),
          detail: {
            source: nc.source,
            grade: nc.grade,
            title: nc.title,
            actionOwnerId: nc.actionOwnerId,
            verifierId: nc.verifierId,
            plan: nc.plan,
            programmeId: s.programmeId,
          },
        }),
      ),
      transitionEvent(AUDIT_STREAMS.auditProgramme(s.programmeId), {
        event: input.event,
        version: s.version,
        actorId: input.actorId ?? null,
        at: input.at,
        detail: { ...(input.detail ?? {}), state: s.state, version: s.version },
      }),
    ]);
  });
}
