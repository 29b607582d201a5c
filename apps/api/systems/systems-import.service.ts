/**
 * POST /systems/import and GET /imports/:id. Every row is checked first (the rules of POST
 * /systems, then its owner and name against the records in one SELECT each); any error is one
 * 400 naming every row and field, and nothing is written. A valid file is written in one
 * transaction (the systems, their `system.registered` events, the import and its items); its
 * Schedules and immediate work are then created by SystemImportRunner, and the answer (202)
 * says what it will create.
 */
import { HttpException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  ImportedSystem,
  ImportItem,
  importWorkItems,
  recordSystemImport,
  SystemImportFormat,
  systemImportById,
} from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CadenceReconciler, RegistrationPlan, RegistrationWorkKind } from '../cadences/cadence-reconciler';
import { inactivePersonError } from '../common/inactive-person';
import {
  describeError,
  IMPORT_ERRORS_LISTED,
  ImportError,
  parseCsvRows,
  parseJsonRows,
  RawRow,
  TooManyRowsError,
  UnreadableImportError,
  validateRows,
  ValidRow,
} from './systems-import';
import { ImportedRowView, SystemImportAccepted, SystemImportView } from './systems-import.dto';
import { SystemImportRunner } from './systems-import.runner';
import { auditSnapshot } from './systems.service';

/** Work listed by GET /imports/:id. */
const WORK_LISTED = 1_000;

/** The one refusal of an import: every row's errors (the first IMPORT_ERRORS_LISTED), how many more. */
export class ImportRefusedException extends HttpException {
  constructor(errors: ImportError[]) {
    const rows = new Set(errors.filter((e) => e.row > 0).map((e) => e.row)).size;
    const listed = errors.slice(0, IMPORT_ERRORS_LISTED).map((e) => ({ ...e, messages: [describeError(e)] }));
    super(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        summary:
          `${errors.length} error(s)${rows ? ` in ${rows} row(s)` : ''}; nothing was imported` +
          (errors.length > listed.length ? `; the first ${listed.length} are listed, ${errors.length - listed.length} more` : ''),
        errorsTotal: errors.length,
        errorsOmitted: errors.length - listed.length,
        errors: listed,
      },
      HttpStatus.BAD_REQUEST,
    );
  }
}

export class TooManyRowsException extends HttpException {
  constructor(err: TooManyRowsError) {
    super({ statusCode: 413, error: 'Payload Too Large', message: err.message }, HttpStatus.PAYLOAD_TOO_LARGE);
  }
}

@Injectable()
export class SystemsImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reconciler: CadenceReconciler,
    private readonly runner: SystemImportRunner,
  ) {}

  /** Reads the body as the content type says: CSV text or the JSON object. */
  readRows(format: SystemImportFormat, body: unknown): RawRow[] {
    try {
      if (format === 'csv') return parseCsvRows(typeof body === 'string' ? body : '');
      return parseJsonRows(body);
    } catch (err) {
      if (err instanceof TooManyRowsError) throw new TooManyRowsException(err);
      if (err instanceof UnreadableImportError) throw new ImportRefusedException(err.errors);
      throw err;
    }
  }

  async import(format: SystemImportFormat, body: unknown, dryRun: boolean, actor: AuthenticatedPerson): Promise<SystemImportAccepted> {
    const rows = this.readRows(format, body);
    const { valid, errors } = await validateRows(rows);
    if (dryRun) {
      // Nothing is locked or written: the same checks against the records, then the plan.
      errors.push(...(await this.recordErrors(this.db.manager, rows, valid, false)));
      if (errors.length) throw new ImportRefusedException(sortErrors(errors));
      const now = new Date();
      const planned = valid.map((r) => ({ r, plan: this.reconciler.registrationPlan({ ...toReconcilable(toImported('', r), now) }, now) }));
      return answer(null, 'dry-run', format, planned);
    }
    if (errors.length) {
      // Still say what the records refuse too, so one answer names every problem.
      errors.push(...(await this.recordErrors(this.db.manager, rows, valid, false)));
      throw new ImportRefusedException(sortErrors(errors));
    }
    const id = randomUUID();
    const now = new Date();
    const systems = valid.map((r) => toImported(randomUUID(), r));
    const planned = valid.map((r, i) => ({
      r,
      system: systems[i],
      plan: this.reconciler.registrationPlan(toReconcilable(systems[i], now), now),
    }));
    const items: ImportItem[] = planned.flatMap(({ r, system, plan }) => [
      ...plan.cadences.map((c) => ({ row: r.row, systemId: system.id, kind: 'schedule' as const, ref: c.id })),
      ...plan.work.map((w) => ({ row: r.row, systemId: system.id, kind: 'work' as const, workKind: w.kind, ref: w.workflowId })),
    ]);
    await this.db.transaction(async (tx) => {
      // Under FOR SHARE: no owner is deactivated before the commit; the name index refuses a race (409).
      const refused = await this.recordErrors(tx, rows, valid, true);
      if (refused.length) throw new ImportRefusedException(sortErrors(refused));
      await recordSystemImport(tx, { id, actorId: actor.id, format, systems, items, now }, (s) => auditSnapshot(storedSystem(s, now)));
    });
    // In the background: the runner records its own failures and retries.
    if (items.length) void this.runner.start(id);
    return answer(id, items.length ? 'running' : 'completed', format, planned);
  }

  /**
   * What create() checks against the records, for every row at once: the owner exists (one
   * SELECT) and is active, and the name is not registered yet, case-insensitively (one SELECT),
   * nor taken by an earlier row of the file.
   */
  private async recordErrors(db: EntityManager, rows: RawRow[], valid: ValidRow[], lock: boolean): Promise<ImportError[]> {
    const errors: ImportError[] = [];
    const at = (r: ValidRow) => ({ row: r.row, ...(r.line !== undefined ? { line: r.line } : {}) });
    const ownerIds = [...new Set(valid.map((r) => r.dto.ownerId))];
    const owners: Array<{ id: string; active: boolean }> = ownerIds.length
      ? await db.query(`SELECT id, active FROM people WHERE id = ANY($1::uuid[])${lock ? ' FOR SHARE' : ''}`, [ownerIds])
      : [];
    const active = new Map(owners.map((o) => [o.id, o.active]));
    const names = [...new Set(valid.map((r) => r.dto.name.toLowerCase()))];
    const taken: Array<{ name: string }> = names.length
      ? await db.query(`SELECT lower(name) AS name FROM ai_systems WHERE lower(name) = ANY($1::text[])`, [names])
      : [];
    const registered = new Set(taken.map((t) => t.name));
    const firstRow = new Map<string, number>();
    for (const r of rows) {
      // A row refused by the field checks still holds its name: a later duplicate names it.
      const name = (r.value as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && name.trim() && !firstRow.has(name.trim().toLowerCase()))
        firstRow.set(name.trim().toLowerCase(), r.row);
    }
    for (const r of valid) {
      const state = active.get(r.dto.ownerId);
      if (state === undefined) errors.push({ ...at(r), field: 'ownerId', messages: [`owner ${r.dto.ownerId} not found`] });
      else if (!state)
        errors.push({ ...at(r), field: 'ownerId', messages: inactivePersonError('ownerId', r.dto.ownerId).errors[0].messages });
      const key = r.dto.name.toLowerCase();
      if (registered.has(key)) errors.push({ ...at(r), field: 'name', messages: ['an AI system with this name already exists'] });
      else if ((firstRow.get(key) ?? r.row) !== r.row) {
        errors.push({
          ...at(r),
          field: 'name',
          messages: [`the name is also that of row ${firstRow.get(key)} (names are unique, case-insensitively)`],
        });
      }
    }
    return errors;
  }

  async get(id: string): Promise<SystemImportView> {
    const imp = await systemImportById(this.db, id);
    if (!imp) throw new NotFoundException(`import ${id} not found`);
    const [pending]: Array<{ schedules: number; work: number }> = await this.db.query(
      `SELECT count(*) FILTER (WHERE kind = 'schedule')::int AS schedules, count(*) FILTER (WHERE kind = 'work')::int AS work
         FROM system_import_items WHERE import_id = $1 AND state = 'pending'`,
      [id],
    );
    const work = await importWorkItems(this.db, id, WORK_LISTED);
    return {
      id: imp.id,
      status: imp.status,
      format: imp.format,
      rows: imp.rows,
      actorId: imp.actorId,
      schedules: { ...imp.schedules, pending: pending.schedules },
      work: {
        ...imp.work,
        pending: pending.work,
        items: work.map((w) => ({
          row: w.row,
          systemId: w.systemId,
          kind: w.workKind as RegistrationWorkKind,
          taskId: w.ref,
          state: w.state,
          error: w.error,
        })),
      },
      failures: imp.errors,
      createdAt: imp.createdAt.toISOString(),
      updatedAt: imp.updatedAt.toISOString(),
      completedAt: imp.completedAt?.toISOString() ?? null,
    };
  }
}

function sortErrors(errors: ImportError[]): ImportError[] {
  return [...errors].sort((a, b) => a.row - b.row);
}

function toImported(id: string, r: ValidRow): ImportedSystem {
  const d = r.dto;
  return {
    id,
    name: d.name,
    description: d.description,
    purpose: d.purpose,
    providerType: d.provider.type,
    providerName: d.provider.name ?? null,
    deployer: d.deployer,
    ownerId: d.ownerId,
    businessUnit: d.businessUnit ?? null,
    riskTier: d.riskTier,
    lifecycleStage: d.lifecycleStage,
    goLiveDate: d.goLiveDate ?? null,
    dataInputs: d.dataInputs,
    dataOutputs: d.dataOutputs,
    oversightMeasures: d.oversightMeasures,
    complianceStatus: d.complianceStatus ?? 'not_assessed',
  };
}

function toReconcilable(s: ImportedSystem, createdAt: Date) {
  return {
    id: s.id,
    name: s.name,
    ownerId: s.ownerId,
    riskTier: s.riskTier,
    lifecycleStage: s.lifecycleStage,
    goLiveDate: s.goLiveDate,
    createdAt,
  };
}

/** The row as PostgreSQL stores it (what create() re-reads before its audit event). */
function storedSystem(s: ImportedSystem, now: Date) {
  return { ...s, createdAt: now, updatedAt: now };
}

function answer(
  id: string | null,
  status: SystemImportAccepted['status'],
  format: SystemImportFormat,
  planned: Array<{ r: ValidRow; system?: ImportedSystem; plan: RegistrationPlan }>,
): SystemImportAccepted {
  const systems: ImportedRowView[] = planned.map(({ r, system, plan }) => ({
    row: r.row,
    ...(r.line !== undefined ? { line: r.line } : {}),
    name: r.dto.name,
    systemId: system?.id ?? null,
    cadences: plan.cadences.map((c) => ({
      kind: c.kind,
      id: system ? c.id : null,
      description: c.description,
      months: c.calendar.months,
      dayOfMonth: c.calendar.dayOfMonth,
      startAt: c.startAt?.toISOString() ?? null,
    })),
    work: plan.work.map((w) => ({ kind: w.kind, taskId: system ? w.workflowId : null })),
  }));
  return {
    ...(id !== null ? { id } : {}),
    status,
    format,
    rows: planned.length,
    schedules: { total: planned.reduce((n, p) => n + p.plan.cadences.length, 0) },
    work: { total: planned.reduce((n, p) => n + p.plan.work.length, 0) },
    systems,
  };
}
