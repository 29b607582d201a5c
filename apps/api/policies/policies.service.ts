import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { ApiConfig } from '../../../libs/config';
import {
  initialPolicyReviewStatus,
  majorChangeReviewKey,
  PolicyReviewInput,
  policyReviewOpenedUpdate,
  policyReviewSettledUpdate,
  PolicyReviewStatus,
  policyReviewWorkflowId,
  submitPolicyReviewUpdate,
} from '../../../libs/contracts';
import { orgCadenceId } from '../../../libs/domain';
import {
  appendToStream,
  AUDIT_STREAMS,
  createPolicy,
  findPolicy,
  listPolicies,
  OPEN_POLICY_REVIEW_STATES,
  PolicyRecord,
  policyForUpdate,
  PolicyReviewRow,
  reviewsOfPolicy,
  updatePolicy,
  upsertPolicyReview,
} from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { requireActivePerson } from '../common/inactive-person';
import { fieldError } from '../common/validation';
import { startWithUpdateWithinTransaction } from '../common/workflow-start';
import { awaitUpdateResult, executeUpdate } from '../common/workflow-updates';
import { API_CONFIG } from '../config/api-config.module';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.module';
import {
  CreatePolicyDto,
  MajorChangeDto,
  MajorChangeView,
  PolicyDetailView,
  PolicyReviewView,
  PolicyView,
  SubmitPolicyReviewDto,
  UpdatePolicyDto,
} from './policies.dto';

/** The audit event of a major change, in the policy's stream. */
export const MAJOR_CHANGE_EVENT = 'policy.major-change';

/** A review key from the path: a year (`2026`, `2026-07`) or `major-change-<n>`. */
const REVIEW_KEY = /^(\d{4}(-\d{2})?|major-change-[1-9]\d{0,5})$/;

export function toPolicyView(p: PolicyRecord): PolicyView {
  return {
    id: p.id,
    title: p.title,
    ownerId: p.ownerId,
    version: p.version,
    documentUrl: p.documentUrl,
    approvedBy: p.approvedBy,
    lastReviewedAt: p.lastReviewedAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function toReviewView(s: PolicyReviewStatus, taskState: string | null): PolicyReviewView {
  return {
    reviewId: s.reviewId,
    key: s.key,
    trigger: s.trigger,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    taskId: s.taskId,
    taskState,
    state: s.state,
    ownerId: s.ownerId,
    openedAt: s.openedAt,
    dueAt: s.dueAt,
    previousVersion: s.previousVersion,
    ...(s.submission ? { submission: s.submission } : {}),
    ...(s.outcome ? { outcome: s.outcome } : {}),
    ...(s.newVersion !== undefined ? { newVersion: s.newVersion } : {}),
    ...(s.documentUrl !== undefined ? { documentUrl: s.documentUrl } : {}),
    ...(s.approvedBy ? { approvedBy: s.approvedBy } : {}),
    ...(s.approvedAt ? { approvedAt: s.approvedAt } : {}),
  };
}

/**
 * Waits until a policy review's end (its approval's new version on the policy) is recorded: the
 * approval of its task through POST /tasks/:id/approve answers once GET /policies/:id shows it.
 * A review that has completed recorded it before completing.
 */
export async function awaitPolicyReviewSettled(client: Client, reviewId: string): Promise<void> {
  try {
    await client.workflow.getHandle(reviewId).executeUpdate(policyReviewSettledUpdate);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    throw err;
  }
}

@Injectable()
export class PoliciesService {
  private readonly logger = new Logger('Policies');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: Client,
    @Inject(TEMPORAL_TASK_QUEUE) private readonly taskQueue: string,
    @Inject(API_CONFIG) private readonly config: Pick<ApiConfig, 'timeZone'>,
  ) {}

  async create(dto: CreatePolicyDto, actor: AuthenticatedPerson): Promise<PolicyView> {
    if (dto.approvedBy !== undefined && dto.approvedBy === dto.ownerId) throw approverIsOwner();
    const created = await this.db.transaction(async (tx) => {
      await requireActivePerson(tx, 'ownerId', dto.ownerId, 'owner');
      if (dto.approvedBy) await requireActivePerson(tx, 'approvedBy', dto.approvedBy, 'approver');
      return createPolicy(
        tx,
        { title: dto.title, ownerId: dto.ownerId, version: dto.version, documentUrl: dto.documentUrl, approvedBy: dto.approvedBy ?? null },
        actor.id,
      );
    });
    return toPolicyView(created);
  }

  async list(): Promise<PolicyView[]> {
    return (await listPolicies(this.db)).map(toPolicyView);
  }

  async get(id: string): Promise<PolicyDetailView> {
    const policy = await findPolicy(this.db, id);
    if (!policy) throw new NotFoundException(`policy ${id} not found`);
    const reviews = await reviewsOfPolicy(this.db, id);
    return {
      ...toPolicyView(policy),
      reviews: reviews.map((r: PolicyReviewRow) => toReviewView(r.status, r.taskState)),
      nextYearlyReviewAt: await this.nextYearlyReviewAt(),
    };
  }

  async update(id: string, dto: UpdatePolicyDto, actor: AuthenticatedPerson): Promise<PolicyView> {
    if (!Object.values(dto).some((v) => v !== undefined)) throw fieldError('body', 'at least one field to change is required');
    const updated = await this.db.transaction(async (tx) => {
      const current = await policyForUpdate(tx, id);
      if (!current) throw new NotFoundException(`policy ${id} not found`);
      const next = {
        title: dto.title ?? current.title,
        ownerId: dto.ownerId ?? current.ownerId,
        documentUrl: dto.documentUrl ?? current.documentUrl,
        approvedBy: dto.approvedBy !== undefined ? dto.approvedBy : current.approvedBy,
      };
      if (next.approvedBy !== null && next.approvedBy === next.ownerId) throw approverIsOwner();
      if (next.ownerId !== current.ownerId) await requireActivePerson(tx, 'ownerId', next.ownerId, 'owner');
      if (next.approvedBy && next.approvedBy !== current.approvedBy)
        await requireActivePerson(tx, 'approvedBy', next.approvedBy, 'approver');
      return updatePolicy(tx, current, next, actor.id);
    });
    return toPolicyView(updated);
  }

  /**
   * A major change opens the policy's review at once (AIMS-DOMAIN.md), due 30 calendar days
   * later. Under the policy's row lock: the change is the n-th `policy.major-change` event of its
   * stream and its review is `policy:<id>:review:major-change-<n>`; the event, the review's row
   * and the start (Update-with-Start) are one transaction, so a refusal by Temporal leaves none of
   * them. A repeat of the same change (same reason while its review is open) answers that review.
   * The answer comes once the review's task reads in GET /tasks/:id.
   */
  async majorChange(id: string, dto: MajorChangeDto, actor: AuthenticatedPerson): Promise<MajorChangeView> {
    const reason = dto.reason.trim();
    const recorded = await this.db.transaction(async (tx) => {
      const policy = await policyForUpdate(tx, id);
      if (!policy) throw new NotFoundException(`policy ${id} not found`);
      const stream = AUDIT_STREAMS.policy(id);
      const earlier: Array<{
        detail: { reason?: string; reviewId?: string; key?: string; taskId?: string; dueAt?: string };
        occurred_at: Date;
        open: boolean;
      }> = await tx.query(
        `SELECT e.detail, e.occurred_at, (r.id IS NULL OR r.state = ANY($3)) AS open
             FROM audit_events e LEFT JOIN policy_reviews r ON r.id = e.detail->>'reviewId'
            WHERE e.stream_id = $1 AND e.event = $2
            ORDER BY e.seq`,
        [stream.streamId, MAJOR_CHANGE_EVENT, [...OPEN_POLICY_REVIEW_STATES]],
      );
      const repeat = [...earlier].reverse().find((e) => e.detail.reason === reason && e.open);
      if (repeat?.detail.reviewId && repeat.detail.taskId && repeat.detail.dueAt && repeat.detail.key) {
        const view: MajorChangeView = {
          policyId: id,
          reviewId: repeat.detail.reviewId,
          key: repeat.detail.key,
          taskId: repeat.detail.taskId,
          dueAt: repeat.detail.dueAt,
          reason,
          recordedAt: new Date(repeat.occurred_at).toISOString(),
          created: false,
        };
        return { view, opening: undefined };
      }
      const now = new Date();
      // Past the reviews on record too: a start whose commit failed may have left its review running with its row.
      const [{ last }]: Array<{ last: number | null }> = await tx.query(
        `SELECT max(substring(review_key FROM '^major-change-([0-9]+)$')::int) AS last FROM policy_reviews WHERE policy_id = $1`,
        [id],
      );
      const n = Math.max(earlier.length, last ?? 0) + 1;
      const key = majorChangeReviewKey(n);
      const input: PolicyReviewInput = {
        policy: { id, title: policy.title, ownerId: policy.ownerId, version: policy.version, documentUrl: policy.documentUrl },
        key,
        trigger: 'major-change',
        reason,
        openedBy: actor.id,
        timeZone: this.config.timeZone,
        openedAt: now.toISOString(),
      };
      const status = initialPolicyReviewStatus(input, now);
      // The review's own first write waits on this row until the transaction commits.
      await upsertPolicyReview(tx, status);
      await appendToStream(tx, stream, {
        event: MAJOR_CHANGE_EVENT,
        onceFor: status.reviewId,
        actorId: actor.id,
        occurredAt: now,
        detail: { reason, n, key, reviewId: status.reviewId, taskId: status.taskId, dueAt: status.dueAt },
      });
      const opening = await startWithUpdateWithinTransaction(
        this.temporal,
        'policyReview',
        { workflowId: status.reviewId, taskQueue: this.taskQueue, args: [input] },
        policyReviewOpenedUpdate,
      );
      const view: MajorChangeView = {
        policyId: id,
        reviewId: status.reviewId,
        key,
        taskId: status.taskId,
        dueAt: status.dueAt,
        reason,
        recordedAt: now.toISOString(),
        created: true,
      };
      return { view, opening };
    });
    if (recorded.opening) {
      const opened = await awaitUpdateResult(recorded.opening, `the review of policy ${id}`);
      return { ...recorded.view, dueAt: opened.dueAt };
    }
    return recorded.view;
  }

  /** The owner's submission, handed by the review to its task; answers once the task recorded it. */
  async submitReview(id: string, key: string, dto: SubmitPolicyReviewDto, actor: AuthenticatedPerson): Promise<PolicyReviewView> {
    if (!REVIEW_KEY.test(key)) throw fieldError('key', 'key must be the year of a yearly review (2026) or major-change-<n>');
    const policy = await findPolicy(this.db, id);
    if (!policy) throw new NotFoundException(`policy ${id} not found`);
    const reviewId = policyReviewWorkflowId(id, key);
    const status = await executeUpdate(this.temporal, reviewId, `review ${key} of policy ${id}`, submitPolicyReviewUpdate, {
      by: { personId: actor.id, role: actor.role },
      summary: dto.summary,
      newVersion: dto.newVersion,
      ...(dto.documentUrl !== undefined ? { documentUrl: dto.documentUrl } : {}),
      ...(dto.evidenceUrls ? { evidenceUrls: dto.evidenceUrls } : {}),
    });
    return toReviewView(status, 'submitted');
  }

  /** The next run of the Schedule `org:policy-review`, null when there is none (or Temporal cannot say now). */
  private async nextYearlyReviewAt(): Promise<string | null> {
    try {
      const d = await this.temporal.schedule.getHandle(orgCadenceId('policy-review')).describe();
      return d.info.nextActionTimes[0]?.toISOString() ?? null;
    } catch (err) {
      // The policy reads without it: Temporal's answer is the only thing missing.
      if (!(err instanceof ScheduleNotFoundError)) this.logger.warn(`the next yearly policy review could not be read: ${String(err)}`);
      return null;
    }
  }
}

function approverIsOwner() {
  return fieldError('approvedBy', 'approvedBy must be someone other than the owner (a policy is approved by someone else)');
}
