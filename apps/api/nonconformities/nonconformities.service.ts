import { Inject, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowUpdateHandle } from '@temporalio/client';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  CorrectiveActionInput,
  initialNonconformityStatus,
  NonconformitySourceRef,
  nonconformityOpenedUpdate,
  NonconformityStatus,
  nonconformityWorkflowId,
} from '../../../libs/contracts';
import { correctiveActionPlan, correctiveActionPlanDays, DAY_MS } from '../../../libs/domain';
import type { ApiConfig } from '../../../libs/config';
import { API_CONFIG } from '../config/api-config.module';
import { appendToStream, AUDIT_STREAMS, upsertNonconformity } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { inactivePersonError } from '../common/inactive-person';
import type { Page } from '../common/pagination.dto';
import { readModelPage, SqlFilter } from '../common/read-model-page';
import { FieldError, ValidationFailedException } from '../common/validation';
import { startWithUpdateWithinTransaction } from '../common/workflow-start';
import { awaitUpdateResult } from '../common/workflow-updates';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.module';
import { CreateNonconformityDto, ListNonconformitiesQueryDto, NonconformityDetailsDto, NonconformityView } from './nonconformities.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface NonconformityRow {
  status: NonconformityStatus;
  updated_at: Date;
}

export function toNonconformityView(row: NonconformityRow, now = new Date()): NonconformityView {
  const s = row.status;
  const end = s.closedAt ? Date.parse(s.closedAt) : now.getTime();
  const last = s.verifications[s.verifications.length - 1];
  return {
    ...s,
    verificationResult: last?.outcome,
    ageDays: Math.max(0, Math.floor((end - Date.parse(s.openedAt)) / DAY_MS)),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

@Injectable()
export class NonconformitiesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: Client,
    @Inject(TEMPORAL_TASK_QUEUE) private readonly taskQueue: string,
    @Optional() @Inject(API_CONFIG) private readonly config?: Pick<ApiConfig, 'timeZone'>,
  ) {}

  /**
   * Opens a nonconformity and starts its corrective action, in one transaction: when Temporal
   * refuses or cannot be reached, nothing is left behind (503 / 502).
   */
  async raise(dto: NonconformityDetailsDto, source: NonconformitySourceRef, actor: AuthenticatedPerson): Promise<NonconformityView> {
    const errors: FieldError[] = [];
    if (dto.verifierId === dto.actionOwnerId) {
      errors.push({
        field: 'verifierId',
        messages: [
          'the verifier must be someone other than the action owner (ISO/IEC 42001 10.2: effectiveness is verified independently)',
        ],
      });
    }
    if (source.type === 'incident' && !UUID.test(source.ref))
      errors.push({ field: 'source.ref', messages: ['source.ref must be the id (a UUID) of the incident'] });
    if (errors.length) throw new ValidationFailedException(errors);

    const id = randomUUID();
    const input: CorrectiveActionInput = {
      nonconformityId: id,
      title: dto.title,
      description: dto.description,
      grade: dto.grade,
      source: { type: source.type, ref: source.ref },
      actionOwnerId: dto.actionOwnerId,
      containmentOwnerId: dto.containmentOwnerId ?? dto.actionOwnerId,
      rootCauseOwnerId: dto.rootCauseOwnerId ?? dto.actionOwnerId,
      verifierId: dto.verifierId,
      openedBy: actor.id,
      plan: correctiveActionPlan(dto.grade, { ...(dto.planDays ?? {}) }),
      // Step due dates and the verification wait count calendar days in the organisation's zone.
      planDays: correctiveActionPlanDays(dto.grade, { ...(dto.planDays ?? {}) }),
      timeZone: this.config?.timeZone ?? 'UTC',
    };
    const opening = await this.db.transaction(async (tx) => {
      await this.requirePeople(tx, {
        actionOwnerId: input.actionOwnerId,
        verifierId: input.verifierId,
        containmentOwnerId: input.containmentOwnerId,
        rootCauseOwnerId: input.rootCauseOwnerId,
      });
      if (source.type === 'incident') {
        const found = await tx.query(`SELECT 1 FROM incidents WHERE id = $1 FOR SHARE`, [source.ref]);
        if (!found.length) throw new NotFoundException(`incident ${source.ref} not found`);
      }
      const now = new Date();
      const status = initialNonconformityStatus(input, now.toISOString());
      await upsertNonconformity(tx, status);
      await appendToStream(tx, AUDIT_STREAMS.nonconformity(id), {
        event: 'nonconformity.raised',
        onceFor: id,
        actorId: actor.id,
        occurredAt: now,
        detail: {
          source: input.source,
          grade: input.grade,
          title: input.title,
          actionOwnerId: input.actionOwnerId,
          verifierId: input.verifierId,
          plan: input.plan,
        },
      });
      return this.start(input);
    });
    // Committed: the case records its opening and its containment step's task opens; the answer waits for them.
    const opened = await awaitUpdateResult(opening, `nonconformity ${id}`);
    const now = new Date();
    return toNonconformityView({ status: opened, updated_at: now }, now);
  }

  create(dto: CreateNonconformityDto, actor: AuthenticatedPerson): Promise<NonconformityView> {
    const { source, ...details } = dto;
    return this.raise(details, source, actor);
  }

  /** The corrective-action log: one SELECT on the read model, oldest first. */
  list(q: ListNonconformitiesQueryDto, now = new Date()): Promise<Page<NonconformityView>> {
    const filter = new SqlFilter()
      .eq('state', q.state)
      .eq('step', q.step)
      .eq('source_type', q.sourceType)
      .eq('source_ref', q.sourceRef)
      .eq('grade', q.grade)
      .eq('action_owner_id', q.actionOwnerId);
    return readModelPage(
      this.db,
      { select: 'status, updated_at', from: 'nonconformities', filter, orderBy: 'opened_at ASC, id ASC' },
      q,
      (r: NonconformityRow) => toNonconformityView(r, now),
    );
  }

  async get(id: string): Promise<NonconformityView> {
    const rows: NonconformityRow[] = await this.db.query(`SELECT status, updated_at FROM nonconformities WHERE id = $1`, [id]);
    if (!rows.length) throw new NotFoundException(`nonconformity ${id} not found`);
    return toNonconformityView(rows[0]);
  }

  /** Ids of the nonconformities raised from each of these sources (e.g. incidents), oldest first. */
  async idsRaisedFrom(type: NonconformitySourceRef['type'], refs: string[]): Promise<Map<string, string[]>> {
    if (!refs.length) return new Map();
    const rows: Array<{ source_ref: string; ids: string[] }> = await this.db.query(
      `SELECT source_ref, array_agg(id::text ORDER BY opened_at, id) AS ids FROM nonconformities
        WHERE source_type = $1 AND source_ref = ANY($2::text[]) GROUP BY source_ref`,
      [type, refs],
    );
    return new Map(rows.map((r) => [r.source_ref, r.ids]));
  }

  /**
   * Every named person must exist and be active (FOR SHARE: they cannot disappear or be deactivated before the
   * commit); 404 names the first missing, 400 the field of the first deactivated one.
   */
  private async requirePeople(tx: EntityManager, ids: Record<string, string>): Promise<void> {
    const unique = [...new Set(Object.values(ids))];
    const rows: Array<{ id: string; active: boolean }> = await tx.query(
      `SELECT id, active FROM people WHERE id = ANY($1::uuid[]) FOR SHARE`,
      [unique],
    );
    const found = new Map(rows.map((r) => [r.id, r.active]));
    const missing = Object.entries(ids).find(([, id]) => !found.has(id));
    if (missing) throw new NotFoundException(`${missing[0]}: person ${missing[1]} not found`);
    const inactive = Object.entries(ids).find(([, id]) => found.get(id) === false);
    if (inactive) throw inactivePersonError(inactive[0], inactive[1]);
  }

  /** Update-with-Start: the corrective action and its `opened` Update, accepted before the transaction commits. */
  private start(input: CorrectiveActionInput): Promise<WorkflowUpdateHandle<NonconformityStatus>> {
    return startWithUpdateWithinTransaction(
      this.temporal,
      'correctiveAction',
      { workflowId: nonconformityWorkflowId(input.nonconformityId), taskQueue: this.taskQueue, args: [input] },
      nonconformityOpenedUpdate,
    );
  }
}
