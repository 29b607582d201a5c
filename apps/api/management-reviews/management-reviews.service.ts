import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { ManagementReviewStatus, proposeImprovementUpdate, recordDecisionsUpdate, RecordDecisionsArgs } from '../../../libs/contracts';
import { decisionProblems } from '../../../libs/domain';
import { TASKS_SQL } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { requireActivePerson } from '../common/inactive-person';
import type { Page } from '../common/pagination.dto';
import { readModelPage, SqlFilter } from '../common/read-model-page';
import { ValidationFailedException, fieldError } from '../common/validation';
import { executeUpdate } from '../common/workflow-updates';
import {
  ListManagementReviewsQueryDto,
  ManagementReviewSummaryView,
  ManagementReviewView,
  ProposeImprovementDto,
  RecordDecisionsDto,
  REVIEW_ID_PATTERN,
} from './management-reviews.dto';
import { actionViews, reviewView } from './management-review-view';

const REVIEW_ID = new RegExp(REVIEW_ID_PATTERN);

/** A review id from the path: a malformed one is a 400 on `id`. */
export function parseReviewId(id: string): string {
  if (!REVIEW_ID.test(id)) throw fieldError('id', 'id must be a management review id such as management-review:2026');
  return id;
}

/** `decisions[0].action.dueAt` (the domain's name of a field) as the validation format names it: `decisions.0.action.dueAt`. */
const dotted = (field: string) => field.replace(/\[(\d+)\]/g, '.$1');

@Injectable()
export class ManagementReviewsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: Client,
  ) {}

  async list(q: ListManagementReviewsQueryDto): Promise<Page<ManagementReviewSummaryView>> {
    const filter = new SqlFilter().eq('state', q.state);
    return readModelPage(
      this.db,
      { select: 'status', from: 'management_reviews', filter, orderBy: 'opened_at DESC, id' },
      q,
      (r: { status: ManagementReviewStatus }) => summaryView(r.status),
    );
  }

  async get(id: string): Promise<ManagementReviewView> {
    parseReviewId(id);
    const [row]: Array<{ status: ManagementReviewStatus }> = await this.db.query(`SELECT status FROM management_reviews WHERE id = $1`, [
      id,
    ]);
    if (!row) throw new NotFoundException(`management review ${id} not found`);
    return this.view(row.status);
  }

  async propose(id: string, dto: ProposeImprovementDto, actor: AuthenticatedPerson): Promise<ManagementReviewView> {
    parseReviewId(id);
    const status = await executeUpdate(this.temporal, id, `management review ${id}`, proposeImprovementUpdate, {
      by: { personId: actor.id, role: actor.role },
      text: dto.text,
    });
    return this.view(status);
  }

  /** Field-level 400s (the rules of libs/domain, owners active) before the review is asked; then one Update. */
  async decide(id: string, dto: RecordDecisionsDto, actor: AuthenticatedPerson): Promise<ManagementReviewView> {
    parseReviewId(id);
    const problems = decisionProblems(dto.decisions, new Date());
    if (problems.length) {
      const byField = new Map<string, string[]>();
      for (const p of problems) byField.set(dotted(p.field), [...(byField.get(dotted(p.field)) ?? []), p.message]);
      throw new ValidationFailedException([...byField].map(([field, messages]) => ({ field, messages })));
    }
    for (const [i, d] of dto.decisions.entries()) {
      if (d.action) await requireActivePerson(this.db, `decisions.${i}.action.ownerId`, d.action.ownerId, 'action owner');
    }
    const args: RecordDecisionsArgs = {
      by: { personId: actor.id, role: actor.role },
      decisions: dto.decisions.map((d) => ({
        text: d.text,
        type: d.type,
        ...(d.action ? { action: { title: d.action.title, ownerId: d.action.ownerId, dueAt: d.action.dueAt } } : {}),
      })),
      ...(dto.minutes !== undefined ? { minutes: dto.minutes } : {}),
    };
    const status = await executeUpdate(this.temporal, id, `management review ${id}`, recordDecisionsUpdate, args);
    return this.view(status);
  }

  /** The review with each decided action's CURRENT state, read from the tasks read model. */
  private async view(s: ManagementReviewStatus): Promise<ManagementReviewView> {
    const ids = s.decisions.flatMap((d) => (d.action ? [d.action.taskId] : []));
    const rows: Array<Record<string, any>> = ids.length
      ? await this.db.query(
          `SELECT id, owner_id, due_at, state, escalation_level, (${TASKS_SQL.overdue()}) AS overdue FROM tasks WHERE id = ANY($1)`,
          [ids],
        )
      : [];
    return reviewView(s, actionViews(s, rows));
  }
}

function summaryView(s: ManagementReviewStatus): ManagementReviewSummaryView {
  return {
    reviewId: s.reviewId,
    period: s.period,
    state: s.state,
    openedAt: s.openedAt,
    ...(s.closedAt ? { closedAt: s.closedAt } : {}),
    ...(s.meetingTaskId ? { meetingTaskId: s.meetingTaskId, meetingOwnerId: s.meetingOwnerId, meetingDueAt: s.meetingDueAt } : {}),
    proposals: s.proposals.length,
    decisions: s.decisions.length,
    version: s.version,
  };
}
