import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { ROLES, TASK_STATES, TASK_SUBJECT_TYPES, TaskState } from '../../../libs/contracts';
import { EFFECTIVENESS_OUTCOMES, EffectivenessOutcome, LADDER_ACTIONS, TASK_KINDS, TaskKind } from '../../../libs/domain';
import { IsInstant } from '../common/date-time';
import { FormSubmissionView } from '../forms/forms.dto';
import { PaginationQueryDto } from '../common/pagination.dto';
import { RequiredText, trim } from '../common/text';

/** Whose work and which kind: the filters every view of tasks takes. */
export class OwnerAndKindFilterDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'ownerId must be a UUID' })
  ownerId?: string;

  @ApiPropertyOptional({ enum: TASK_KINDS })
  @IsOptional()
  @IsIn(TASK_KINDS)
  kind?: TaskKind;
}

/** `GET /tasks` filters; every one optional, combined with AND. */
export class ListTasksQueryDto extends IntersectionType(PaginationQueryDto, OwnerAndKindFilterDto) {
  @ApiPropertyOptional({ enum: TASK_STATES })
  @IsOptional()
  @IsIn(TASK_STATES)
  state?: TaskState;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: due time passed and not approved or completed' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: "overdue must be 'true' or 'false'" })
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'The id of the subject (AI system, incident, ...)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  subjectId?: string;

  @ApiPropertyOptional({ example: '2026-Q4', description: 'e.g. 2026-Q4, 2026, 2026-H1, go-live' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, { message: 'period must be a period key such as 2026-Q4, 2026 or go-live' })
  period?: string;
}

export class SubmitTaskDto {
  @ApiProperty({ minLength: 1, maxLength: 10000, description: 'What was done: the outcome of the review or assessment' })
  @Transform(trim)
  @IsString()
  @Length(1, 10000)
  summary!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20, example: ['https://wiki.example.com/reviews/2026-q4'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { each: true, message: 'each value in evidenceUrls must be an http(s) URL' },
  )
  @MaxLength(2000, { each: true })
  evidenceUrls?: string[];

  @ApiPropertyOptional({
    enum: EFFECTIVENESS_OUTCOMES,
    description: "The outcome, for work that records one: a corrective action's effectiveness check (required there, refused elsewhere)",
  })
  @IsOptional()
  @IsIn(EFFECTIVENESS_OUTCOMES)
  outcome?: EffectivenessOutcome;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      "The answers to the work's form (GET /forms/<the task's formKind>), by field name: required for work with a form, refused for work without one. Checked against the form's current version, each problem a 400 on answers.<field>",
    example: { dataDrift: 'no-drift', driftFinding: 'Input distributions stable' },
  })
  @IsOptional()
  @IsObject({ message: "answers must be an object of the answers to the work's form, by field name" })
  answers?: Record<string, unknown>;
}

export class ApproveTaskDto {
  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(10000)
  comment?: string;
}

export class RejectTaskDto {
  @RequiredText(10000, 'Why the work goes back for rework')
  reason!: string;
}

export class ReassignTaskDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'newOwnerId must be a UUID' })
  newOwnerId!: string;

  @RequiredText(2000, 'Why, for the audit trail')
  reason!: string;
}

export class ExtendTaskDto {
  @IsInstant('newDueAt', '2026-11-30T17:00:00Z')
  newDueAt!: string;

  @RequiredText(2000, 'Why, for the audit trail')
  reason!: string;
}

/** `GET /tasks/awaiting-approval`: a page, optionally one kind of work. */
export class AwaitingApprovalQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: TASK_KINDS })
  @IsOptional()
  @IsIn(TASK_KINDS)
  kind?: TaskKind;
}

export class TaskSubjectView {
  @ApiProperty({ enum: TASK_SUBJECT_TYPES }) type!: string;
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class LadderStepViewDto {
  @ApiProperty() key!: string;
  @ApiProperty({ enum: LADDER_ACTIONS }) action!: string;
  @ApiProperty({ type: [String] }) levels!: string[];
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['pending', 'done', 'skipped'] }) status!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) handledAt?: string;
}

export class NextStepView {
  @ApiProperty() key!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

/** A task as the read model has it (TaskStatus) with `overdue` computed now, and when the row was written. */
export class TaskView {
  @ApiProperty({ example: 'high-risk-review:3f6c2a1e-0000-4000-8000-000000000000:2026-Q4' }) taskId!: string;
  @ApiProperty({ enum: TASK_KINDS }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: TaskSubjectView }) subject!: TaskSubjectView;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({ enum: TASK_STATES }) state!: string;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt!: string;
  @ApiProperty() overdue!: boolean;
  @ApiPropertyOptional() cadenceId?: string;
  @ApiPropertyOptional() period?: string;
  @ApiPropertyOptional({ format: 'uuid' }) submittedBy?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) submittedAt?: string;
  @ApiPropertyOptional() summary?: string;
  @ApiPropertyOptional({ type: [String] }) evidenceUrls?: string[];
  @ApiPropertyOptional({ type: FormSubmissionView, description: "The latest submission's answers to the work's form" })
  submission?: FormSubmissionView;
  @ApiPropertyOptional({
    description:
      'The form this work is submitted with (GET /forms/<formKind>; 404 there: a summary alone), absent for work that takes none',
  })
  formKind?: string;
  @ApiProperty({
    enum: ROLES,
    isArray: true,
    description: 'Roles that may approve it (never its owner or submitter); empty: no approval step',
  })
  approverRoles!: string[];
  @ApiPropertyOptional({ format: 'uuid' }) approvedBy?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) approvedAt?: string;
  @ApiProperty() submissions!: number;
  @ApiProperty() rejections!: number;
  @ApiProperty({ description: '0 owner (not escalated), 1 manager, 2 governance lead, 3 top management' }) escalationLevel!: number;
  @ApiProperty({ type: [LadderStepViewDto] }) ladder!: LadderStepViewDto[];
  @ApiPropertyOptional({ type: NextStepView }) nextStep?: NextStepView;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class TaskPage {
  @ApiProperty({ type: [TaskView] }) items!: TaskView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

/** One event of a task's audit stream. */
export class TaskHistoryItem {
  @ApiProperty({
    example: 'submitted',
    description: 'opened, reminded, escalated, breached, submitted, completed, approved, rejected, ...',
  })
  event!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who acted; null for the ladder (reminders, escalations)' })
  actorId!: string | null;
  @ApiPropertyOptional({ description: 'Their name, when a person acted' }) actorName?: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the event recorded (answers, reasons, recipients, ...)' })
  detail!: Record<string, unknown>;
}

export class TaskHistory {
  @ApiProperty({ type: [TaskHistoryItem], description: 'In the order they were recorded' }) items!: TaskHistoryItem[];
}
