import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import { MANAGEMENT_REVIEW_DECISION_TYPES, MAX_REVIEW_DECISIONS, TASK_STATES } from '../../../libs/domain';
import type { ManagementReviewDecisionType } from '../../../libs/domain';
import { IsInstant } from '../common/date-time';
import { PaginationQueryDto } from '../common/pagination.dto';
import { OptionalText, RequiredText } from '../common/text';

/** A review's id in a path: `management-review:2026`, or `management-review:2026-07` for a shorter interval. */
export const REVIEW_ID_PATTERN = '^management-review:[0-9]{4}(-(0[1-9]|1[0-2]))?$';

export class ProposeImprovementDto {
  @RequiredText(4000, 'An opportunity for continual improvement (ISO/IEC 42001 9.3.2 e), proposed before the meeting')
  text!: string;
}

export class DecisionActionDto {
  @RequiredText(300, 'What is to be done, in a line: the task title')
  title!: string;

  @ApiProperty({ format: 'uuid', description: 'The action owner: an active person' })
  @IsUUID('all', { message: 'ownerId must be a UUID' })
  ownerId!: string;

  @IsInstant('dueAt', '2027-03-31T17:00:00Z', 'When the action is due: in the future')
  dueAt!: string;
}

export class DecisionDto {
  @RequiredText(4000, 'The decision (ISO/IEC 42001 9.3.3)')
  text!: string;

  @ApiProperty({ enum: MANAGEMENT_REVIEW_DECISION_TYPES, description: 'On continual improvement, a change to the AIMS, or resources' })
  @IsIn(MANAGEMENT_REVIEW_DECISION_TYPES)
  type!: ManagementReviewDecisionType;

  @ApiPropertyOptional({ type: DecisionActionDto, description: 'The action it decides: a tracked task with an owner and a due date' })
  @IsOptional()
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => DecisionActionDto)
  action?: DecisionActionDto;
}

export class RecordDecisionsDto {
  @ApiProperty({ type: [DecisionDto], minItems: 1, maxItems: MAX_REVIEW_DECISIONS })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REVIEW_DECISIONS)
  @ValidateNested({ each: true })
  @Type(() => DecisionDto)
  decisions!: DecisionDto[];

  @OptionalText(20000, "The meeting's minutes")
  minutes?: string;
}

export class ListManagementReviewsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  state?: 'open' | 'closed';
}

class ProposalView {
  @ApiProperty({ format: 'uuid' }) by!: string;
  @ApiProperty() role!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export class ActionView {
  @ApiProperty() taskId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'uuid', description: 'The current owner (the task may have been reassigned)' }) ownerId!: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'The current due time' }) dueAt!: string;
  @ApiProperty({ enum: TASK_STATES, description: "The task's current state, from the tasks read model" }) state!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ description: 'Highest escalation level reached: 0 owner, 1 manager, 2 governance lead, 3 top management' })
  escalationLevel!: number;
}

class DecisionView {
  @ApiProperty() n!: number;
  @ApiProperty() text!: string;
  @ApiProperty({ enum: MANAGEMENT_REVIEW_DECISION_TYPES }) type!: string;
  @ApiPropertyOptional({ type: ActionView }) action?: ActionView;
}

export class ManagementReviewSummaryView {
  @ApiProperty({ example: 'management-review:2026', pattern: REVIEW_ID_PATTERN }) reviewId!: string;
  @ApiProperty({ example: '2026' }) period!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) state!: string;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) closedAt?: string;
  @ApiPropertyOptional({ description: "The meeting's task" }) meetingTaskId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) meetingOwnerId?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) meetingDueAt?: string;
  @ApiProperty() proposals!: number;
  @ApiProperty() decisions!: number;
  @ApiProperty() version!: number;
}

export class ManagementReviewView {
  @ApiProperty({ example: 'management-review:2026', pattern: REVIEW_ID_PATTERN }) reviewId!: string;
  @ApiProperty({ example: '2026' }) period!: string;
  @ApiProperty() cadenceId!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) state!: string;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) closedAt?: string;
  @ApiPropertyOptional() meetingTaskId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) meetingOwnerId?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) meetingDueAt?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'The inputs of ISO/IEC 42001 9.3.2 as compiled at the opening: previousActions (a), changes (b), interestedParties (c), performance: nonconformities, monitoring, audits (d)',
  })
  pack?: Record<string, unknown>;
  @ApiProperty({ type: [ProposalView], description: 'Opportunities for improvement proposed before the meeting (9.3.2 e)' })
  proposals!: ProposalView[];
  @ApiProperty({ type: [DecisionView], description: "Top management's decisions (9.3.3), each action with its task's current state" })
  decisions!: DecisionView[];
  @ApiPropertyOptional({ format: 'uuid' }) decidedBy?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) decidedAt?: string;
  @ApiPropertyOptional() minutes?: string;
  @ApiProperty() version!: number;
}

export class ManagementReviewPage {
  @ApiProperty({ type: [ManagementReviewSummaryView] }) items!: ManagementReviewSummaryView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
