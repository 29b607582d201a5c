import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { quarterOf } from '../../../../libs/domain/periods';
import { isValidTimeZone } from '../../../../libs/domain/time';
import { AppConfig, CONFIG_NAMESPACE } from '../config/configuration';
import { CycleReportRow, cycleReport, overdueReport, OverdueReport } from './cycles';
import { CyclesQueryDto, OverdueQueryDto } from './status.dto';

@Injectable()
export class StatusService {
  private readonly timeZone: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: ConfigService,
  ) {
    const tz = config.get<AppConfig>(CONFIG_NAMESPACE)?.timeZone ?? process.env.AIMS_TIMEZONE?.trim() ?? 'UTC';
    this.timeZone = tz && isValidTimeZone(tz) ? tz : 'UTC';
  }

  /** Per (kind, period): counts from the read model, expected work and coverage. */
  async cycles(q: CyclesQueryDto, now = new Date()): Promise<CycleReportRow[]> {
    const params: unknown[] = [];
    const where = ['period IS NOT NULL'];
    if (q.kind) where.push(`kind = $${params.push(q.kind)}`);
    if (q.period) where.push(`period = $${params.push(q.period)}`);
    const [groups, [high]] = await Promise.all([
      this.db.query(
        `SELECT kind, period,
                count(*) FILTER (WHERE state = 'open')::int AS open,
                count(*) FILTER (WHERE state = 'submitted')::int AS submitted,
                count(*) FILTER (WHERE state = 'approved')::int AS approved,
                count(*) FILTER (WHERE state = 'cancelled')::int AS cancelled,
                count(*) FILTER (WHERE due_at < now() AND state IN ('open', 'submitted'))::int AS overdue
           FROM tasks WHERE ${where.join(' AND ')}
          GROUP BY kind, period`,
        params,
      ),
      this.db.query(
        `SELECT count(*)::int AS n FROM ai_systems WHERE risk_tier = 'high' AND lifecycle_stage <> 'retirement'`,
      ),
    ]);
    return cycleReport(groups, {
      currentQuarter: quarterOf(now, this.timeZone).key,
      highSystemsInScope: high.n,
      kind: q.kind,
      period: q.period,
    });
  }

  /** Overdue work (due time passed, not approved or cancelled) by owner and escalation level. */
  async overdue(q: OverdueQueryDto, now = new Date()): Promise<OverdueReport> {
    const params: unknown[] = [];
    const where = [`t.due_at < now()`, `t.state IN ('open', 'submitted')`];
    if (q.ownerId) where.push(`t.owner_id = $${params.push(q.ownerId)}`);
    if (q.kind) where.push(`t.kind = $${params.push(q.kind)}`);
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT t.id, t.kind, t.title, t.state, t.owner_id, p.name AS owner_name, p.email AS owner_email,
              t.escalation_level, t.due_at
         FROM tasks t LEFT JOIN people p ON p.id = t.owner_id
        WHERE ${where.join(' AND ')}
        ORDER BY t.due_at, t.id`,
      params,
    );
    return overdueReport(
      rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        state: r.state,
        ownerId: r.owner_id,
        ownerName: r.owner_name ?? null,
        ownerEmail: r.owner_email ?? null,
        escalationLevel: Number(r.escalation_level),
        dueAt: new Date(r.due_at),
      })),
      now,
    );
  }
}
