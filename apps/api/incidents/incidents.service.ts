import { HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowNotFoundError, WorkflowUpdateHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import {
  acknowledgeIncidentUpdate,
  addRegimeUpdate,
  changeRegimeVariantUpdate,
  changeSeverityUpdate,
  closeIncidentUpdate,
  IncidentInput,
  IncidentStatus,
  incidentStatusQuery,
  incidentWorkflowId,
  initialIncidentStatus,
  planIncidentReports,
  incidentOpenedUpdate,
  recordContainmentUpdate,
  submitReportUpdate,
} from '../../../libs/contracts';
import type { FormSubmission, Regime } from '../../../libs/domain';
import { appendToStream, AUDIT_STREAMS, INCIDENTS_SQL, upsertIncident } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import type { ApiConfig } from '../../../libs/config';
import { API_CONFIG } from '../config/api-config.module';
import { requireActivePerson } from '../common/inactive-person';
import type { Page } from '../common/pagination.dto';
import { readModelPage, SqlFilter } from '../common/read-model-page';
import { FieldError, fieldError, ValidationFailedException } from '../common/validation';
import { startWithUpdateWithinTransaction } from '../common/workflow-start';
import { awaitUpdateResult, executeUpdate } from '../common/workflow-updates';
import { FormsService } from '../forms/forms.service';
import { NonconformitiesService } from '../nonconformities/nonconformities.service';
import { NonconformityView } from '../nonconformities/nonconformities.dto';
import { actorOf, TasksService } from '../tasks/tasks.service';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.module';
import { toIncidentView } from './incident-view';
import {
  AcknowledgeIncidentDto,
  AddRegimeDto,
  ChangeRegimeVariantDto,
  ChangeSeverityDto,
  CloseIncidentDto,
  IncidentView,
  ListIncidentsQueryDto,
  OpenIncidentDto,
  RaiseNonconformityDto,
  RecordContainmentDto,
  SubmitIncidentReportDto,
  SubmitRegulatoryReportDto,
} from './incidents.dto';

/** A detection time this far ahead of the server clock is taken as clock skew, not the future. */
export const DETECTED_AT_SKEW_MS = 60_000;

interface IncidentRow {
  id: string;
  status: IncidentStatus;
  updated_at: Date;
}

@Injectable()
export class IncidentsService {
  private readonly regimes: Record<string, Regime>;
  /** AIMS_TIMEZONE: report deadlines and ladders in days are calendar days there. */
  private readonly timeZone: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: Client,
    @Inject(TEMPORAL_TASK_QUEUE) private readonly taskQueue: string,
    private readonly tasks: TasksService,
    private readonly nonconformities: NonconformitiesService,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'regimes'> & Partial<Pick<ApiConfig, 'timeZone'>>,
    private readonly forms: FormsService,
  ) {
    this.regimes = config.regimes;
    this.timeZone = config.timeZone ?? 'UTC';
  }

  get regimeCatalog(): Record<string, Regime> {
    return this.regimes;
  }

  /**
   * Opens an incident: its row, its audit event and its workflow in one transaction, so a
   * refused or failed start leaves nothing behind. Every clock starts at `detectedAt`.
   */
  async open(dto: OpenIncidentDto, actor: AuthenticatedPerson): Promise<IncidentView> {
    const errors: FieldError[] = [];
    const now = new Date();
    const detectedAt = new Date(dto.detectedAt);
    if (detectedAt.getTime() > now.getTime() + DETECTED_AT_SKEW_MS) {
      errors.push({
        field: 'detectedAt',
        messages: [`detectedAt ${dto.detectedAt} is in the future; an incident is opened once it has been detected`],
      });
    }
    const future = (field: string, value: string | undefined) => {
      if (value !== undefined && new Date(value).getTime() > now.getTime() + DETECTED_AT_SKEW_MS)
        errors.push({ field, messages: [`${field} ${value} is in the future; awareness is a moment that has come`] });
    };
    future('awareAt', dto.awareAt);
    (dto.regimes ?? []).forEach((r, i) => future(`regimes.${i}.awareAt`, r.awareAt));
    const incidentId = randomUUID();
    const plan = planIncidentReports(incidentId, detectedAt, dto.regimes ?? [], this.regimes, this.timeZone, dto.awareAt);
    if ('problems' in plan) {
      for (const p of plan.problems) errors.push({ field: p.index < 0 ? p.field : `regimes.${p.index}.${p.field}`, messages: [p.message] });
    }
    if (errors.length || 'problems' in plan) throw new ValidationFailedException(errors);

    const opening = await this.db.transaction(async (tx) => {
      const [system] = await tx.query(`SELECT id, name FROM ai_systems WHERE id = $1 FOR SHARE`, [dto.systemId]);
      if (!system) throw new NotFoundException(`AI system ${dto.systemId} not found`);
      await requireActivePerson(tx, 'responderId', dto.responderId, 'responder');

      const input: IncidentInput = {
        incidentId,
        system: { id: system.id, name: system.name },
        title: dto.title,
        description: dto.description,
        severity: dto.severity,
        detectedAt: detectedAt.toISOString(),
        ...(dto.awareAt !== undefined ? { awareAt: new Date(dto.awareAt).toISOString() } : {}),
        responderId: dto.responderId,
        openedBy: actor.id,
        regimes: plan.regimes,
        reports: plan.reports,
        timeZone: this.timeZone,
      };
      const status = initialIncidentStatus(input, now.toISOString());
      await upsertIncident(tx, status);
      await appendToStream(tx, AUDIT_STREAMS.incident(incidentId), {
        event: 'incident.reported',
        onceFor: incidentId,
        actorId: actor.id,
        occurredAt: now,
        detail: {
          systemId: system.id,
          title: dto.title,
          severity: dto.severity,
          detectedAt: input.detectedAt,
          ...(input.awareAt !== undefined ? { awareAt: input.awareAt } : {}),
          responderId: dto.responderId,
          regimes: plan.regimes,
        },
      });
      return this.start(input);
    });
    // Committed: the workflow records its opening and its reports' tasks open; the answer waits for them.
    const opened = await awaitUpdateResult(opening, `incident ${incidentId}`);
    return toIncidentView(opened, new Date(), []);
  }

  async list(q: ListIncidentsQueryDto, now = new Date()): Promise<Page<IncidentView>> {
    const filter = new SqlFilter()
      .eq('state', q.state)
      .eq('severity', q.severity)
      .eq('system_id', q.systemId)
      .eq('responder_id', q.responderId)
      .when(q.breached === 'true', INCIDENTS_SQL.breached)
      .when(q.breached === 'false', `NOT ${INCIDENTS_SQL.breached}`);
    const page = await readModelPage(
      this.db,
      { select: 'id, status, updated_at', from: 'incidents', filter, orderBy: 'detected_at DESC, id ASC' },
      q,
      (r: IncidentRow) => r,
    );
    const ncs = await this.nonconformityIdsOf(page.items.map((r) => r.id));
    return { ...page, items: page.items.map((r) => toIncidentView(r.status, r.updated_at, ncs.get(r.id) ?? [], now)) };
  }

  async get(id: string): Promise<IncidentView> {
    const rows: IncidentRow[] = await this.db.query(`SELECT id, status, updated_at FROM incidents WHERE id = $1`, [id]);
    if (!rows.length) throw new NotFoundException(`incident ${id} not found`);
    const ncs = await this.nonconformityIdsOf([id]);
    return toIncidentView(rows[0].status, rows[0].updated_at, ncs.get(id) ?? []);
  }

  acknowledge(id: string, dto: AcknowledgeIncidentDto, person: AuthenticatedPerson): Promise<IncidentView> {
    return this.act(id, acknowledgeIncidentUpdate, { by: actorOf(person), ...(dto.note ? { note: dto.note } : {}) });
  }

  changeSeverity(id: string, dto: ChangeSeverityDto, person: AuthenticatedPerson): Promise<IncidentView> {
    return this.act(id, changeSeverityUpdate, { by: actorOf(person), severity: dto.severity, reason: dto.reason });
  }

  recordContainment(id: string, dto: RecordContainmentDto, person: AuthenticatedPerson): Promise<IncidentView> {
    return this.act(id, recordContainmentUpdate, { by: actorOf(person), summary: dto.summary });
  }

  close(id: string, dto: CloseIncidentDto, person: AuthenticatedPerson): Promise<IncidentView> {
    return this.act(id, closeIncidentUpdate, { by: actorOf(person), summary: dto.summary });
  }

  /** Plans the regime's reports from the incident's detection (or awareness) time, like at opening; the workflow adds their clocks. */
  async addRegime(id: string, dto: AddRegimeDto, person: AuthenticatedPerson): Promise<IncidentView> {
    if (dto.awareAt !== undefined && new Date(dto.awareAt).getTime() > Date.now() + DETECTED_AT_SKEW_MS)
      throw new ValidationFailedException([
        { field: 'awareAt', messages: [`awareAt ${dto.awareAt} is in the future; awareness is a moment that has come`] },
      ]);
    const live = await this.liveStatus(id);
    const plan = planIncidentReports(
      id,
      new Date(live.detectedAt),
      [{ id: dto.id, variant: dto.variant, ...(dto.awareAt !== undefined ? { awareAt: dto.awareAt } : {}) }],
      this.regimes,
      this.timeZone,
      live.awareAt,
    );
    if ('problems' in plan) throw new ValidationFailedException(plan.problems.map((p) => ({ field: p.field, messages: [p.message] })));
    return this.act(id, addRegimeUpdate, {
      by: actorOf(person),
      regime: plan.regimes[0],
      reports: plan.reports.filter((r) => r.kind === 'regulatory-report'),
    });
  }

  /** Plans the regime's reports for its new variant from the same awareness; the workflow moves their clocks. */
  async changeRegimeVariant(id: string, dto: ChangeRegimeVariantDto, person: AuthenticatedPerson): Promise<IncidentView> {
    const live = await this.liveStatus(id);
    const applied = live.regimes.find((r) => r.id === dto.id);
    if (!applied)
      throw fieldError(
        'id',
        `regime ${dto.id} does not apply to incident ${id}; it has ${live.regimes.map((r) => r.id).join(', ') || 'none'}`,
      );
    const plan = planIncidentReports(
      id,
      new Date(live.detectedAt),
      [{ id: dto.id, variant: dto.variant, ...(applied.awareAt !== undefined ? { awareAt: applied.awareAt } : {}) }],
      this.regimes,
      this.timeZone,
      live.awareAt,
    );
    if ('problems' in plan) throw new ValidationFailedException(plan.problems.map((p) => ({ field: p.field, messages: [p.message] })));
    return this.act(id, changeRegimeVariantUpdate, {
      by: actorOf(person),
      regimeId: dto.id,
      variant: dto.variant,
      reason: dto.reason,
      reports: plan.reports.filter((r) => r.kind === 'regulatory-report'),
    });
  }

  async submitReport(id: string, dto: SubmitIncidentReportDto, person: AuthenticatedPerson): Promise<IncidentView> {
    const { stage, ...submission } = dto;
    return this.submitOwedReport(id, stage, 'stage', await this.answered(id, 'incident-report', submission), person);
  }

  async submitRegulatoryReport(id: string, dto: SubmitRegulatoryReportDto, person: AuthenticatedPerson): Promise<IncidentView> {
    const { regimeId, report, ...submission } = dto;
    return this.submitOwedReport(id, `${regimeId}:${report}`, 'report', await this.answered(id, 'regulatory-report', submission), person);
  }

  /**
   * A report's answers checked against its form (the same check as POST /tasks/:id/submit), once
   * the incident is known to exist: an unknown incident is a 404 whatever its body says.
   */
  private async answered(
    id: string,
    formKind: 'incident-report' | 'regulatory-report',
    dto: { summary: string; evidenceUrls?: string[]; answers?: Record<string, unknown> },
  ): Promise<{ summary: string; evidenceUrls?: string[]; submission?: FormSubmission }> {
    const found = await this.db.query(`SELECT 1 FROM incidents WHERE id = $1`, [id]);
    if (!found.length) throw new NotFoundException(`incident ${id} not found`);
    const submission = this.forms.submission(formKind, dto.answers);
    return { summary: dto.summary, ...(dto.evidenceUrls ? { evidenceUrls: dto.evidenceUrls } : {}), ...(submission ? { submission } : {}) };
  }

  async raiseNonconformity(id: string, dto: RaiseNonconformityDto, person: AuthenticatedPerson): Promise<NonconformityView> {
    const found = await this.db.query(`SELECT 1 FROM incidents WHERE id = $1`, [id]);
    if (!found.length) throw new NotFoundException(`incident ${id} not found`);
    return this.nonconformities.raise(dto, { type: 'incident', ref: id }, person);
  }

  /**
   * Submits one owed report: one Update on the incident, which validates it (who, which report,
   * open or already in), hands it to the report's task and answers once it is in and the reports
   * that wait for it are open. `field` names the body field a wrong report key is refused on.
   */
  async submitOwedReport(
    id: string,
    key: string,
    field: string,
    submission: { summary: string; evidenceUrls?: string[]; submission?: FormSubmission },
    person: AuthenticatedPerson,
  ): Promise<IncidentView> {
    try {
      return await this.act(id, submitReportUpdate, {
        by: actorOf(person),
        key,
        summary: submission.summary,
        ...(submission.evidenceUrls ? { evidenceUrls: submission.evidenceUrls } : {}),
        ...(submission.submission ? { submission: submission.submission } : {}),
      });
    } catch (err) {
      // Its body is checked by the DTO: a 400 refusal is the report key, a wrong field of the body like any other bad input.
      if (err instanceof HttpException && err.getStatus() === 400) {
        const body = err.getResponse() as { message?: unknown };
        throw fieldError(field, String(body.message ?? err.message));
      }
      throw err;
    }
  }

  private async act<A>(id: string, def: UpdateDefinition<IncidentStatus, [A]>, arg: A): Promise<IncidentView> {
    const status = await executeUpdate(this.temporal, incidentWorkflowId(id), `incident ${id}`, def, arg);
    const ncs = await this.nonconformityIdsOf([id]);
    return toIncidentView(status, new Date(), ncs.get(id) ?? []);
  }

  /** The workflow's own view (the read model may be an activity behind). */
  private async liveStatus(id: string): Promise<IncidentStatus> {
    try {
      return await this.temporal.workflow.getHandle(incidentWorkflowId(id)).query(incidentStatusQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundException(`incident ${id} not found`);
      throw err;
    }
  }

  private nonconformityIdsOf(incidentIds: string[]): Promise<Map<string, string[]>> {
    return this.nonconformities.idsRaisedFrom('incident', incidentIds);
  }

  /** Update-with-Start: the incident and its `opened` Update, accepted before the transaction commits. */
  private start(input: IncidentInput): Promise<WorkflowUpdateHandle<IncidentStatus>> {
    return startWithUpdateWithinTransaction(
      this.temporal,
      'incident',
      { workflowId: incidentWorkflowId(input.incidentId), taskQueue: this.taskQueue, args: [input] },
      incidentOpenedUpdate,
    );
  }
}
