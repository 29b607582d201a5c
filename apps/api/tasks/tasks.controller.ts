import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import type { TaskStatus } from '../../../libs/contracts';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import type { Page } from '../common/pagination.dto';
import {
  ApproveTaskDto,
  AwaitingApprovalQueryDto,
  ExtendTaskDto,
  ListTasksQueryDto,
  ReassignTaskDto,
  RejectTaskDto,
  SubmitTaskDto,
  TaskHistory,
  TaskPage,
  TaskView,
} from './tasks.dto';
import { TASK_ID_PATTERN, TasksService } from './tasks.service';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';

const REFUSALS = {
  forbidden: 'Refused by the task: wrong person or role (e.g. approving your own work)',
  conflict: 'Refused by the task: not in this state, or the task is closed',
  notFound: 'No such task',
};

/** The task id in the path, as `checkTaskId` accepts it: a workflow id, no whitespace or control characters. */
const TASK_ID_PARAM = {
  name: 'id',
  description: 'A task (workflow) id such as high-risk-review:<system id>:2026-Q4',
  schema: { type: 'string' as const, minLength: 1, maxLength: 300, pattern: TASK_ID_PATTERN },
};

@AuthenticatedController('tasks', 'tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Owned work from the read model, earliest due first' })
  @ApiOkResponse({ type: TaskPage })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  list(@Query() q: ListTasksQueryDto): Promise<Page<TaskView>> {
    return this.tasks.list(q);
  }

  // Before `:id`, which would take "awaiting-approval" for a task id.
  @Get('awaiting-approval')
  @ApiOperation({
    summary:
      'Submitted work the caller may approve, earliest due first: their role is among its approverRoles, and they neither submitted nor own it',
  })
  @ApiOkResponse({ type: TaskPage })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  awaitingApproval(@Query() q: AwaitingApprovalQueryDto, @CurrentPerson() person: AuthenticatedPerson): Promise<Page<TaskView>> {
    return this.tasks.awaitingApproval(q, person);
  }

  @Get(':id/history')
  @ApiParam(TASK_ID_PARAM)
  @ApiOperation({ summary: "The task's audit trail in the order it was recorded: opening, reminders, escalations, submissions, decisions" })
  @ApiOkResponse({ type: TaskHistory })
  @ApiNotFoundResponse({ description: REFUSALS.notFound })
  history(@Param('id') id: string): Promise<TaskHistory> {
    return this.tasks.history(id);
  }

  @Get(':id')
  @ApiParam(TASK_ID_PARAM)
  @ApiOperation({ summary: 'One task with its reminder-and-escalation ladder and next step' })
  @ApiOkResponse({ type: TaskView })
  @ApiNotFoundResponse({ description: REFUSALS.notFound })
  get(@Param('id') id: string): Promise<TaskView> {
    return this.tasks.get(id);
  }

  @Post(':id/submit')
  @ApiParam(TASK_ID_PARAM)
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Submit the work (the owner): a summary, and for work with a form (the task's formKind, GET /forms/:kind) the answers to its current version",
  })
  @ApiOkResponse({ type: TaskView, description: 'The task status after the update' })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiForbiddenResponse({ description: REFUSALS.forbidden })
  @ApiNotFoundResponse({ description: REFUSALS.notFound })
  @ApiConflictResponse({ description: REFUSALS.conflict })
  submit(@Param('id') id: string, @Body() dto: SubmitTaskDto, @CurrentPerson() person: AuthenticatedPerson): Promise<TaskStatus> {
    return this.tasks.submit(id, dto, person);
  }

  @Post(':id/approve')
  @ApiParam(TASK_ID_PARAM)
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve submitted work (someone other than the submitter and the owner)' })
  @ApiOkResponse({ type: TaskView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiForbiddenResponse({ description: REFUSALS.forbidden })
  @ApiNotFoundResponse({ description: REFUSALS.notFound })
  @ApiConflictResponse({ description: REFUSALS.conflict })
  approve(@Param('id') id: string, @Body() dto: ApproveTaskDto, @CurrentPerson() person: AuthenticatedPerson): Promise<TaskStatus> {
    return this.tasks.approve(id, dto, person);
  }

  @Post(':id/reject')
  @ApiParam(TASK_ID_PARAM)
  @HttpCode(200)
  @ApiOperation({ summary: 'Send submitted work back for rework, with a reason' })
  @ApiOkResponse({ type: TaskView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiForbiddenResponse({ description: REFUSALS.forbidden })
  @ApiNotFoundResponse({ description: REFUSALS.notFound })
  @ApiConflictResponse({ description: REFUSALS.conflict })
  reject(@Param('id') id: string, @Body() dto: RejectTaskDto, @CurrentPerson() person: AuthenticatedPerson): Promise<TaskStatus> {
    return this.tasks.reject(id, dto, person);
  }

  @Post(':id/reassign')
  @ApiParam(TASK_ID_PARAM)
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the work to another owner (governance lead, admin)' })
  @ApiOkResponse({ type: TaskView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiForbiddenResponse({ description: REFUSALS.forbidden })
  @ApiNotFoundResponse({ description: 'No such task, or the new owner does not exist' })
  @ApiConflictResponse({ description: REFUSALS.conflict })
  reassign(@Param('id') id: string, @Body() dto: ReassignTaskDto, @CurrentPerson() person: AuthenticatedPerson): Promise<TaskStatus> {
    return this.tasks.reassign(id, dto, person);
  }

  @Post(':id/extend')
  @ApiParam(TASK_ID_PARAM)
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the due time later (governance lead, admin); the ladder follows it' })
  @ApiOkResponse({ type: TaskView })
  @ApiBadRequestResponse({ description: 'Validation failed, or the new due time is not later' })
  @ApiForbiddenResponse({ description: REFUSALS.forbidden })
  @ApiNotFoundResponse({ description: REFUSALS.notFound })
  @ApiConflictResponse({ description: REFUSALS.conflict })
  extend(@Param('id') id: string, @Body() dto: ExtendTaskDto, @CurrentPerson() person: AuthenticatedPerson): Promise<TaskStatus> {
    return this.tasks.extend(id, dto, person);
  }
}
