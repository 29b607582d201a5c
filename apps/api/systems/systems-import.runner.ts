/**
 * Creates an import's Schedules and immediate work once its systems are committed: create-only
 * (no describe or list per system: nothing to diff), AIMS_IMPORT_SCHEDULE_CONCURRENCY at once,
 * each call retried with backoff while Temporal refuses for a passing reason (RESOURCE_EXHAUSTED
 * and the like). Outcomes are written in batches. A call Temporal refuses for good is a failure
 * with its reason; a spell of Temporal being away outlasting the retries leaves the rest pending
 * and the run is tried again later. At start-up every running import resumes with what is left
 * (a Schedule or work already there counts as created), beside the start-up reconcile, which
 * finds the same ids and leaves them be.
 */
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ApiConfig } from '../../../libs/config';
import { CadenceSpec } from '../../../libs/domain';
import {
  finishSystemImport,
  ImportItemRecord,
  ImportItemResult,
  pendingImportItems,
  recordImportProgress,
  runningSystemImports,
} from '../../../libs/persistence';
import {
  CadenceReconciler,
  reconcilableColumns,
  ReconcilableSystem,
  ReconcilableSystemRow,
  RegistrationWorkKind,
  toReconcilableSystem,
} from '../cadences/cadence-reconciler';
import { API_CONFIG } from '../config/api-config.module';
import { DEFAULT_TEMPORAL_RETRY, isTransientTemporalError, withTemporalRetry } from '../common/temporal-retry';

/** Outcomes written per UPDATE, and at least this often while a run goes on. */
const PROGRESS_BATCH = 200;
const PROGRESS_EVERY_MS = 1_000;

@Injectable()
export class SystemImportRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SystemImportRunner');
  private readonly concurrency: number;
  private readonly retryMs: number;
  private readonly runs = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reconciler: CadenceReconciler,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'import' | 'reconcile'>,
  ) {
    this.concurrency = config.import.scheduleConcurrency;
    this.retryMs = config.reconcile.retryMs;
  }

  /** Start-up: resume the imports the API stopped during. */
  onApplicationBootstrap(): void {
    runningSystemImports(this.db).then(
      (ids) => {
        if (ids.length) this.logger.log(`resuming ${ids.length} unfinished import(s): ${ids.join(', ')}`);
        for (const id of ids) void this.start(id);
      },
      (err: Error) => this.logger.warn(`could not read unfinished imports: ${err.message}`),
    );
  }

  /** Stops taking new items; what is under way finishes and its outcomes are written. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.allSettled([...this.runs.values()]);
  }

  /** Runs the import in the background (once at a time per import); for tests, the promise of its run. */
  start(importId: string): Promise<void> {
    const running = this.runs.get(importId);
    if (running) return running;
    const run = this.run(importId)
      .catch((err: Error) => {
        this.logger.warn(`import ${importId} paused: ${err.message}; trying again in ${this.retryMs} ms`);
        if (this.stopped) return;
        const t = setTimeout(() => {
          this.timers.delete(t);
          void this.start(importId);
        }, this.retryMs);
        this.timers.add(t);
      })
      .finally(() => this.runs.delete(importId));
    this.runs.set(importId, run);
    return run;
  }

  private async run(importId: string): Promise<void> {
    const items = await pendingImportItems(this.db, importId);
    // The person who ran the import: the prohibited alert names them, as POST /systems does.
    const [{ actor_id: personId }]: Array<{ actor_id: string }> = await this.db.query(`SELECT actor_id FROM system_imports WHERE id = $1`, [
      importId,
    ]);
    const systems = await this.systemsOf([...new Set(items.map((i) => i.systemId))]);
    const specs = new Map<string, CadenceSpec>();
    for (const s of systems.values()) for (const c of this.reconciler.registrationPlan(s).cadences) specs.set(c.id, c);

    let buffer: ImportItemResult[] = [];
    let lastFlush = Date.now();
    let writing: Promise<void> = Promise.resolve();
    const flush = (force = false) => {
      if (!buffer.length || (!force && buffer.length < PROGRESS_BATCH && Date.now() - lastFlush < PROGRESS_EVERY_MS)) return writing;
      const batch = buffer;
      buffer = [];
      lastFlush = Date.now();
      // One write at a time, in order.
      writing = writing.then(() => recordImportProgress(this.db, importId, batch));
      return writing;
    };

    let next = 0;
    let paused: unknown;
    const worker = async () => {
      while (next < items.length && !this.stopped && paused === undefined) {
        const item = items[next++];
        try {
          const state = await withTemporalRetry(() => this.create(item, systems, specs, { personId }), {
            ...DEFAULT_TEMPORAL_RETRY,
            onRetry: (err, attempt, ms) =>
              this.logger.warn(`${item.ref}: attempt ${attempt} refused (${(err as Error).message}); again in ${ms} ms`),
          });
          buffer.push({ seq: item.seq, kind: item.kind, ref: item.ref, state });
        } catch (err) {
          // Temporal away longer than the retries: leave it (and the rest) pending for the next run.
          if (isTransientTemporalError(err)) paused ??= err;
          else buffer.push({ seq: item.seq, kind: item.kind, ref: item.ref, state: 'failed', error: (err as Error).message });
        }
        await flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
    await flush(true);
    if (paused !== undefined) throw paused;
    if (this.stopped) return;
    const done = await this.db.transaction((tx) => finishSystemImport(tx, importId));
    if (done) {
      this.logger.log(
        `import ${importId} ${done.status}: ${done.schedules.created}/${done.schedules.total} schedule(s), ` +
          `${done.work.opened}/${done.work.total} work opened, ${done.schedules.failed + done.work.failed} failed`,
      );
    }
  }

  private async create(
    item: ImportItemRecord,
    systems: Map<string, ReconcilableSystem>,
    specs: Map<string, CadenceSpec>,
    actor: { personId: string },
  ): Promise<'created' | 'existing' | 'skipped'> {
    const system = systems.get(item.systemId);
    // Gone or changed since (a PATCH reconciles it itself): nothing of the import's left to do.
    if (!system) return 'skipped';
    if (item.kind === 'schedule') {
      const spec = specs.get(item.ref);
      return spec ? this.reconciler.createCadence(spec) : 'skipped';
    }
    const plan = this.reconciler.registrationPlan(system);
    if (!plan.work.some((w) => w.kind === item.workKind)) return 'skipped';
    return this.reconciler.openRegistrationWork(system, { kind: item.workKind as RegistrationWorkKind, workflowId: item.ref }, actor);
  }

  private async systemsOf(ids: string[]): Promise<Map<string, ReconcilableSystem>> {
    const rows: ReconcilableSystemRow[] = ids.length
      ? await this.db.query(`SELECT ${reconcilableColumns('s')} FROM ai_systems s WHERE s.id = ANY($1::uuid[])`, [ids])
      : [];
    return new Map(rows.map((r) => [r.id, toReconcilableSystem(r)]));
  }
}
