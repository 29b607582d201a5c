import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { ApiConfig } from '../../../libs/config';
import { API_CONFIG } from '../config/api-config.module';

export type CheckState = 'up' | 'down';

export interface HealthReport {
  status: 'ok' | 'error';
  checks: { database: CheckState; temporal: CheckState };
  /** Why a check is down. */
  errors?: Partial<Record<'database' | 'temporal', string>>;
  /** When the checks this report is made of finished (ISO 8601): how old the answer is. */
  checkedAt: string;
}

/** Each check's deadline: a dependency that does not answer within it is down. */
export const HEALTH_CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Checks PostgreSQL (`SELECT 1`) and Temporal (GetSystemInfo over the API's own client, so
 * TLS / API-key settings are exercised too), each with a short deadline, in the background:
 * once at start-up, then `AIMS_HEALTH_INTERVAL_MS` after each round ends. A probe answers the
 * last round's result, so probes cost neither dependency a call, however many there are; a
 * dependency that stops answering reads `down` within one interval plus the deadline. A probe
 * before the first round has ended waits for it (bounded by the deadline), so it never
 * reports a state nobody checked.
 */
@Injectable()
export class HealthService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly intervalMs: number;
  private last: HealthReport | undefined;
  private running: Promise<HealthReport> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: Client,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'healthIntervalMs'>,
  ) {
    this.intervalMs = config.healthIntervalMs;
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    void this.round();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The last round's result; before the first round has ended, that round's (starting it if need be). */
  async check(): Promise<HealthReport> {
    return this.last ?? this.running ?? this.round();
  }

  /** One round of both checks; schedules the next one an interval after it ends. */
  private round(): Promise<HealthReport> {
    if (this.running) return this.running;
    clearTimeout(this.timer);
    this.running = this.checkNow()
      .then((report) => {
        this.last = report;
        return report;
      })
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) {
          this.timer = setTimeout(() => void this.round(), this.intervalMs);
          // Never what keeps the process alive.
          this.timer.unref();
        }
      });
    return this.running;
  }

  private async checkNow(): Promise<HealthReport> {
    const [database, temporal] = await Promise.allSettled([this.checkDatabase(), this.checkTemporal()]);
    const report: HealthReport = {
      status: database.status === 'fulfilled' && temporal.status === 'fulfilled' ? 'ok' : 'error',
      checks: {
        database: database.status === 'fulfilled' ? 'up' : 'down',
        temporal: temporal.status === 'fulfilled' ? 'up' : 'down',
      },
      checkedAt: new Date().toISOString(),
    };
    const errors: HealthReport['errors'] = {};
    if (database.status === 'rejected') errors.database = String(database.reason?.message ?? database.reason);
    if (temporal.status === 'rejected') errors.temporal = String(temporal.reason?.details ?? temporal.reason?.message ?? temporal.reason);
    if (Object.keys(errors).length) {
      report.errors = errors;
      if (this.last?.status !== 'error' || JSON.stringify(this.last.errors) !== JSON.stringify(errors)) {
        Logger.warn(
          `health: ${Object.entries(errors)
            .map(([k, v]) => `${k} down (${v})`)
            .join(', ')}`,
          'health',
        );
      }
    }
    return report;
  }

  private async checkDatabase(): Promise<void> {
    await withTimeout(this.db.query('SELECT 1'), HEALTH_CHECK_TIMEOUT_MS, 'PostgreSQL');
  }

  private async checkTemporal(): Promise<void> {
    const conn = this.temporal.connection;
    await withTimeout(
      conn.withDeadline(Date.now() + HEALTH_CHECK_TIMEOUT_MS, () => conn.workflowService.getSystemInfo({})),
      HEALTH_CHECK_TIMEOUT_MS + 500,
      'Temporal',
    );
  }
}
