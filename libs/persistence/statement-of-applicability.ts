/**
 * The Statement of Applicability's one writer: a control's new line and its audit event in
 * one transaction, the event carrying the whole line, so the SoA as it stood at any instant
 * is read back from the audit trail (`soaAsOf`).
 */
import type { EntityManager } from 'typeorm';
import { ANNEX_A_CONTROLS, initialSoaEntry, SoaEntry } from '../domain';
import { appendToStream, AUDIT_STREAMS } from './audit-streams';

export interface SoaRecord extends SoaEntry {
  version: number;
  updatedAt: Date;
  updatedBy: string | null;
}

type Db = Pick<EntityManager, 'query'>;

interface SoaRow {
  control_id: string;
  applicability: SoaEntry['applicability'];
  justification: string | null;
  owner_id: string | null;
  implementation_status: SoaEntry['implementationStatus'];
  evidence: string[];
  version: number;
  updated_at: Date;
  updated_by: string | null;
}

const COLUMNS = 'control_id, applicability, justification, owner_id, implementation_status, evidence, version, updated_at, updated_by';
const CATALOG_ORDER = new Map(ANNEX_A_CONTROLS.map((c, i) => [c.id, i]));

function toRecord(r: SoaRow): SoaRecord {
  return {
    controlId: r.control_id,
    applicability: r.applicability,
    justification: r.justification,
    ownerId: r.owner_id,
    implementationStatus: r.implementation_status,
    evidence: r.evidence,
    version: r.version,
    updatedAt: new Date(r.updated_at),
    updatedBy: r.updated_by,
  };
}

const inCatalogOrder = (a: SoaRecord, b: SoaRecord) => (CATALOG_ORDER.get(a.controlId) ?? 0) - (CATALOG_ORDER.get(b.controlId) ?? 0);

/** The current SoA, in the standard's order. */
export async function currentSoa(db: Db): Promise<SoaRecord[]> {
  const rows: SoaRow[] = await db.query(`SELECT ${COLUMNS} FROM soa_entries`);
  return rows.map(toRecord).sort(inCatalogOrder);
}

/** One control's line, locked for the caller's transaction when it is about to change it. */
export async function soaEntryForUpdate(tx: EntityManager, controlId: string): Promise<SoaRecord | undefined> {
  const rows: SoaRow[] = await tx.query(`SELECT ${COLUMNS} FROM soa_entries WHERE control_id = $1 FOR UPDATE`, [controlId]);
  return rows[0] && toRecord(rows[0]);
}

/** Writes the next version of a control's line and its `soa.changed` event, within the caller's transaction. */
export async function writeSoaEntry(tx: EntityManager, previous: SoaRecord, next: SoaEntry, actorId: string, at: Date): Promise<SoaRecord> {
  const version = previous.version + 1;
  // An UPDATE answers [rows, rowCount] through TypeORM's postgres driver.
  const [rows]: [SoaRow[], number] = await tx.query(
    `UPDATE soa_entries
        SET applicability = $2, justification = $3, owner_id = $4, implementation_status = $5, evidence = $6::jsonb,
            version = $7, updated_at = $8, updated_by = $9
      WHERE control_id = $1 AND version = $10
      RETURNING ${COLUMNS}`,
    [
      next.controlId,
      next.applicability,
      next.justification,
      next.ownerId,
      next.implementationStatus,
      JSON.stringify(next.evidence),
      version,
      at,
      actorId,
      previous.version,
    ],
  );
  if (!rows.length) throw new Error(`SoA entry ${next.controlId} changed under a lock (expected version ${previous.version})`);
  const changed = (Object.keys(next) as Array<keyof SoaEntry>).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(previous[k]));
  await appendToStream(tx, AUDIT_STREAMS.soa(next.controlId), {
    event: 'soa.changed',
    actorId,
    occurredAt: at,
    onceFor: `${next.controlId}#${version}`,
    detail: { ...next, version, changed },
  });
  return toRecord(rows[0]);
}

/**
 * The SoA as it stood at `asOf`: each control's last `soa.changed` event at or before it,
 * else the line it started from (version 0).
 */
export async function soaAsOf(db: Db, asOf: Date): Promise<SoaRecord[]> {
  const streams = ANNEX_A_CONTROLS.map((c) => AUDIT_STREAMS.soa(c.id).streamId);
  const events: Array<{ detail: SoaEntry & { version: number }; occurred_at: Date; actor_id: string | null }> = await db.query(
    `SELECT DISTINCT ON (stream_id) detail, occurred_at, actor_id
       FROM audit_events
      WHERE stream_id = ANY($1) AND event = 'soa.changed' AND occurred_at <= $2
      ORDER BY stream_id, seq DESC`,
    [streams, asOf],
  );
  const byControl = new Map(events.map((e) => [e.detail.controlId, e]));
  return ANNEX_A_CONTROLS.map((c) => {
    const e = byControl.get(c.id);
    if (!e) return { ...initialSoaEntry(c.id), version: 0, updatedAt: new Date(0), updatedBy: null };
    const { controlId, applicability, justification, ownerId, implementationStatus, evidence, version } = e.detail;
    return {
      controlId,
      applicability,
      justification,
      ownerId,
      implementationStatus,
      evidence,
      version,
      updatedAt: new Date(e.occurred_at),
      updatedBy: e.actor_id,
    };
  });
}
