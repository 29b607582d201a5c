import { ConflictException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { cancelUpdate, goLiveAiiaWorkflowId, initialAiiaWorkflowId, statusQuery, taskWorkflowId } from '../../../libs/contracts';
import { isInCadenceScope, isProhibited, quarterOf, RETIRED_STAGE } from '../../../libs/domain';
import {
  AiSystem,
  appendToStream,
  AUDIT_STREAMS,
  openTasksOfSystem,
  SystemRecertification,
  systemRecertification,
  TASKS_SQL,
} from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CadenceReconciler, ReconcilableSystem, ReconcileOutcome } from '../cadences/cadence-reconciler';
import { requireActivePerson } from '../common/inactive-person';
import { findPage, Page } from '../common/pagination.dto';
import { temporalHttpException } from '../common/temporal-errors';
import { fieldError } from '../common/validation';
import { awaitTaskOpened, executeUpdate } from '../common/workflow-updates';
import {
  CreateSystemDto,
  ListSystemsQueryDto,
  SignificantChangeDto,
  SignificantChangeView,
  SystemView,
  UpdateSystemDto,
} from './systems.dto';

/**
 * How long a create/update may wait on Temporal (all of the reconcile's calls together) while
 * it holds the row lock; past it the change is rolled back with a 503.
 */
export const RECONCILE_DEADLINE_MS = 10_000;

/** The audit event of a significant change, in the system's stream. */
export const SIGNIFICANT_CHANGE_EVENT = 'system.significant-change';

/** Fields whose change can change the system's cadences: only these trigger a reconcile. */
const CADENCE_FIELDS = ['name', 'ownerId', 'riskTier', 'lifecycleStage', 'goLiveDate'] as const;

type Editable = Pick<
  AiSystem,
  | 'name'
  | 'description'
  | 'purpose'
  | 'providerType'
  | 'providerName'
  | 'deployer'
  | 'ownerId'
  | 'businessUnit'
  | 'riskTier'
  | 'lifecycleStage'
  | 'goLiveDate'
  | 'dataInputs'
  | 'dataOutputs'
  | 'oversightMeasures'
  | 'complianceStatus'
>;

export function toSystemView(s: AiSystem): SystemView {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    purpose: s.purpose,
    provider: { type: s.providerType, name: s.providerName ?? null },
    deployer: s.deployer,
    ownerId: s.ownerId,
    businessUnit: s.businessUnit ?? null,
    riskTier: s.riskTier,
    lifecycleStage: s.lifecycleStage,
    goLiveDate: s.goLiveDate ?? null,
    dataInputs: s.dataInputs ?? [],
    dataOutputs: s.dataOutputs ?? [],
    oversightMeasures: s.oversightMeasures ?? [],
    complianceStatus: s.complianceStatus,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** The columns a DTO (create or partial update) sets; undefined = not given. */
function columnsOf(dto: Partial<CreateSystemDto>): Partial<Editable> {
  const out: Partial<Editable> = {
    name: dto.name,
    description: dto.description,
    purpose: dto.purpose,
    deployer: dto.deployer,
    ownerId: dto.ownerId,
    businessUnit: dto.businessUnit,
    riskTier: dto.riskTier,
    lifecycleStage: dto.lifecycleStage,
    goLiveDate: dto.goLiveDate,
    dataInputs: dto.dataInputs,
    dataOutputs: dto.dataOutputs,
    oversightMeasures: dto.oversightMeasures,
    complianceStatus: dto.complianceStatus,
  };
  if (dto.provider) {
    out.providerType = dto.provider.type;
    out.providerName = dto.provider.name ?? null;
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

@Injectable()
export class SystemsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reconciler: CadenceReconciler,
    private readonly temporal: Client,
  ) {}

  async create(dto: CreateSystemDto, actor: AuthenticatedPerson): Promise<SystemView> {
    let outcome: ReconcileOutcome | undefined;
    const view = await this.db.transaction(async (tx) => {
      await this.requireOwner(tx, dto.ownerId);
      const repo = tx.getRepository(AiSystem);
      const cols = columnsOf(dto);
      const system = await repo.save(
        repo.create({
          ...cols,
          businessUnit: cols.businessUnit ?? null,
          goLiveDate: cols.goLiveDate ?? null,
          complianceStatus: cols.complianceStatus ?? 'not_assessed',
        }),
      );
      // Re-read: the row as PostgreSQL stored it (date and default columns).
      const stored = await repo.findOneByOrFail({ id: system.id });
      outcome = await this.reconcile(tx, stored, actor, null);
      await appendToStream(tx, AUDIT_STREAMS.system(stored.id), {
        event: 'system.registered',
        onceFor: stored.id,
        actorId: actor.id,
        detail: { system: auditSnapshot(stored) },
      });
      return toSystemView(stored);
    });
    await this.workStarted(view.id, outcome);
    return view;
  }

  /**
   * Work a registration or change started (this quarter's review, the go-live or initial AIIA)
   * records its opening once the transaction has committed (its writes wait for it): the answer
   * waits for that, so the task reads at once.
   */
  private async workStarted(_systemId: string, outcome: ReconcileOutcome | undefined): Promise<void> {
    await this.awaitOpened(outcome?.startedTaskIds ?? [], 'the change was saved');
  }

  private async awaitOpened(taskIds: string[], saved: string): Promise<void> {
    for (const taskId of taskIds) {
      try {
        await this.temporal.connection.withDeadline(Date.now() + RECONCILE_DEADLINE_MS, () => awaitTaskOpened(this.temporal, taskId));
      } catch (err) {
        if (err instanceof HttpException) throw err;
        throw temporalHttpException(err, `${saved}, but its task ${taskId} is not confirmed open yet`) ?? err;
      }
    }
  }

  async list(q: ListSystemsQueryDto): Promise<Page<SystemView>> {
    const where: FindOptionsWhere<AiSystem> = {};
    if (q.riskTier) where.riskTier = q.riskTier;
    if (q.lifecycleStage) where.lifecycleStage = q.lifecycleStage;
    if (q.ownerId) where.ownerId = q.ownerId;
    return findPage(this.db.getRepository(AiSystem), where, q, toSystemView);
  }

  async get(id: string): Promise<SystemView & { recertification: SystemRecertification }> {
    const s = await this.db.getRepository(AiSystem).findOneBy({ id });
    if (!s) throw new NotFoundException(`AI system ${id} not found`);
    return { ...toSystemView(s), recertification: await systemRecertification(this.db, id) };
  }

  async update(id: string, dto: UpdateSystemDto, actor: AuthenticatedPerson): Promise<SystemView> {
    const given = (Object.keys(dto) as Array<keyof UpdateSystemDto>).filter((k) => dto[k] !== undefined);
    if (!given.length) throw fieldError('body', 'at least one field to change is required');

    let outcome: ReconcileOutcome | undefined;
    const view = await this.db.transaction(async (tx) => {
      const repo = tx.getRepository(AiSystem);
      const current = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new NotFoundException(`AI system ${id} not found`);

      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const next = columnsOf(dto);
      for (const [key, value] of Object.entries(next) as Array<[keyof Editable, unknown]>) {
        if (value === undefined || same(current[key], value)) continue;
        changes[key] = { from: current[key] ?? null, to: value };
        (current as unknown as Record<string, unknown>)[key] = value;
      }
      if (!Object.keys(changes).length) return toSystemView(current);
      // A system brought back from retirement gets cadences again: its owner must be active too.
      if (changes.ownerId || changes.lifecycleStage?.from === RETIRED_STAGE) await this.requireOwner(tx, current.ownerId);

      const previousRiskTier = (changes.riskTier?.from as AiSystem['riskTier'] | undefined) ?? null;
      await repo.save(current);
      const stored = await repo.findOneByOrFail({ id });
      if (CADENCE_FIELDS.some((f) => f in changes)) outcome = await this.reconcile(tx, stored, actor, previousRiskTier);
      await appendToStream(tx, AUDIT_STREAMS.system(id), {
        event: 'system.updated',
        actorId: actor.id,
        detail: { changes },
      });
      return toSystemView(stored);
    });
    // Retiring ends the work. Asked again of a retired system, it cancels what a failed attempt left.
    if (dto.lifecycleStage === RETIRED_STAGE && view.lifecycleStage === RETIRED_STAGE) await this.cancelOpenWork(view, actor);
    await this.workStarted(id, outcome);
    return view;
  }

  /**
   * A significant change opens an AIIA at once (AIMS-DOMAIN.md), due 30 calendar days later.
   * Under the system's row lock: the change is the n-th `system.significant-change` event of
   * the system's audit stream and its AIIA is `aiia:<id>:significant-change-<n>`; the event and
   * the start are one transaction, so a refusal by Temporal leaves neither, and a start whose
   * commit failed is adopted by the retry (same n, same id). A repeat of the same change (same
   * reason while its AIIA is still open) answers that AIIA instead of opening another.
   */
  async significantChange(id: string, dto: SignificantChangeDto, actor: AuthenticatedPerson): Promise<SignificantChangeView> {
    const reason = dto.reason.trim();
    const view = await this.db.transaction(async (tx): Promise<SignificantChangeView> => {
      const system = await tx.getRepository(AiSystem).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!system) throw new NotFoundException(`AI system ${id} not found`);
      if (!isInCadenceScope(system)) {
        const why =
          system.lifecycleStage === RETIRED_STAGE
            ? 'it is retired'
            : isProhibited(system.riskTier)
              ? 'it is prohibited (risk tier unacceptable): it is to be phased out, not assessed'
              : 'it is out of scope';
        throw new ConflictException(`AI system ${system.name} gets no AI impact assessment: ${why}`);
      }
      const stream = AUDIT_STREAMS.system(id);
      const earlier: Array<{ detail: { reason?: string; taskId?: string; dueAt?: string }; occurred_at: Date; open: boolean }> =
        await tx.query(
          `SELECT e.detail, e.occurred_at,
                  (t.id IS NULL OR ${TASKS_SQL.open('t')}) AS open
             FROM audit_events e LEFT JOIN tasks t ON t.id = e.detail->>'taskId'
            WHERE e.stream_id = $1 AND e.event = $2
            ORDER BY e.seq`,
          [stream.streamId, SIGNIFICANT_CHANGE_EVENT],
        );
      const repeat = [...earlier].reverse().find((e) => e.detail.reason === reason && e.open);
      if (repeat?.detail.taskId && repeat.detail.dueAt) {
        return {
          systemId: id,
          taskId: repeat.detail.taskId,
          period: 'significant-change',
          dueAt: repeat.detail.dueAt,
          reason,
          recordedAt: new Date(repeat.occurred_at).toISOString(),
          created: false,
        };
      }
      const now = new Date();
      const n = earlier.length + 1;
      try {
        return await this.temporal.connection.withDeadline(Date.now() + RECONCILE_DEADLINE_MS, async () => {
          const ref = { id: system.id, name: system.name, ownerId: system.ownerId };
          const started = await this.reconciler.startSignificantChangeAiia(ref, n, now);
          const dueAt = started.adopted
            ? ((await this.temporal.workflow.getHandle(started.workflowId).query(statusQuery)).dueAt ?? started.input.dueAt)
            : started.input.dueAt;
          await appendToStream(tx, stream, {
            event: SIGNIFICANT_CHANGE_EVENT,
            onceFor: started.workflowId,
            actorId: actor.id,
            occurredAt: now,
            detail: { reason, taskId: started.workflowId, dueAt, n },
          });
          return {
            systemId: id,
            taskId: started.workflowId,
            period: 'significant-change',
            dueAt,
            reason,
            recordedAt: now.toISOString(),
            created: true,
          };
        });
      } catch (err) {
        if (err instanceof HttpException) throw err;
        throw temporalHttpException(err, 'the significant change was not recorded') ?? err;
      }
    });
    // Its task records its opening once the transaction has committed: answer when it reads.
    if (view.created) await this.awaitOpened([view.taskId], 'the significant change was recorded');
    return view;
  }

  /**
   * Cancels the retired system's open reviews and AIIAs (the read model's open tasks), each by a
   * `cancel` Update of its workflow with the person retiring as the actor, once the retirement has
   * committed (its Schedules are gone, so no new cycle opens work). Work done or cancelled
   * meanwhile is refused by the workflow (409) or closed (409, 404) and skipped; a Temporal
   * failure answers 503/502 naming what is left, and repeating the PATCH cancels the rest.
   */
  private async cancelOpenWork(system: SystemView, actor: AuthenticatedPerson): Promise<void> {
    const reason = `the AI system ${system.name} was retired`;
    const by = { personId: actor.id, role: actor.role };
    const tasks = [...(await openTasksOfSystem(this.db, system.id)), ...(await this.workNotYetInReadModel(system.id))];
    for (const [i, task] of tasks.entries()) {
      try {
        await executeUpdate(this.temporal, task.id, `task ${task.id}`, cancelUpdate, { by, reason });
      } catch (err) {
        if (err instanceof HttpException && [404, 409].includes(err.getStatus())) continue;
        const left = tasks.slice(i).map((t) => t.id);
        const what = `the system is retired, but ${left.length} open task(s) were not cancelled (${left.join(', ')}); repeat the PATCH to cancel them`;
        throw temporalHttpException(err, what) ?? err;
      }
    }
  }

  /**
   * Work the API opened at once for the system (this quarter's review, the go-live or initial
   * AIIA, each significant change's AIIA) whose row the task read model does not have yet (its
   * workflow records it moments after the start): retiring right after registering must cancel
   * it too. Ids that were never started answer 404 and are skipped.
   */
  private async workNotYetInReadModel(systemId: string): Promise<Array<{ id: string; kind: string }>> {
    const changes: Array<{ id: string }> = await this.db.query(
      `SELECT detail->>'taskId' AS id FROM audit_events WHERE stream_id = $1 AND event = $2`,
      [AUDIT_STREAMS.system(systemId).streamId, SIGNIFICANT_CHANGE_EVENT],
    );
    const ids = [
      taskWorkflowId('high-risk-review', systemId, quarterOf(new Date(), this.reconciler.timeZone).key),
      goLiveAiiaWorkflowId(systemId),
      initialAiiaWorkflowId(systemId),
      ...changes.map((c) => c.id),
    ];
    const known: Array<{ id: string }> = await this.db.query(`SELECT id FROM tasks WHERE id = ANY($1)`, [ids]);
    const recorded = new Set(known.map((k) => k.id));
    return ids.filter((id) => !recorded.has(id)).map((id) => ({ id, kind: id.slice(0, id.indexOf(':')) }));
  }

  private requireOwner(tx: EntityManager, ownerId: string): Promise<void> {
    return requireActivePerson(tx, 'ownerId', ownerId, 'owner');
  }

  /**
   * Brings the system's Temporal Schedules in line, inside the caller's transaction: when
   * Temporal refuses or cannot be reached, the error rolls the row back (503 / 502).
   */
  private async reconcile(
    tx: EntityManager,
    s: AiSystem,
    actor: AuthenticatedPerson,
    previousRiskTier: AiSystem['riskTier'] | null,
  ): Promise<ReconcileOutcome> {
    const system: ReconcilableSystem = {
      id: s.id,
      name: s.name,
      ownerId: s.ownerId,
      riskTier: s.riskTier,
      lifecycleStage: s.lifecycleStage,
      goLiveDate: s.goLiveDate ?? null,
      createdAt: s.createdAt,
      previousRiskTier,
    };
    try {
      return await this.temporal.connection.withDeadline(Date.now() + RECONCILE_DEADLINE_MS, () =>
        this.reconciler.reconcileSystem(system, { personId: actor.id }, { manager: tx }),
      );
    } catch (err) {
      if (err instanceof HttpException) throw err;
      throw temporalHttpException(err, 'the change was not saved') ?? err;
    }
  }
}

/** What the audit trail keeps of a newly registered system. */
export function auditSnapshot(s: AiSystem): Record<string, unknown> {
  const v = toSystemView(s);
  const { createdAt: _c, updatedAt: _u, ...rest } = v;
  return rest;
}
