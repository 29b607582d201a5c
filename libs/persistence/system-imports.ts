/**
 * Bulk imports of the AI system inventory: their one writer and their reads. An import is
 * recorded in one transaction with every system it registers (multi-row INSERTs, each system
 * with its `system.registered` event, as POST /systems writes it), the import's row and one
 * item per Schedule or immediate work to create afterwards. Progress is written in batches;
 * the items still `pending` are what a restarted API resumes.
 */
import type { EntityManager } from 'typeorm';
import type { LifecycleStage, RiskTier } from '../domain';
import { appendToStream, AUDIT_STREAMS } from './audit-streams';
import type { ComplianceStatus, ProviderType } from './entities';

type Db = Pick<EntityManager, 'query'>;

export const SYSTEM_IMPORT_STATUSES = ['running', 'completed', 'failed'] as const;
export type SystemImportStatus = (typeof SYSTEM_IMPORT_STATUSES)[number];
export type SystemImportFormat = 'csv' | 'json';

/** created: made by this import; existing: already there (a resumed import, the start-up reconcile); skipped: no longer due. */
export const IMPORT_ITEM_STATES = ['pending', 'created', 'existing', 'failed', 'skipped'] as const;
export type ImportItemState = (typeof IMPORT_ITEM_STATES)[number];

/** One system as it is inserted (the validated row, trimmed, with its new id). */
export interface ImportedSystem {
  id: string;
  name: string;
  description: string;
  purpose: string;
  providerType: ProviderType;
  providerName: string | null;
  deployer: string;
  ownerId: string;
  businessUnit: string | null;
  riskTier: RiskTier;
  lifecycleStage: LifecycleStage;
  goLiveDate: string | null;
  dataInputs: string[];
  dataOutputs: string[];
  oversightMeasures: string[];
  complianceStatus: ComplianceStatus;
}

/** A Schedule (ref = its id) or a piece of immediate work (ref = its workflow id) the import creates after its commit. */
export interface ImportItem {
  row: number;
  systemId: string;
  kind: 'schedule' | 'work';
  /** For work: go-live-aiia, initial-aiia, current-review, prohibited-alert. */
  workKind?: string;
  ref: string;
}

export interface ImportItemRecord extends ImportItem {
  seq: number;
  state: ImportItemState;
  error: string | null;
}

export interface SystemImportRecord {
  id: string;
  actorId: string;
  format: SystemImportFormat;
  rows: number;
  status: SystemImportStatus;
  schedules: { total: number; created: number; failed: number };
  work: { total: number; opened: number; failed: number };
  errors: Array<{ ref: string; error: string }>;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/** Rows per INSERT: every column is one array parameter, so a batch is one round trip. */
const INSERT_BATCH = 1_000;
/** Failures kept on the import's row (the rest are counted). */
export const IMPORT_ERRORS_KEPT = 100;

/**
 * Registers every system of the import, with its audit event, the import's row and its items,
 * in the caller's transaction. `now` is every system's registration time.
 */
export async function recordSystemImport(
  tx: EntityManager,
  imp: { id: string; actorId: string; format: SystemImportFormat; systems: ImportedSystem[]; items: ImportItem[]; now: Date },
  auditSnapshot: (s: ImportedSystem) => Record<string, unknown>,
): Promise<void> {
  const { systems, items, now } = imp;
  for (let i = 0; i < systems.length; i += INSERT_BATCH) {
    const batch = systems.slice(i, i + INSERT_BATCH);
    const col = <T>(f: (s: ImportedSystem) => T) => batch.map(f);
    await tx.query(
      `INSERT INTO ai_systems (id, name, description, purpose, provider_type, provider_name, deployer, owner_id, business_unit,
                               risk_tier, lifecycle_stage, go_live_date, data_inputs, data_outputs, oversight_measures,
                               compliance_status, created_at, updated_at)
       SELECT id, name, description, purpose, provider_type, provider_name, deployer, owner_id, business_unit,
              risk_tier, lifecycle_stage, go_live_date, data_inputs::jsonb, data_outputs::jsonb, oversight_measures::jsonb,
              compliance_status, $17, $17
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::text[],
                     $10::text[], $11::text[], $12::date[], $13::text[], $14::text[], $15::text[], $16::text[])
           AS t(id, name, description, purpose, provider_type, provider_name, deployer, owner_id, business_unit,
                risk_tier, lifecycle_stage, go_live_date, data_inputs, data_outputs, oversight_measures, compliance_status)`,
      [
        col((s) => s.id),
        col((s) => s.name),
        col((s) => s.description),
        col((s) => s.purpose),
        col((s) => s.providerType),
        col((s) => s.providerName),
        col((s) => s.deployer),
        col((s) => s.ownerId),
        col((s) => s.businessUnit),
        col((s) => s.riskTier),
        col((s) => s.lifecycleStage),
        col((s) => s.goLiveDate),
        col((s) => JSON.stringify(s.dataInputs)),
        col((s) => JSON.stringify(s.dataOutputs)),
        col((s) => JSON.stringify(s.oversightMeasures)),
        col((s) => s.complianceStatus),
        now,
      ],
    );
  }
  for (const s of systems) {
    await appendToStream(tx, AUDIT_STREAMS.system(s.id), {
      event: 'system.registered',
      onceFor: s.id,
      actorId: imp.actorId,
      occurredAt: now,
      detail: { system: auditSnapshot(s) },
    });
  }
  const schedules = items.filter((i) => i.kind === 'schedule').length;
  await tx.query(
    `INSERT INTO system_imports (id, actor_id, format, rows, status, schedules_total, work_total, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [imp.id, imp.actorId, imp.format, systems.length, items.length ? 'running' : 'completed', schedules, items.length - schedules, now],
  );
  if (!items.length) await tx.query(`UPDATE system_imports SET completed_at = $2 WHERE id = $1`, [imp.id, now]);
  for (let i = 0; i < items.length; i += INSERT_BATCH) {
    const batch = items.slice(i, i + INSERT_BATCH);
    await tx.query(
      `INSERT INTO system_import_items (import_id, seq, row, system_id, kind, work_kind, ref)
       SELECT $1, seq, row, system_id, kind, work_kind, ref
         FROM unnest($2::int[], $3::int[], $4::uuid[], $5::text[], $6::text[], $7::text[]) AS t(seq, row, system_id, kind, work_kind, ref)`,
      [
        imp.id,
        batch.map((_, j) => i + j),
        batch.map((b) => b.row),
        batch.map((b) => b.systemId),
        batch.map((b) => b.kind),
        batch.map((b) => b.workKind ?? null),
        batch.map((b) => b.ref),
      ],
    );
  }
  await appendToStream(tx, AUDIT_STREAMS.systemImport(imp.id), {
    event: 'system-import.recorded',
    onceFor: imp.id,
    actorId: imp.actorId,
    occurredAt: now,
    detail: { importId: imp.id, format: imp.format, rows: systems.length, schedules, work: items.length - schedules },
  });
}

/** One item's outcome, as the import's runner reports it. */
export interface ImportItemResult {
  seq: number;
  kind: 'schedule' | 'work';
  state: Exclude<ImportItemState, 'pending'>;
  ref: string;
  error?: string;
}

/**
 * Records a batch of outcomes: the items' states and the import's counters in one statement
 * (only items still pending count, so a batch recorded twice counts once), plus the first
 * failures' reasons.
 */
export async function recordImportProgress(db: Db, importId: string, results: ImportItemResult[]): Promise<void> {
  if (!results.length) return;
  await db.query(
    `WITH v AS (
       SELECT * FROM unnest($2::int[], $3::text[], $4::text[]) AS t(seq, state, error)
     ), u AS (
       UPDATE system_import_items i SET state = v.state, error = v.error
         FROM v WHERE i.import_id = $1 AND i.seq = v.seq AND i.state = 'pending'
       RETURNING i.kind, i.state, i.ref, i.error
     ), c AS (
       SELECT count(*) FILTER (WHERE kind = 'schedule' AND state IN ('created', 'existing')) AS sc,
              count(*) FILTER (WHERE kind = 'schedule' AND state = 'failed') AS sf,
              count(*) FILTER (WHERE kind = 'work' AND state IN ('created', 'existing')) AS wo,
              count(*) FILTER (WHERE kind = 'work' AND state = 'failed') AS wf,
              coalesce(jsonb_agg(jsonb_build_object('ref', ref, 'error', error)) FILTER (WHERE state = 'failed'), '[]') AS errs
         FROM u
     )
     UPDATE system_imports s
        SET schedules_created = schedules_created + c.sc, schedules_failed = schedules_failed + c.sf,
            work_opened = work_opened + c.wo, work_failed = work_failed + c.wf,
            errors = CASE WHEN jsonb_array_length(s.errors) >= $5 THEN s.errors
                          ELSE (SELECT coalesce(jsonb_agg(e), '[]') FROM (
                                  SELECT e FROM jsonb_array_elements(s.errors || c.errs) AS e LIMIT $5) x) END,
            updated_at = now()
       FROM c WHERE s.id = $1`,
    [importId, results.map((r) => r.seq), results.map((r) => r.state), results.map((r) => r.error ?? null), IMPORT_ERRORS_KEPT],
  );
}

/** Ends a running import once none of its items is pending: completed, or failed when any item failed. */
export async function finishSystemImport(tx: EntityManager, importId: string): Promise<SystemImportRecord | undefined> {
  const rows: ImportRow[] = await tx.query(
    `WITH u AS (
       UPDATE system_imports
          SET status = CASE WHEN schedules_failed + work_failed > 0 THEN 'failed' ELSE 'completed' END,
              completed_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'running'
          AND NOT EXISTS (SELECT 1 FROM system_import_items WHERE import_id = $1 AND state = 'pending')
       RETURNING *
     ) SELECT * FROM u`,
    [importId],
  );
  const done = rows[0] && toRecord(rows[0]);
  if (done) {
    await appendToStream(tx, AUDIT_STREAMS.systemImport(importId), {
      event: `system-import.${done.status}`,
      onceFor: importId,
      actorId: null,
      detail: { importId, schedules: done.schedules, work: done.work },
    });
  }
  return done;
}

interface ImportRow {
  id: string;
  actor_id: string;
  format: SystemImportFormat;
  rows: number;
  status: SystemImportStatus;
  schedules_total: number;
  schedules_created: number;
  schedules_failed: number;
  work_total: number;
  work_opened: number;
  work_failed: number;
  errors: Array<{ ref: string; error: string }>;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

function toRecord(r: ImportRow): SystemImportRecord {
  return {
    id: r.id,
    actorId: r.actor_id,
    format: r.format,
    rows: r.rows,
    status: r.status,
    schedules: { total: r.schedules_total, created: r.schedules_created, failed: r.schedules_failed },
    work: { total: r.work_total, opened: r.work_opened, failed: r.work_failed },
    errors: r.errors,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    completedAt: r.completed_at ? new Date(r.completed_at) : null,
  };
}

export async function systemImportById(db: Db, id: string): Promise<SystemImportRecord | undefined> {
  const rows: ImportRow[] = await db.query(`SELECT * FROM system_imports WHERE id = $1`, [id]);
  return rows[0] && toRecord(rows[0]);
}

/** Imports whose Schedules or work are not all done (the API stopped during them), oldest first. */
export async function runningSystemImports(db: Db): Promise<string[]> {
  const rows: Array<{ id: string }> = await db.query(`SELECT id FROM system_imports WHERE status = 'running' ORDER BY created_at`);
  return rows.map((r) => r.id);
}

function toItem(r: {
  seq: number;
  row: number;
  system_id: string;
  kind: 'schedule' | 'work';
  work_kind: string | null;
  ref: string;
  state: ImportItemState;
  error: string | null;
}): ImportItemRecord {
  return {
    seq: r.seq,
    row: r.row,
    systemId: r.system_id,
    kind: r.kind,
    ...(r.work_kind ? { workKind: r.work_kind } : {}),
    ref: r.ref,
    state: r.state,
    error: r.error,
  };
}

/** The items of an import still to create, in order. */
export async function pendingImportItems(db: Db, importId: string): Promise<ImportItemRecord[]> {
  const rows = await db.query(`SELECT * FROM system_import_items WHERE import_id = $1 AND state = 'pending' ORDER BY seq`, [importId]);
  return rows.map(toItem);
}

/** The import's immediate work (go-live and initial AIIAs, this quarter's reviews, prohibited alerts), at most `limit`. */
export async function importWorkItems(db: Db, importId: string, limit: number): Promise<ImportItemRecord[]> {
  const rows = await db.query(`SELECT * FROM system_import_items WHERE import_id = $1 AND kind = 'work' ORDER BY seq LIMIT $2`, [
    importId,
    limit,
  ]);
  return rows.map(toItem);
}
