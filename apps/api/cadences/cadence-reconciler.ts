/**
 * Cadences are reconciled, not hand-managed: after every inventory change (SystemsService
 * calls `reconcileSystem` inside its transaction) and at start-up (`reconcileAll`), the
 * Schedules that should exist for a system (libs/domain `desiredCadences`) are diffed with
 * the ones Temporal has (`planReconcile`) and created, updated or deleted. The same pass
 * opens a system's go-live AIIA once and alerts the governance lead about a prohibited one.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleDescription,
  ScheduleNotFoundError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { DataSource, EntityManager } from 'typeorm';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { GovernanceTaskInput, ProhibitedSystemAlertInput } from '../../../libs/contracts';
import {
  cycleTaskStart,
  goLiveAiiaStart,
  goLiveAiiaWorkflowId,
  initialAiiaStart,
  initialAiiaWorkflowId,
  prohibitedAlertWorkflowId,
  significantChangeAiiaStart,
} from '../../../libs/contracts';
import {
  CADENCE_KINDS,
  cadenceId,
  CadenceSpec,
  CalendarRule,
  desiredCadences,
  InventoryEntry,
  isInCadenceScope,
  isProhibited,
  LifecycleStage,
  needsInitialAiia,
  needsQuarterlyReview,
  parseCadenceId,
  quarterOf,
  planReconcile,
  ReconcilePlan,
  RiskTier,
} from '../../../libs/domain';
import { SYSTEMS_SQL } from '../../../libs/persistence';
import type { ApiConfig } from '../../../libs/config';
import { API_CONFIG } from '../config/api-config.module';
import { startWorkflow } from '../common/workflow-start';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.client';
import { isCurrent, ruleOfDescription, scheduleOptionsFor, scheduleUpdateFor } from './schedule-spec';
import { StartupRetry } from '../common/startup-retry';

export type ReconcilableSystem = {
  id: string;
  name: string;
  ownerId: string;
  riskTier: RiskTier;
  lifecycleStage: LifecycleStage;
  goLiveDate: string | null;
  createdAt: Date;
  previousRiskTier?: RiskTier | null;
};

/** The columns a reconcile reads of a system (`RECONCILABLE_COLUMNS`), as PostgreSQL answers them. */
export interface ReconcilableSystemRow {
  id: string;
  name: string;
  owner_id: string;
  risk_tier: RiskTier;
  lifecycle_stage: LifecycleStage;
  go_live_date: string | null;
  created_at: Date;
}

/** The SELECT list of `ReconcilableSystemRow` over ai_systems aliased `alias`. */
export function reconcilableColumns(alias: string): string {
  return `${alias}.id, ${alias}.name, ${alias}.owner_id, ${alias}.risk_tier, ${alias}.lifecycle_stage,
          to_char(${alias}.go_live_date, 'YYYY-MM-DD') AS go_live_date, ${alias}.created_at`;
}

export function toReconcilableSystem(r: ReconcilableSystemRow): ReconcilableSystem {
  return {
    id: r.id,
    name: r.name,
    ownerId: r.owner_id,
    riskTier: r.risk_tier,
    lifecycleStage: r.lifecycle_stage,
    goLiveDate: r.go_live_date,
    createdAt: new Date(r.created_at),
  };
}

export interface ReconcileOptions {
  /**
   * The caller's transaction, used to read the task read model (is the go-live AIIA
   * already there?) without taking a second pooled connection while one is held.
   */
  manager?: EntityManager;
}

/** What one reconcile did; returned for logs and tests. */
export interface ReconcileOutcome {
  systemId: string;
  created: string[];
  updated: string[];
  removed: string[];
  goLiveAiia?: 'started' | 'already-started' | 'not-applicable';
  /** The current quarter's review of a high-risk system, opened at once when it is missing. */
  currentReview?: 'opened' | 'already-open' | 'paused' | 'not-applicable';
  /** The initial AIIA of a system live with no go-live date and no AIIA on record. */
  initialAiia?: 'started' | 'already-started' | 'not-applicable';
  prohibitedAlert?: 'started' | 'already-started';
  /** The tasks this reconcile started (the caller answers once each has recorded its opening). */
  startedTaskIds?: string[];
}

/** The work a registration opens at once (what `reconcileSystem` starts for a new system). */
export const REGISTRATION_WORK_KINDS = ['go-live-aiia', 'initial-aiia', 'current-review', 'prohibited-alert'] as const;
export type RegistrationWorkKind = (typeof REGISTRATION_WORK_KINDS)[number];

/** What registering a system creates: its Schedules and the work opened at once, with their ids. */
export interface RegistrationPlan {
  cadences: CadenceSpec[];
  work: Array<{ kind: RegistrationWorkKind; workflowId: string }>;
}

/** Whether a Schedule or a piece of work was made now or was already there. */
export type CreateOnlyOutcome = 'created' | 'existing';

interface Internal {
  /** Whether the go-live AIIA row is known to exist (reconcileAll reads it in its one SELECT). */
  goLiveTaskKnown?: boolean;
  /** Whether the current quarter's review row is known to exist (reconcileAll's SELECT). */
  currentReviewKnown?: boolean;
  /** Whether an AIIA of the system is known to be on record (reconcileAll's SELECT). */
  aiiaOnRecord?: boolean;
  /** Alerts are raised on registration or reclassification, never by the start-up pass. */
  alert: boolean;
}

type ExistingSchedule = { id: string; calendar?: CalendarRule; paused: boolean };

/** Schedules younger than this are never deleted as orphans (their system may be mid-transaction). */
const ORPHAN_MIN_AGE_MS = 10 * 60_000;
const CONCURRENCY = 8;

@Injectable()
export class CadenceReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CadenceReconciler');
  readonly timeZone: string;
  /** Each Schedule's jitter (AIMS_SCHEDULE_JITTER_MINUTES). */
  private readonly jitterMs: number;
  private readonly reconcileOnStart: boolean;
  private readonly startup: StartupRetry;
  /** Resolves when the start-up reconcile has succeeded once (for tests and health). */
  readonly startupReconciled: Promise<void>;

  constructor(
    private readonly client: Client,
    @Inject(TEMPORAL_TASK_QUEUE) private readonly taskQueue: string,
    private readonly dataSource: DataSource,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'timeZone' | 'reconcile'>,
  ) {
    this.timeZone = config.timeZone;
    this.jitterMs = config.reconcile.scheduleJitterMs;
    this.reconcileOnStart = config.reconcile.onStart;
    this.startup = new StartupRetry(this.logger, 'start-up reconcile', config.reconcile.retryMs, async () => {
      const result = await this.reconcileAll();
      if (result.failed.length) throw new Error(`${result.failed.length} system(s) failed: ${result.failed.join(', ')}`);
      return (
        `start-up reconcile done: ${result.systems} system(s), ${result.created} created, ${result.updated} updated, ` +
        `${result.removed} removed, ${result.orphansRemoved} orphan(s) removed`
      );
    });
    this.startupReconciled = this.startup.succeeded;
  }

  /** Start-up: reconcile every system in the background; retry until it succeeds once. */
  onApplicationBootstrap(): void {
    if (this.reconcileOnStart) this.startup.start();
  }

  onApplicationShutdown(): void {
    this.startup.stop();
  }

  /** Reconciles one system after it was registered or changed. Throws when Temporal refuses or is unreachable. */
  async reconcileSystem(system: ReconcilableSystem, actor: { personId: string }, opts: ReconcileOptions = {}): Promise<ReconcileOutcome> {
    return this.reconcile(system, actor, { alert: true }, opts.manager);
  }

  /**
   * What registering `system` creates, by the same rules `reconcileSystem` applies to a system
   * Temporal knows nothing of yet (no Schedules, no AIIA on record): its desired cadences, the
   * go-live or initial AIIA, this quarter's review of a high-risk system, the prohibited alert.
   */
  registrationPlan(system: ReconcilableSystem, now = new Date()): RegistrationPlan {
    const work: RegistrationPlan['work'] = [];
    if (wantsGoLiveAiia(system)) work.push({ kind: 'go-live-aiia', workflowId: goLiveAiiaWorkflowId(system.id) });
    if (needsInitialAiia(system, false)) work.push({ kind: 'initial-aiia', workflowId: initialAiiaWorkflowId(system.id) });
    if (needsQuarterlyReview(system)) work.push({ kind: 'current-review', workflowId: this.currentReviewStart(system, now).workflowId });
    if (isProhibited(system.riskTier)) work.push({ kind: 'prohibited-alert', workflowId: prohibitedAlertWorkflowId(system.id) });
    return { cadences: desiredCadences(inventoryEntry(system), this.timeZone), work };
  }

  /**
   * Create-only: the Schedule of a freshly registered system, with no describe first (there is
   * nothing to diff). One already there (a resumed import, the start-up reconcile) is `existing`.
   */
  async createCadence(spec: CadenceSpec): Promise<CreateOnlyOutcome> {
    try {
      await this.client.schedule.create(scheduleOptionsFor(spec, this.taskQueue, this.jitterMs));
      return 'created';
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) return 'existing';
      throw err;
    }
  }

  /**
   * Create-only: opens one piece of a new system's registration work (REJECT_DUPLICATE makes a
   * second start `existing`). `skipped` when it is no longer due: a current review whose quarter
   * has passed (the start-up reconcile opens the quarter's own).
   */
  async openRegistrationWork(
    system: ReconcilableSystem,
    work: { kind: RegistrationWorkKind; workflowId: string },
    actor: { personId: string },
    now = new Date(),
  ): Promise<CreateOnlyOutcome | 'skipped'> {
    const ref = { id: system.id, name: system.name, ownerId: system.ownerId };
    switch (work.kind) {
      case 'go-live-aiia':
        if (!system.goLiveDate) return 'skipped';
        return this.created(
          this.startTask(work.workflowId, goLiveAiiaStart({ ...ref, goLiveDate: system.goLiveDate }, now, this.timeZone).input),
        );
      case 'initial-aiia':
        return this.created(
          this.startTask(work.workflowId, initialAiiaStart({ ...ref, registeredAt: system.createdAt }, now, this.timeZone).input),
        );
      case 'current-review': {
        const start = this.currentReviewStart(system, now);
        if (start.workflowId !== work.workflowId) return 'skipped';
        return this.created(this.startTask(start.workflowId, start.input));
      }
      case 'prohibited-alert':
        return (await this.startProhibitedAlert(system, actor)) === 'started' ? 'created' : 'existing';
    }
  }

  private async created(started: Promise<boolean>): Promise<CreateOnlyOutcome> {
    return (await started) ? 'created' : 'existing';
  }

  private currentReviewStart(system: ReconcilableSystem, now: Date): ReturnType<typeof cycleTaskStart> {
    return cycleTaskStart('high-risk-review', { id: system.id, name: system.name, ownerId: system.ownerId }, now, {
      cadenceId: cadenceId('high-risk-review', system.id),
      timeZone: this.timeZone,
    });
  }

  /**
   * Every system in ai_systems, plus deletion of cadence Schedules whose system is gone.
   * Per-system failures are collected, not thrown; the start-up pass retries on any failure.
   */
  async reconcileAll(): Promise<{
    systems: number;
    created: number;
    updated: number;
    removed: number;
    orphansRemoved: number;
    failed: string[];
  }> {
    const rows: Array<
      ReconcilableSystemRow & {
        has_go_live_task: boolean;
        has_current_review: boolean;
        aiia_on_record: boolean;
      }
    > = await this.dataSource.query(
      `SELECT ${reconcilableColumns('s')},
              EXISTS (SELECT 1 FROM tasks t WHERE t.id IN (${SYSTEMS_SQL.goLiveAiiaTaskId('s')}, ${SYSTEMS_SQL.initialAiiaTaskId('s')}))
                AS has_go_live_task,
              EXISTS (SELECT 1 FROM tasks t WHERE t.id = ${SYSTEMS_SQL.reviewTaskId(quarterOf(new Date(), this.timeZone).key, 's')})
                AS has_current_review,
              ${SYSTEMS_SQL.aiiaOnRecord('s')} AS aiia_on_record
         FROM ai_systems s ORDER BY s.created_at, s.id`,
    );
    const totals = { systems: rows.length, created: 0, updated: 0, removed: 0, orphansRemoved: 0, failed: [] as string[] };
    let next = 0;
    const worker = async () => {
      while (next < rows.length && !this.startup.isStopped) {
        const r = rows[next++];
        try {
          const out = await this.reconcile(
            toReconcilableSystem(r),
            { personId: 'system' },
            {
              alert: false,
              goLiveTaskKnown: r.has_go_live_task,
              currentReviewKnown: r.has_current_review,
              aiiaOnRecord: r.aiia_on_record,
            },
          );
          totals.created += out.created.length;
          totals.updated += out.updated.length;
          totals.removed += out.removed.length;
        } catch (err) {
          totals.failed.push(r.id);
          this.logger.warn(`reconcile of system ${r.id} failed: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, worker));
    if (totals.failed.length === 0) totals.orphansRemoved = await this.removeOrphans(new Set(rows.map((r) => r.id)));
    return totals;
  }

  private async reconcile(
    system: ReconcilableSystem,
    actor: { personId: string },
    how: Internal,
    manager?: EntityManager,
  ): Promise<ReconcileOutcome> {
    const desired = desiredCadences(inventoryEntry(system), this.timeZone);
    const existing = await this.existingFor(system.id, desired);
    const plan = planReconcile(desired, existing);
    await this.apply(plan);
    const outcome: ReconcileOutcome = {
      systemId: system.id,
      created: plan.create.map((s) => s.id),
      updated: plan.update.map((s) => s.id),
      removed: plan.remove,
    };
    if (plan.create.length || plan.update.length || plan.remove.length) {
      this.logger.log(
        `system ${system.id}: created [${outcome.created.join(', ')}] updated [${outcome.updated.join(', ')}] removed [${outcome.removed.join(', ')}]`,
      );
    }
    outcome.goLiveAiia = await this.ensureGoLiveAiia(system, how, manager);
    outcome.initialAiia = await this.ensureInitialAiia(system, how, manager);
    const reviewPaused = existing.find((e) => e.id === cadenceId('high-risk-review', system.id))?.paused === true;
    const started: string[] = [];
    outcome.currentReview = await this.ensureCurrentReview(system, how, reviewPaused, manager, started);
    if (outcome.goLiveAiia === 'started') started.push(goLiveAiiaWorkflowId(system.id));
    if (outcome.initialAiia === 'started') started.push(initialAiiaWorkflowId(system.id));
    outcome.startedTaskIds = started;
    if (how.alert && isProhibited(system.riskTier) && !(system.previousRiskTier && isProhibited(system.previousRiskTier))) {
      outcome.prohibitedAlert = await this.startProhibitedAlert(system, actor);
    }
    return outcome;
  }

  /**
   * The Schedules Temporal has for this system, one describe per possible cadence id. A
   * Schedule that is not exactly what its spec asks for is reported without a calendar, so
   * `planReconcile` updates it.
   */
  private async existingFor(systemId: string, desired: CadenceSpec[]): Promise<ExistingSchedule[]> {
    const want = new Map(desired.map((d) => [d.id, d]));
    const found = await Promise.all(
      CADENCE_KINDS.map(async (kind): Promise<ExistingSchedule | undefined> => {
        const id = cadenceId(kind, systemId);
        const desc = await this.describe(id);
        if (!desc) return undefined;
        const spec = want.get(id);
        return {
          id,
          calendar: spec && isCurrent(desc, spec, this.taskQueue, this.jitterMs) ? ruleOfDescription(desc) : undefined,
          paused: desc.state.paused,
        };
      }),
    );
    return found.filter((f): f is ExistingSchedule => !!f);
  }

  /** The Schedule's description, or undefined when it does not exist. */
  async describe(scheduleId: string): Promise<ScheduleDescription | undefined> {
    try {
      return await this.client.schedule.getHandle(scheduleId).describe();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return undefined;
      throw err;
    }
  }

  private async apply(plan: ReconcilePlan): Promise<void> {
    for (const spec of plan.create) {
      try {
        await this.client.schedule.create(scheduleOptionsFor(spec, this.taskQueue, this.jitterMs));
      } catch (err) {
        // Created concurrently (another request or the start-up pass): make it current instead.
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        await this.update(spec);
      }
    }
    for (const spec of plan.update) await this.update(spec);
    for (const id of plan.remove) {
      try {
        await this.client.schedule.getHandle(id).delete();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
  }

  private async update(spec: CadenceSpec): Promise<void> {
    try {
      await this.client.schedule.getHandle(spec.id).update((prev) => scheduleUpdateFor(spec, this.taskQueue, prev, this.jitterMs));
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      // Deleted concurrently: it is still wanted, so create it.
      await this.client.schedule.create(scheduleOptionsFor(spec, this.taskQueue, this.jitterMs));
    }
  }

  /**
   * The go-live AIIA, started once per system: REJECT_DUPLICATE refuses a second start while
   * Temporal remembers the first, and the task read model remembers it after retention.
   */
  private async ensureGoLiveAiia(
    system: ReconcilableSystem,
    how: Internal,
    manager?: EntityManager,
  ): Promise<ReconcileOutcome['goLiveAiia']> {
    if (!wantsGoLiveAiia(system)) return 'not-applicable';
    if (how.goLiveTaskKnown) return 'already-started';
    const { workflowId, input } = goLiveAiiaStart(
      { id: system.id, name: system.name, ownerId: system.ownerId, goLiveDate: system.goLiveDate },
      new Date(),
      this.timeZone,
    );
    // A system first registered live without a go-live date has had its initial AIIA: the
    // go-live date given later does not open a second assessment of the same go-live.
    const initialId = initialAiiaWorkflowId(system.id);
    if ((await this.workflowExists(workflowId)) || (await this.workflowExists(initialId))) return 'already-started';
    if (how.goLiveTaskKnown === undefined) {
      const rows = await (manager ?? this.dataSource.manager).query(`SELECT 1 FROM tasks WHERE id IN ($1, $2)`, [workflowId, initialId]);
      if (rows.length) return 'already-started';
    }
    const started = await this.startTask(workflowId, input);
    if (started) this.logger.log(`system ${system.id}: go-live AIIA ${workflowId} started, due ${input.dueAt}`);
    return started ? 'started' : 'already-started';
  }

  /**
   * A system registered already live (in operation, no go-live date) with no AIIA on record
   * gets its initial AIIA once, due 30 days after registration: one deterministic id,
   * REJECT_DUPLICATE, and the read model after Temporal's retention.
   */
  private async ensureInitialAiia(
    system: ReconcilableSystem,
    how: Internal,
    manager?: EntityManager,
  ): Promise<ReconcileOutcome['initialAiia']> {
    if (!needsInitialAiia(system, how.aiiaOnRecord === true)) return 'not-applicable';
    const { workflowId, input } = initialAiiaStart(
      { id: system.id, name: system.name, ownerId: system.ownerId, registeredAt: system.createdAt },
      new Date(),
      this.timeZone,
    );
    if (await this.workflowExists(workflowId)) return 'already-started';
    if (how.aiiaOnRecord === undefined) {
      const rows = await (manager ?? this.dataSource.manager).query(
        `SELECT 1 FROM ai_systems s WHERE s.id = $1 AND ${SYSTEMS_SQL.aiiaOnRecord('s')}`,
        [system.id],
      );
      if (rows.length) return 'not-applicable';
    }
    const started = await this.startTask(workflowId, input);
    if (started) this.logger.log(`system ${system.id}: initial AIIA ${workflowId} started, due ${input.dueAt}`);
    return started ? 'started' : 'already-started';
  }

  /**
   * A system in scope of the quarterly review (registered high, reclassified up, back from
   * retirement, or found so by the start-up pass) gets the current quarter's review at once,
   * with the id the Schedule's run of that quarter uses (so that run, or a trigger, finds it
   * already open), due by cyclePeriod's rule (30 days after its opening when opened late).
   * A paused review cadence opens nothing: the governance lead stopped it on purpose.
   */
  private async ensureCurrentReview(
    system: ReconcilableSystem,
    how: Internal,
    paused: boolean,
    manager?: EntityManager,
    started: string[] = [],
  ): Promise<ReconcileOutcome['currentReview']> {
    if (!needsQuarterlyReview(system)) return 'not-applicable';
    if (paused) return 'paused';
    if (how.currentReviewKnown) return 'already-open';
    const { workflowId, input } = this.currentReviewStart(system, new Date());
    if (await this.workflowExists(workflowId)) return 'already-open';
    if (how.currentReviewKnown === undefined) {
      const rows = await (manager ?? this.dataSource.manager).query(`SELECT 1 FROM tasks WHERE id = $1`, [workflowId]);
      if (rows.length) return 'already-open';
    }
    const opened = await this.startTask(workflowId, input);
    if (opened) this.logger.log(`system ${system.id}: review ${workflowId} opened at once, due ${input.dueAt}`);
    if (opened) started.push(workflowId);
    return opened ? 'opened' : 'already-open';
  }

  /**
   * Opens the AIIA of a system's n-th significant change at once, due 30 calendar days later.
   * `adopted`: the id was already started (an attempt whose transaction did not commit), so the
   * caller records that one instead of opening another.
   */
  async startSignificantChangeAiia(
    system: { id: string; name: string; ownerId: string },
    n: number,
    now: Date,
  ): Promise<{ workflowId: string; input: GovernanceTaskInput; adopted: boolean }> {
    const { workflowId, input } = significantChangeAiiaStart(system, n, now, this.timeZone);
    const started = await this.startTask(workflowId, input);
    if (started) {
      this.logger.log(`system ${system.id}: AIIA ${workflowId} after a significant change, due ${input.dueAt}`);
      return { workflowId, input, adopted: false };
    }
    return { workflowId, input, adopted: true };
  }

  /** Starts a governanceTask once; false when the id is already taken. */
  private async startTask(workflowId: string, input: GovernanceTaskInput): Promise<boolean> {
    try {
      await startWorkflow(this.client, 'governanceTask', {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  private async workflowExists(workflowId: string): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  private async startProhibitedAlert(system: ReconcilableSystem, actor: { personId: string }): Promise<'started' | 'already-started'> {
    const input: ProhibitedSystemAlertInput = { systemId: system.id, systemName: system.name, actorId: actor.personId };
    try {
      await startWorkflow(this.client, 'prohibitedSystemAlert', {
        workflowId: prohibitedAlertWorkflowId(system.id),
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      this.logger.warn(`system ${system.id} (${system.name}) is prohibited: governance lead alerted`);
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
      throw err;
    }
  }

  /** Cadence Schedules whose system no longer exists (e.g. a registration rolled back). */
  private async removeOrphans(known: Set<string>): Promise<number> {
    let removed = 0;
    const candidates: string[] = [];
    for await (const s of this.client.schedule.list()) {
      const parsed = parseCadenceId(s.scheduleId);
      if (parsed && !known.has(parsed.systemId)) candidates.push(s.scheduleId);
    }
    for (const id of candidates) {
      const parsed = parseCadenceId(id)!;
      const desc = await this.describe(id);
      if (!desc || Date.now() - desc.info.createdAt.getTime() < ORPHAN_MIN_AGE_MS) continue;
      const stillThere = await this.dataSource.query(`SELECT 1 FROM ai_systems WHERE id::text = $1`, [parsed.systemId]);
      if (stillThere.length) continue;
      try {
        await this.client.schedule.getHandle(id).delete();
        removed++;
        this.logger.log(`removed orphan schedule ${id}`);
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
    return removed;
  }
}

function inventoryEntry(system: ReconcilableSystem): InventoryEntry {
  return {
    id: system.id,
    name: system.name,
    riskTier: system.riskTier,
    lifecycleStage: system.lifecycleStage,
    goLiveDate: system.goLiveDate,
    createdAt: system.createdAt,
  };
}

/** A system with a go-live date in cadence scope gets its go-live AIIA once. */
function wantsGoLiveAiia(system: Pick<ReconcilableSystem, 'goLiveDate' | 'riskTier' | 'lifecycleStage'>): system is typeof system & {
  goLiveDate: string;
} {
  return !!system.goLiveDate && isInCadenceScope(system);
}
