import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { quarterOf } from '../../../libs/domain';
import {
  INCIDENTS_SQL,
  NONCONFORMITIES_SQL,
  recertificationSummary,
  RecertificationSummary,
  SYSTEMS_SQL,
  TASKS_SQL,
} from '../../../libs/persistence';
import type { ApiConfig } from '../../../libs/config';
import { API_CONFIG } from '../config/api-config.module';
import { IncidentReport, incidentReport, NonconformityReport, nonconformityReport } from './cases';
import { CycleReportRow, cycleReport, overdueReport, OverdueReport } from './cycles';
import { CyclesQueryDto, OverdueQueryDto } from './status.dto';

@Injectable()
export class StatusService {
  private readonly timeZone: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'timeZone'>,
  ) {
    this.timeZone = config.timeZone;
  }

  /** The inventory in scope by recertification state (libs/domain recertificationState), and the stale systems. */
  async inventory(): Promise<{ recertification: RecertificationSummary }> {
    return { recertification: await recertificationSummary(this.db) };
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
                count(*) FILTER (WHERE ${TASKS_SQL.overdue()})::int AS overdue
           FROM tasks WHERE ${where.join(' AND ')}
          GROUP BY kind, period`,
        params,
      ),
      this.db.query(`SELECT count(*)::int AS n FROM ai_systems WHERE ${SYSTEMS_SQL.needsQuarterlyReview()}`),
    ]);
    return cycleReport(groups, {
      currentQuarter: quarterOf(now, this.timeZone).key,
      highSystemsInScope: high.n,
      kind: q.kind,
      period: q.period,
    });
  }

  /** Overdue work (due time passed, not approved or completed) by owner and escalation level. */
  async overdue(q: OverdueQueryDto, now = new Date()): Promise<OverdueReport> {
    const params: unknown[] = [];
    const where = [TASKS_SQL.overdue('t')];
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

  /** Open incidents by clock state, % of draft reports within 72 hours, mean times from detection. */
  async incidents(now = new Date()): Promise<IncidentReport> {
    const ms = (column: string) => `(avg(extract(epoch FROM ${column} - detected_at)) * 1000)::float8`;
    const [[a], bySeverity] = await Promise.all([
      this.db.query(
        `SELECT count(*) FILTER (WHERE state = 'open')::int AS open,
                count(*) FILTER (WHERE state = 'open' AND ${INCIDENTS_SQL.nextDeadlineBreached})::int AS open_breached,
                count(*) FILTER (WHERE state = 'open' AND ${INCIDENTS_SQL.nextDeadlineDueSoon})::int AS open_due_soon,
                count(*) FILTER (WHERE state = 'open' AND ${INCIDENTS_SQL.nextDeadlineOnTrack})::int AS open_on_track,
                count(*) FILTER (WHERE state = 'open' AND next_deadline_at IS NULL)::int AS open_reports_in,
                count(*) FILTER (WHERE ${INCIDENTS_SQL.draftOnTime})::int AS drafts_on_time,
                count(*) FILTER (WHERE ${INCIDENTS_SQL.draftLate})::int AS drafts_late,
                ${ms('acknowledged_at')} AS ack_ms, count(acknowledged_at)::int AS acknowledged,
                ${ms('contained_at')} AS contain_ms, count(contained_at)::int AS contained,
                ${ms('closed_at')} AS close_ms, count(closed_at)::int AS closed
           FROM incidents`,
      ),
      this.db.query(
        `SELECT severity, count(*)::int AS count FROM incidents WHERE state = 'open' GROUP BY severity ORDER BY count DESC, severity`,
      ),
    ]);
    return incidentReport(
      {
        open: a.open,
        openBreached: a.open_breached,
        openDueSoon: a.open_due_soon,
        openOnTrack: a.open_on_track,
        openReportsIn: a.open_reports_in,
        draftsOnTime: a.drafts_on_time,
        draftsLate: a.drafts_late,
        meanToAcknowledgeMs: a.ack_ms,
        meanToContainMs: a.contain_ms,
        meanToCloseMs: a.close_ms,
        acknowledged: a.acknowledged,
        contained: a.contained,
        closed: a.closed,
        openBySeverity: bySeverity,
      },
      now,
    );
  }

  /** Open nonconformities by age and by step: one GROUP BY over the open rows. */
  async nonconformities(now = new Date()): Promise<NonconformityReport> {
    const [groups, [closed]] = await Promise.all([
      this.db.query(
        `SELECT step, grade, ${NONCONFORMITIES_SQL.ageDays}::int AS "ageDays", count(*)::int AS count
           FROM nonconformities WHERE state = 'open' GROUP BY 1, 2, 3`,
      ),
      this.db.query(`SELECT count(*)::int AS n FROM nonconformities WHERE state = 'closed'`),
    ]);
    return nonconformityReport(groups, closed.n, now);
  }
}
