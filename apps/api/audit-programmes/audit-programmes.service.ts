import { HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { DataSource } from 'typeorm';
import {
  AcknowledgeReportArgs,
  acknowledgeReportUpdate,
  AUDIT_PROGRAMME_ID_PATTERN,
  AuditProgrammeStatus,
  PlanProgrammeArgs,
  planProgrammeUpdate,
  RecordFindingsArgs,
  recordFindingsUpdate,
} from '../../../libs/contracts';
import { coveragePercent, findingsByGrade, PlanProblem, planProblems } from '../../../libs/domain';
import { loadAuditUniverse, TASKS_SQL } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import type { Page } from '../common/pagination.dto';
import { readModelPage, SqlFilter } from '../common/read-model-page';
import { FieldError, fieldError, ValidationFailedException } from '../common/validation';
import { executeUpdate } from '../common/workflow-updates';
import { FormsService } from '../forms/forms.service';
import {
  AcknowledgeReportDto,
  AuditCorrectiveActionView,
  AuditProgrammeSummaryView,
  AuditProgrammeView,
  ListAuditProgrammesQueryDto,
  PlanProgrammeDto,
  RecordFindingsDto,
} from './audit-programmes.dto';

const PROGRAMME_ID = new RegExp(AUDIT_PROGRAMME_ID_PATTERN);

/** A programme id from the path: a malformed one is a 400 on `id`. */
export function parseProgrammeId(id: string): string {
  if (!PROGRAMME_ID.test(id)) throw fieldError('id', 'id must be an audit programme id such as internal-audit:2026');
  return id;
}

interface TaskRow {
  id: string;
  state: string;
  escalation_level: number;
  overdue: boolean;
}

interface NonconformityRow {
  id: string;
  state: string;
  step: string;
  grade: string;
  action_owner_id: string;
  verifier_id: string;
  current_due_at: string | null;
}

/** The field a plan's problem is about: the auditor of the audit it names, the criteria of the audits naming it, or the plan. */
function planProblemFields(p: PlanProblem, audits: PlanProgrammeDto['audits']): string[] {
  const at = audits.flatMap((a, i) =>
    (p.auditorId === undefined || a.auditorId === p.auditorId) && (p.criterionId === undefined || a.criteria.includes(p.criterionId))
      ? [i]
      : [],
  );
  if (p.code === 'missing-criterion' || !at.length) return ['audits'];
  return at.map((i) => (p.code === 'unknown-criterion' ? `audits.${i}.criteria` : `audits.${i}.auditorId`));
}

/** The internal audit programmes: read from their read model, planned and audited through one Update each on the programme. */
@Injectable()
export class AuditProgrammesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: Client,
    private readonly forms: FormsService,
  ) {}

  async list(q: ListAuditProgrammesQueryDto): Promise<Page<AuditProgrammeSummaryView>> {
    const filter = new SqlFilter().eq('state', q.state);
    const page = await readModelPage(
      this.db,
      { select: 'status', from: 'audit_programmes', filter, orderBy: 'opened_at DESC, id DESC' },
      q,
      (r: { status: AuditProgrammeStatus }) => r.status,
    );
    const items: AuditProgrammeSummaryView[] = [];
    for (const s of page.items) {
      const { criteria: _c, audits: _a, findings: _f, correctiveActions: _ca, report: _r, ...summary } = await this.view(s);
      items.push(summary);
    }
    return { ...page, items };
  }

  async get(id: string): Promise<AuditProgrammeView> {
    return this.view(await this.status(parseProgrammeId(id)));
  }

  /**
   * Plans the programme: the plan is checked here first against the same rules and the same
   * universe, so a bad one is a field-level 400 before the programme is asked; the programme
   * checks it again (it decides) and answers once every audit's task is open.
   */
  async plan(id: string, dto: PlanProgrammeDto, person: AuthenticatedPerson): Promise<AuditProgrammeView> {
    const s = await this.status(parseProgrammeId(id));
    const errors: FieldError[] = [];
    const now = Date.now();
    dto.audits.forEach((a, i) => {
      if (Date.parse(a.dueAt) <= now) errors.push({ field: `audits.${i}.dueAt`, messages: [`audits.${i}.dueAt must be in the future`] });
    });
    if (s.state === 'planning') {
      const universe = await loadAuditUniverse(this.db, {
        from: s.opensAt,
        to: s.endsAt,
        auditorIds: [...new Set(dto.audits.map((a) => a.auditorId))],
      });
      const byField = new Map<string, string[]>();
      for (const p of planProblems(dto.audits, universe)) {
        for (const field of planProblemFields(p, dto.audits)) byField.set(field, [...(byField.get(field) ?? []), p.message]);
      }
      for (const [field, messages] of byField) errors.push({ field, messages });
    }
    if (errors.length) throw new ValidationFailedException(errors);
    const args: PlanProgrammeArgs = {
      by: { personId: person.id, role: person.role },
      audits: dto.audits.map((a) => ({ auditorId: a.auditorId, criteria: [...a.criteria], dueAt: new Date(a.dueAt).toISOString() })),
    };
    return this.view(await this.act(id, planProgrammeUpdate, args, 'audits'));
  }

  /** Records an audit's findings: answered once they are in, with the corrective actions they raised. */
  async recordFindings(id: string, n: number, dto: RecordFindingsDto, person: AuthenticatedPerson): Promise<AuditProgrammeView> {
    const s = await this.status(parseProgrammeId(id));
    if (s.state !== 'planning' && !s.audits.some((a) => a.n === n))
      throw new NotFoundException(`audit programme ${id} has no audit ${n}; its audits are 1 to ${s.audits.length}`);
    // Each finding's answers against the audit-finding form, every problem of every finding in one 400.
    const checked = dto.findings.map((f, i) => this.forms.check('audit-finding', f.answers, `findings.${i}.answers`));
    const problems = checked.flatMap((c) => c.problems);
    if (problems.length) throw new ValidationFailedException(problems);
    const args: RecordFindingsArgs = {
      by: { personId: person.id, role: person.role },
      audit: n,
      findings: dto.findings.map((f, i) => ({
        criterionId: f.criterionId,
        grade: f.grade,
        summary: f.summary,
        ...(f.evidenceUrls ? { evidenceUrls: [...f.evidenceUrls] } : {}),
        ...(checked[i].submission ? { submission: checked[i].submission } : {}),
      })),
    };
    return this.view(await this.act(id, recordFindingsUpdate, args, 'findings'));
  }

  /** Top management acknowledge the report: answered once the programme is closed. */
  async acknowledgeReport(id: string, dto: AcknowledgeReportDto, person: AuthenticatedPerson): Promise<AuditProgrammeView> {
    await this.status(parseProgrammeId(id));
    const args: AcknowledgeReportArgs = { by: { personId: person.id, role: person.role }, summary: dto.summary };
    return this.view(await this.act(id, acknowledgeReportUpdate, args, 'summary'));
  }

  /** One Update on the programme; its refusal of the arguments is a 400 on the body's field, like any other bad input. */
  private async act<A>(id: string, def: UpdateDefinition<AuditProgrammeStatus, [A]>, arg: A, field: string): Promise<AuditProgrammeStatus> {
    try {
      return await executeUpdate(this.temporal, id, `audit programme ${id}`, def, arg);
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() === 400) {
        const body = err.getResponse() as { message?: unknown };
        throw fieldError(field, String(body.message ?? err.message));
      }
      throw err;
    }
  }

  private async status(id: string): Promise<AuditProgrammeStatus> {
    const rows: Array<{ status: AuditProgrammeStatus }> = await this.db.query(`SELECT status FROM audit_programmes WHERE id = $1`, [id]);
    if (!rows.length) throw new NotFoundException(`audit programme ${id} not found`);
    return rows[0].status;
  }

  /** The programme with its audits' and corrective actions' states read now from their read models. */
  async view(s: AuditProgrammeStatus): Promise<AuditProgrammeView> {
    const tasks: TaskRow[] = s.audits.length
      ? await this.db.query(
          `SELECT id, state, escalation_level, (${TASKS_SQL.overdue()}) AS overdue FROM tasks WHERE id = ANY($1::text[])`,
          [s.audits.map((a) => a.taskId)],
        )
      : [];
    const taskById = new Map(tasks.map((t) => [t.id, t]));
    const ncIds = s.findings.flatMap((f) => (f.nonconformityId ? [f.nonconformityId] : []));
    const ncs: NonconformityRow[] = ncIds.length
      ? await this.db.query(
          `SELECT id, state, step, grade, action_owner_id, verifier_id, status->>'currentDueAt' AS current_due_at
             FROM nonconformities WHERE id = ANY($1::uuid[])`,
          [ncIds],
        )
      : [];
    const ncById = new Map(ncs.map((n) => [n.id, n]));
    const audits = s.audits.map((a) => {
      const t = taskById.get(a.taskId);
      return {
        n: a.n,
        taskId: a.taskId,
        auditorId: a.auditorId,
        criteria: a.criteria,
        dueAt: a.dueAt,
        state: t?.state ?? a.taskState,
        overdue: t?.overdue ?? false,
        escalationLevel: t?.escalation_level ?? 0,
        ...(a.findingsAt ? { findingsAt: a.findingsAt } : {}),
      };
    });
    const auditsByState: Record<string, number> = {};
    for (const a of audits) auditsByState[a.state] = (auditsByState[a.state] ?? 0) + 1;
    const correctiveActions: AuditCorrectiveActionView[] = s.findings.flatMap((f) => {
      const nc = f.nonconformityId ? ncById.get(f.nonconformityId) : undefined;
      if (!nc) return [];
      return [
        {
          nonconformityId: nc.id,
          findingId: f.id,
          criterionId: f.criterionId,
          grade: nc.grade,
          state: nc.state,
          step: nc.step,
          actionOwnerId: nc.action_owner_id,
          verifierId: nc.verifier_id,
          ...(nc.current_due_at ? { currentDueAt: nc.current_due_at } : {}),
        },
      ];
    });
    const criteriaIds = new Set(s.criteria.map((c) => c.id));
    const audited = new Set(s.findings.map((f) => f.criterionId).filter((c) => criteriaIds.has(c)));
    return {
      programmeId: s.programmeId,
      period: s.period,
      state: s.state,
      ownerId: s.ownerId,
      planTaskId: s.planTaskId,
      openedAt: s.openedAt,
      ...(s.plannedAt ? { plannedAt: s.plannedAt, plannedBy: s.plannedBy } : {}),
      ...(s.closedAt ? { closedAt: s.closedAt } : {}),
      coverage: {
        criteria: s.criteria.length,
        audited: audited.size,
        // Nothing planned yet is nothing covered (not the 100% of an empty set).
        percent: s.criteria.length ? coveragePercent(audited.size, s.criteria.length) : 0,
        notAudited: s.criteria.filter((c) => !audited.has(c.id)).map((c) => c.id),
      },
      auditsByState,
      findingsByGrade: findingsByGrade(s.findings),
      openCorrectiveActions: correctiveActions.filter((c) => c.state === 'open').length,
      version: s.version,
      criteria: s.criteria,
      audits,
      findings: s.findings.map((f) => ({ ...f })),
      correctiveActions,
      report: s.report ? { ...s.report, acknowledged: s.report.acknowledgedAt !== undefined } : null,
    };
  }
}
