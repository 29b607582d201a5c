/**
 * The append-only audit trail. Every row's hash covers its content and the previous row's
 * hash, so an edited or deleted row breaks the chain. Appends are serialised by a
 * transaction-scoped advisory lock; the idempotency key makes a retried append a no-op.
 */
import { createHash } from 'crypto';
import type { EntityManager } from 'typeorm';

export const GENESIS_HASH = '0'.repeat(64);
const CHAIN_LOCK = 42001;

export interface AuditEventInput {
  /** What the event is about: a task's workflow id, `person:<id>`, `system:<id>`. */
  streamId: string;
  /** Unique per logical event, e.g. `<workflowId>#<version>`. */
  idempotencyKey: string;
  event: string;
  actorId?: string | null;
  occurredAt: Date;
  detail?: Record<string, unknown>;
}

/** JSON with sorted keys, so the hash does not depend on key order. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

export function auditHash(prevHash: string, e: Omit<AuditEventInput, 'occurredAt'> & { occurredAt: Date }): string {
  return createHash('sha256')
    .update(
      canonical({
        prevHash,
        streamId: e.streamId,
        idempotencyKey: e.idempotencyKey,
        event: e.event,
        actorId: e.actorId ?? null,
        occurredAt: e.occurredAt.toISOString(),
        detail: e.detail ?? {},
      }),
    )
    .digest('hex');
}

/** Appends within the caller's transaction (the manager must be transactional). Returns false if already there. */
export async function appendAuditEvent(tx: EntityManager, e: AuditEventInput): Promise<boolean> {
  await tx.query(`SELECT pg_advisory_xact_lock($1)`, [CHAIN_LOCK]);
  const exists = await tx.query(`SELECT 1 FROM audit_events WHERE idempotency_key = $1`, [e.idempotencyKey]);
  if (exists.length) return false;
  const last = await tx.query(`SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1`);
  const prevHash: string = last[0]?.hash ?? GENESIS_HASH;
  const hash = auditHash(prevHash, e);
  await tx.query(
    `INSERT INTO audit_events (stream_id, idempotency_key, event, actor_id, occurred_at, detail, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.streamId, e.idempotencyKey, e.event, e.actorId ?? null, e.occurredAt, JSON.stringify(e.detail ?? {}), prevHash, hash],
  );
  return true;
}

/** What a walk of the chain found: every row checked, the head, and the first row that breaks it. */
export interface AuditChainReport {
  /** Rows walked (all of them, or up to the first broken one). */
  rows: number;
  /** The last row's hash (GENESIS_HASH for an empty trail): keep it to detect a truncated tail later. */
  headHash: string;
  firstBroken?: { seq: string; reason: string };
}

const VERIFY_BATCH = 5_000;

/**
 * Recomputes the chain from the first row, in pages by seq (never the whole table in memory).
 * An edited row breaks its own hash; a deleted or inserted row breaks the next row's prev_hash.
 */
export async function verifyAuditChain(db: Pick<EntityManager, 'query'>): Promise<AuditChainReport> {
  let prev = GENESIS_HASH;
  let rows = 0;
  let after = '0';
  for (;;) {
    const page: Array<Record<string, any>> = await db.query(
      `SELECT seq, stream_id, idempotency_key, event, actor_id, occurred_at, detail, prev_hash, hash
         FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, VERIFY_BATCH],
    );
    for (const r of page) {
      const seq = String(r.seq);
      if (r.prev_hash !== prev) return { rows, headHash: prev, firstBroken: { seq, reason: 'prev_hash does not match the previous row' } };
      const expect = auditHash(prev, {
        streamId: r.stream_id,
        idempotencyKey: r.idempotency_key,
        event: r.event,
        actorId: r.actor_id,
        occurredAt: new Date(r.occurred_at),
        detail: r.detail,
      });
      if (expect !== r.hash) return { rows, headHash: prev, firstBroken: { seq, reason: 'hash does not match the row content' } };
      prev = r.hash;
      rows++;
      after = seq;
    }
    if (page.length < VERIFY_BATCH) return { rows, headHash: prev };
  }
}
