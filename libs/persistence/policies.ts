/**
 * The policy register's one writer: policies (their registration and changes, and the new
 * version an approved review records) and the policy reviews' read model, each write with its
 * audit event in the same transaction.
 */
import { randomUUID } from 'crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { PolicyForRound, PolicyReviewStatus, RecordCaseInput } from '../contracts';
import { appendToStream, appendToStreams, AUDIT_STREAMS, streamEvent, transitionEvent } from './audit-streams';

type Db = Pick<EntityManager, 'query'>;

export interface PolicyRecord {
  id: string;
  title: string;
  ownerId: string;
  version: string;
  documentUrl: string;
  approvedBy: string | null;
  lastReviewedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the register's routes may set; the version after registration only through an approved review. */
export type PolicyFields = Pick<PolicyRecord, 'title' | 'ownerId' | 'version' | 'documentUrl' | 'approvedBy'>;

interface PolicyRow {
  id: string;
  title: string;
  owner_id: string;
  version: string;
  document_url: string;
  approved_by: string | null;
  last_reviewed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, title, owner_id, version, document_url, approved_by, last_reviewed_at, created_at, updated_at';

function toRecord(r: PolicyRow): PolicyRecord {
  return {
    id: r.id,
    title: r.title,
    ownerId: r.owner_id,
    version: r.version,
    documentUrl: r.document_url,
    approvedBy: r.approved_by,
    lastReviewedAt: r.last_reviewed_at ? new Date(r.last_reviewed_at) : null,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** The audit trail's view of a policy. */
function fieldsOf(p: PolicyFields): PolicyFields {
  return { title: p.title, ownerId: p.ownerId, version: p.version, documentUrl: p.documentUrl, approvedBy: p.approvedBy };
}

export async function createPolicy(tx: EntityManager, fields: PolicyFields, actorId: string, at = new Date()): Promise<PolicyRecord> {
  const id = randomUUID();
  const rows: PolicyRow[] = await tx.query(
    `INSERT INTO policies (id, title, owner_id, version, document_url, approved_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${COLUMNS}`,
    [id, fields.title, fields.ownerId, fields.version, fields.documentUrl, fields.approvedBy, at],
  );
  await appendToStream(tx, AUDIT_STREAMS.policy(id), {
    event: 'policy.registered',
    onceFor: id,
    actorId,
    occurredAt: at,
    detail: { ...fieldsOf(fields) },
  });
  return toRecord(rows[0]);
}

export async function policyForUpdate(tx: EntityManager, id: string): Promise<PolicyRecord | undefined> {
  const rows: PolicyRow[] = await tx.query(`SELECT ${COLUMNS} FROM policies WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] && toRecord(rows[0]);
}

/** Writes the changed fields and a `policy.updated` event naming them (nothing when nothing changed). */
export async function updatePolicy(
  tx: EntityManager,
  previous: PolicyRecord,
  next: Omit<PolicyFields, 'version'>,
  actorId: string,
  at = new Date(),
): Promise<PolicyRecord> {
  const changes = (Object.keys(next) as Array<keyof typeof next>).filter((k) => next[k] !== previous[k]);
  if (!changes.length) return previous;
  // An UPDATE answers [rows, rowCount] through TypeORM's postgres driver.
  const [rows]: [PolicyRow[], number] = await tx.query(
    `UPDATE policies SET title = $2, owner_id = $3, document_url = $4, approved_by = $5, updated_at = $6 WHERE id = $1 RETURNING ${COLUMNS}`,
    [previous.id, next.title, next.ownerId, next.documentUrl, next.approvedBy, at],
  );
  await appendToStream(tx, AUDIT_STREAMS.policy(previous.id), {
    event: 'policy.updated',
    actorId,
    occurredAt: at,
    detail: { changes: Object.fromEntries(changes.map((k) => [k, { from: previous[k], to: next[k] }])) },
  });
  return toRecord(rows[0]);
}

export async function listPolicies(db: Db): Promise<PolicyRecord[]> {
  const rows: PolicyRow[] = await db.query(`SELECT ${COLUMNS} FROM policies ORDER BY created_at, id`);
  return rows.map(toRecord);
}

export async function findPolicy(db: Db, id: string): Promise<PolicyRecord | undefined> {
  const rows: PolicyRow[] = await db.query(`SELECT ${COLUMNS} FROM policies WHERE id = $1`, [id]);
  return rows[0] && toRecord(rows[0]);
}

/** States of a review still owed. */
export const OPEN_POLICY_REVIEW_STATES = ['opening', 'open', 'submitted'] as const;
const OPEN_REVIEW_SQL = `state IN (${OPEN_POLICY_REVIEW_STATES.map((s) => `'${s}'`).join(', ')})`;

export interface PolicyReviewRow {
  status: PolicyReviewStatus;
  /** The state of its task in the task read model (a rejection sends the work back to `open`). */
  taskState: string | null;
  updatedAt: Date;
}

/** A policy's reviews, the latest opened first, each with its task's state. */
export async function reviewsOfPolicy(db: Db, policyId: string): Promise<PolicyReviewRow[]> {
  const rows: Array<{ status: PolicyReviewStatus; task_state: string | null; updated_at: Date }> = await db.query(
    `SELECT r.status, t.state AS task_state, r.updated_at
       FROM policy_reviews r LEFT JOIN tasks t ON t.id = r.task_id
      WHERE r.policy_id = $1 ORDER BY r.opened_at DESC, r.id`,
    [policyId],
  );
  return rows.map((r) => ({ status: r.status, taskState: r.task_state, updatedAt: new Date(r.updated_at) }));
}

/** Every policy, with its open review if it has one: what the yearly round reads. */
export async function policiesForReview(db: Db): Promise<PolicyForRound[]> {
  const rows: Array<PolicyRow & { open_review_id: string | null }> = await db.query(
    `SELECT p.id, p.title, p.owner_id, p.version, p.document_url,
            (SELECT r.id FROM policy_reviews r WHERE r.policy_id = p.id AND r.${OPEN_REVIEW_SQL} ORDER BY r.opened_at LIMIT 1) AS open_review_id
       FROM policies p ORDER BY p.created_at, p.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    ownerId: r.owner_id,
    version: r.version,
    documentUrl: r.document_url,
    ...(r.open_review_id ? { openReviewId: r.open_review_id } : {}),
  }));
}

/** Upserts a review's row if the snapshot is newer (the API writes version 0 as it starts a major change's review). */
export async function upsertPolicyReview(tx: Db, s: PolicyReviewStatus): Promise<void> {
  await tx.query(
    `INSERT INTO policy_reviews (id, policy_id, review_key, trigger, task_id, state, opened_at, due_at, approved_by, approved_at,
                                 status, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
     ON CONFLICT (id) DO UPDATE SET
       state = EXCLUDED.state, opened_at = EXCLUDED.opened_at, due_at = EXCLUDED.due_at, approved_by = EXCLUDED.approved_by,
       approved_at = EXCLUDED.approved_at, status = EXCLUDED.status, version = EXCLUDED.version, updated_at = now()
     WHERE policy_reviews.version < EXCLUDED.version`,
    [
      s.reviewId,
      s.policyId,
      s.key,
      s.trigger,
      s.taskId,
      s.state,
      s.openedAt,
      s.dueAt,
      s.approvedBy ?? null,
      s.approvedAt ?? null,
      JSON.stringify(s),
      s.version,
    ],
  );
}

/**
 * A policyReview's transition, in one transaction: the review's row and its event; on its
 * approval, the policy's new version, document, approver and last review with a `policy.reviewed`
 * event, once per review (a retry finds the event and changes nothing).
 */
export async function recordPolicyReview(db: DataSource, input: RecordCaseInput<PolicyReviewStatus>): Promise<void> {
  const s = input.status;
  await db.transaction(async (tx) => {
    await upsertPolicyReview(tx, s);
    const transition = transitionEvent(AUDIT_STREAMS.policyReview(s.reviewId), {
      event: input.event,
      version: s.version,
      actorId: input.actorId ?? null,
      at: input.at,
      detail: { ...(input.detail ?? {}), state: s.state, version: s.version, policyId: s.policyId, taskId: s.taskId },
    });
    if (input.event !== 'approved' || s.state !== 'approved' || !s.newVersion || !s.approvedAt) {
      await appendToStreams(tx, [transition]);
      return;
    }
    const at = new Date(s.approvedAt);
    // The policy's row is locked before any stream head (as PATCH /policies/:id locks it before
    // its own append): the heads are the last locks this transaction takes.
    await tx.query(`SELECT 1 FROM policies WHERE id = $1 FOR UPDATE`, [s.policyId]);
    const [, first] = await appendToStreams(tx, [
      transition,
      streamEvent(AUDIT_STREAMS.policy(s.policyId), {
        event: 'policy.reviewed',
        onceFor: s.reviewId,
        actorId: s.approvedBy ?? null,
        occurredAt: at,
        detail: {
          reviewId: s.reviewId,
          taskId: s.taskId,
          outcome: s.outcome,
          previousVersion: s.previousVersion,
          version: s.newVersion,
          documentUrl: s.documentUrl,
          approvedBy: s.approvedBy,
        },
      }),
    ]);
    if (!first) return;
    // The document changes only when the review changed it: a link moved by PATCH meanwhile stays.
    await tx.query(
      `UPDATE policies
          SET version = $2, document_url = CASE WHEN $3::text <> $6::text THEN $3 ELSE document_url END,
              approved_by = $4, last_reviewed_at = $5, updated_at = $5
        WHERE id = $1`,
      [s.policyId, s.newVersion, s.documentUrl ?? s.previousDocumentUrl, s.approvedBy ?? null, at, s.previousDocumentUrl],
    );
  });
}
