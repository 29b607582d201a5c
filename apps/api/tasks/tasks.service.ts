import { ConflictException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  approveUpdate,
  extendDueUpdate,
  formKindOfTask,
  incidentWorkflowId,
  nonconformityWorkflowId,
  parseCorrectiveStepTaskId,
  parseIncidentReportTaskId,
  parsePolicyReviewTaskId,
  parseManagementReviewMeetingTaskId,
  reassignUpdate,
  rejectUpdate,
  submitReportUpdate,
  submitStepUpdate,
  submitUpdate,
  TaskStatus,
} from '../../../libs/contracts';
import { AUDIT_STREAMS, TASKS_SQL } from '../../../libs/persistence';
import { EFFECTIVENESS_OUTCOMES, FormSubmission, TaskKind } from '../../../libs/domain';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { requireActivePerson } from '../common/inactive-person';
import type { Page } from '../common/pagination.dto';
import { readModelPage, SqlFilter } from '../common/read-model-page';
import { fieldError } from '../common/validation';
import {
  ApproveTaskDto,
  AwaitingApprovalQueryDto,
  ExtendTaskDto,
  ListTasksQueryDto,
  ReassignTaskDto,
  RejectTaskDto,
  SubmitTaskDto,
  TaskHistory,
  TaskView,
} from './tasks.dto';
import { FormsService } from '../forms/forms.service';
import { checkTaskSubmission } from './task-submission';
import { executeUpdate } from '../common/workflow-updates';
import { awaitPolicyReviewSettled } from '../policies/policies.service';

interface TaskRow {
  id: string;
  state: string;
  due_at: Date;
  updated_at: Date;
  status: TaskStatus;
  overdue: boolean;
}

/** `checkTaskId` as a JSON Schema pattern (for the OpenAPI document): no whitespace nor control characters. */
export const TASK_ID_PATTERN = '^[^\\s\\u0000-\\u001f\\u007f\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+$';

/** Task ids are workflow ids such as `high-risk-review:<uuid>:2026-Q4`; refuse anything else early. */
export function checkTaskId(id: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (!id || id.length > 300 || /[\u0000-\u001f\u007f\s]/.test(id)) {
    throw fieldError('id', 'id must be a task id (a workflow id without spaces, at most 300 characters)');
  }
}

/** The read-model row as the API shows it: its TaskStatus, `overdue` as of now, and `updatedAt`. */
export function toTaskView(row: TaskRow): TaskView {
  const formKind = formKindOfTask(row.id, row.status.kind);
  return {
    ...row.status,
    // Snapshots recorded before approverRoles were in the status (the migration backfilled the rows).
    approverRoles: row.status.approverRoles ?? [],
    ...(formKind !== undefined ? { formKind } : {}),
    taskId: row.id,
    state: row.state as TaskStatus['state'],
    dueAt: new Date(row.due_at).toISOString(),
    overdue: row.overdue,
    updatedAt: new Date(row.updated_at).toISOString(),
  } as TaskView;
}

/** What a submission hands on: the body's summary and links, and the answers checked against the form. */
type Submission = Pick<SubmitTaskDto, 'summary' | 'evidenceUrls'> & { submission?: FormSubmission };

const OVERDUE = TASKS_SQL.overdue();
const COLUMNS = `id, state, due_at, updated_at, status, (${OVERDUE}) AS overdue`;

@Injectable()
export class TasksService {
  constructor(
    private readonly client: Client,
    @InjectDataSource() private readonly db: DataSource,
    private readonly forms: FormsService,
  ) {}

  /** One SELECT on the read model (the total comes with the page, counted by the same WHERE). */
  list(q: ListTasksQueryDto): Promise<Page<TaskView>> {
    const filter = new SqlFilter()
      .eq('owner_id', q.ownerId)
      .eq('kind', q.kind)
      .eq('state', q.state)
      .eq('subject_id', q.subjectId)
      .eq('period', q.period)
      .when(q.overdue === 'true', `(${OVERDUE})`)
      .when(q.overdue === 'false', `NOT (${OVERDUE})`);
    return readModelPage(this.db, { select: COLUMNS, from: 'tasks', filter, orderBy: 'due_at ASC, id ASC' }, q, toTaskView);
  }

  async get(id: string): Promise<TaskView> {
    checkTaskId(id);
    const rows: TaskRow[] = await this.db.query(`SELECT ${COLUMNS} FROM tasks WHERE id = $1`, [id]);
    if (!rows.length) throw new NotFoundException(`task ${id} not found`);
    return toTaskView(rows[0]);
  }

  /**
   * Submitted work the caller may approve, earliest due first: their role among its approver
   * roles (the rule the task itself applies, admins included), and neither submitted nor owned
   * by them (segregation of duties). One SELECT on the read model.
   */
  awaitingApproval(q: AwaitingApprovalQueryDto, person: AuthenticatedPerson): Promise<Page<TaskView>> {
    const filter = new SqlFilter()
      .eq('state', 'submitted')
      .eq('kind', q.kind)
      .matches((p) => `owner_id <> ${p}::uuid AND submitted_by IS DISTINCT FROM ${p}::uuid`, person.id)
      .matches((p) => `status->'approverRoles' @> jsonb_build_array(${p}::text)`, person.role);
    return readModelPage(this.db, { select: COLUMNS, from: 'tasks', filter, orderBy: 'due_at ASC, id ASC' }, q, toTaskView);
  }

  /** The task's audit stream in chain order, with the names of the people who acted. */
  async history(id: string): Promise<TaskHistory> {
    checkTaskId(id);
    const found = await this.db.query(`SELECT 1 FROM tasks WHERE id = $1`, [id]);
    if (!found.length) throw new NotFoundException(`task ${id} not found`);
    const rows: Array<{
      event: string;
      occurred_at: Date;
      actor_id: string | null;
      actor_name: string | null;
      detail: Record<string, unknown>;
    }> = await this.db.query(
      `SELECT e.event, e.occurred_at, e.actor_id, p.name AS actor_name, e.detail
           FROM audit_events e LEFT JOIN people p ON p.id::text = e.actor_id::text
          WHERE e.stream_id = $1 ORDER BY e.seq`,
      [AUDIT_STREAMS.task(id).streamId],
    );
    return {
      items: rows.map((r) => ({
        event: r.event,
        at: new Date(r.occurred_at).toISOString(),
        actorId: r.actor_id,
        ...(r.actor_name !== null ? { actorName: r.actor_name } : {}),
        detail: r.detail ?? {},
      })),
    };
  }

  async submit(id: string, dto: SubmitTaskDto, person: AuthenticatedPerson): Promise<TaskStatus> {
    checkTaskId(id);
    const step = parseCorrectiveStepTaskId(id);
    // Only an effectiveness check records an outcome, and it must: at the top level or in its form's answers.
    const check = step?.step === 'effectiveness-check';
    if (check && dto.outcome === undefined && (dto.answers?.outcome ?? undefined) === undefined)
      throw fieldError(
        'outcome',
        `outcome is required for an effectiveness check: ${EFFECTIVENESS_OUTCOMES.join(' or ')} (or answers.outcome)`,
      );
    if (!check && dto.outcome !== undefined) throw fieldError('outcome', 'this work takes no outcome');
    // A recertification is done by confirming each system (the round records them), never by a bare submit.
    const recertification = /^inventory-recertification:[^:]+:([^:]+)$/.exec(id);
    if (recertification)
      throw new ConflictException(
        `a recertification is done by confirming your systems: POST /inventory-recertifications/${recertification[1]}/confirm`,
      );
    const report = parseIncidentReportTaskId(id);
    // A management review's meeting is done by its decisions, recorded on the review (which completes this task).
    const review = parseManagementReviewMeetingTaskId(id);
    if (review)
      throw new ConflictException(
        `the meeting of ${review} is done by recording its decisions: POST /management-reviews/${review}/decisions`,
      );
    const { submission, outcome } = checkTaskSubmission(this.forms, id, await this.kindOf(id), dto);
    const answered = { ...dto, ...(submission ? { submission } : {}) };
    if (report) return this.submitIncidentReport(id, report, answered, person);
    if (step) {
      return this.submitThroughParent(
        id,
        nonconformityWorkflowId(step.nonconformityId),
        submitStepUpdate,
        { taskId: id, ...(outcome !== undefined ? { outcome } : {}) },
        answered,
        person,
      );
    }
    return this.update(id, submitUpdate, {
      by: actorOf(person),
      summary: dto.summary,
      ...(dto.evidenceUrls ? { evidenceUrls: dto.evidenceUrls } : {}),
      ...(submission ? { submission } : {}),
    });
  }

  /** The kind of a task from the read model: an unknown task is a 404 before its answers are looked at. */
  private async kindOf(id: string): Promise<TaskKind> {
    const rows: Array<{ kind: TaskKind }> = await this.db.query(`SELECT kind FROM tasks WHERE id = $1`, [id]);
    if (!rows.length) throw new NotFoundException(`task ${id} not found`);
    return rows[0].kind;
  }

  async approve(id: string, dto: ApproveTaskDto, person: AuthenticatedPerson): Promise<TaskStatus> {
    const status = await this.update(id, approveUpdate, { by: actorOf(person), ...(dto.comment ? { comment: dto.comment } : {}) });
    // A policy review's approval records the new version on the policy: answer once it has.
    const review = parsePolicyReviewTaskId(id);
    if (review) await awaitPolicyReviewSettled(this.client, review.reviewId);
    return status;
  }

  reject(id: string, dto: RejectTaskDto, person: AuthenticatedPerson): Promise<TaskStatus> {
    return this.update(id, rejectUpdate, { by: actorOf(person), reason: dto.reason });
  }

  async reassign(id: string, dto: ReassignTaskDto, person: AuthenticatedPerson): Promise<TaskStatus> {
    checkTaskId(id);
    await requireActivePerson(this.db, 'newOwnerId', dto.newOwnerId, 'person');
    return this.update(id, reassignUpdate, { by: actorOf(person), newOwnerId: dto.newOwnerId, reason: dto.reason });
  }

  extend(id: string, dto: ExtendTaskDto, person: AuthenticatedPerson): Promise<TaskStatus> {
    return this.update(id, extendDueUpdate, {
      by: actorOf(person),
      newDueAt: new Date(dto.newDueAt).toISOString(),
      reason: dto.reason,
    });
  }

  /**
   * An incident's report is submitted through its incident (one Update, which hands it to this
   * task and answers once it is in), so the incident sees it in as soon as the task does. The
   * answer is the task as recorded.
   */
  private submitIncidentReport(
    id: string,
    report: { incidentId: string; key: string },
    dto: Submission,
    person: AuthenticatedPerson,
  ): Promise<TaskStatus> {
    return this.submitThroughParent(id, incidentWorkflowId(report.incidentId), submitReportUpdate, { key: report.key }, dto, person);
  }

  /**
   * A step of a case (an incident's report, a corrective action's step) is submitted through its
   * case: one Update there, which hands it to the task and answers once the task recorded it and
   * what follows is open. The answer is the task as recorded.
   */
  private async submitThroughParent<R, A extends { by: Actor; summary: string; evidenceUrls?: string[]; submission?: FormSubmission }>(
    id: string,
    parentId: string,
    def: UpdateDefinition<R, [A]>,
    which: Omit<A, 'by' | 'summary' | 'evidenceUrls' | 'submission'>,
    dto: Submission,
    person: AuthenticatedPerson,
  ): Promise<TaskStatus> {
    try {
      await executeUpdate(this.client, parentId, `task ${id}`, def, {
        ...which,
        by: actorOf(person),
        summary: dto.summary,
        ...(dto.evidenceUrls ? { evidenceUrls: dto.evidenceUrls } : {}),
        ...(dto.submission ? { submission: dto.submission } : {}),
      } as A);
    } catch (err) {
      // The body was checked by the DTO: a 400 is a step the case does not have, i.e. no such task.
      if (err instanceof HttpException && err.getStatus() === 400) throw new NotFoundException(`task ${id} not found`);
      throw err;
    }
    const rows: Array<{ status: TaskStatus }> = await this.db.query(`SELECT status FROM tasks WHERE id = $1`, [id]);
    if (!rows.length) throw new NotFoundException(`task ${id} not found`);
    return rows[0].status;
  }

  /** Executes one Update of governanceTask: refusals are 400/403/409, a missing task 404. */
  private update<A>(id: string, def: UpdateDefinition<TaskStatus, [A]>, arg: A): Promise<TaskStatus> {
    checkTaskId(id);
    return executeUpdate(this.client, id, `task ${id}`, def, arg);
  }
}

export function actorOf(person: AuthenticatedPerson): Actor {
  return { personId: person.id, role: person.role };
}
