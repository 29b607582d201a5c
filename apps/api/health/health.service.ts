import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';

export type CheckState = 'up' | 'down';

export interface HealthReport {
  status: 'ok' | 'error';
  checks: { database: CheckState; temporal: CheckState };
  /** Why a check is down. */
  errors?: Partial<Record<'database' | 'temporal', string>>;
}

const CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Checks PostgreSQL (`SELECT 1`) and Temporal (GetSystemInfo over the API's own client, so
 * TLS / API-key settings are exercised too), each with a short deadline.
 */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: Client,
  ) {}

  async check(): Promise<HealthReport> {
    const [database, temporal] = await Promise.allSettled([this.checkDatabase(), this.checkTemporal()]);
    const report: HealthReport = {
      status: database.status === 'fulfilled' && temporal.status === 'fulfilled' ? 'ok' : 'error',
      checks: {
        database: database.status === 'fulfilled' ? 'up' : 'down',
        temporal: temporal.status === 'fulfilled' ? 'up' : 'down',
      },
    };
    const errors: HealthReport['errors'] = {};
    if (database.status === 'rejected') errors.database = String(database.reason?.message ?? database.reason);
    if (temporal.status === 'rejected') errors.temporal = String(temporal.reason?.details ?? temporal.reason?.message ?? temporal.reason);
    if (Object.keys(errors).length) report.errors = errors;
    return report;
  }

  private async checkDatabase(): Promise<void> {
    await withTimeout(this.db.query('SELECT 1'), CHECK_TIMEOUT_MS, 'PostgreSQL');
  }

  private async checkTemporal(): Promise<void> {
    const conn = this.temporal.connection;
    await withTimeout(
      conn.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => conn.workflowService.getSystemInfo({})),
      CHECK_TIMEOUT_MS + 500,
      'Temporal',
    );
  }
}
