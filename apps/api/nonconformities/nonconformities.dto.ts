import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmptyObject, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import {
  CORRECTIVE_ACTION_STEPS,
  CorrectiveActionStep,
  NONCONFORMITY_GRADES,
  NONCONFORMITY_SOURCES,
  NonconformityGrade,
  NonconformitySource,
  PLAN_DAY_LIMITS,
} from '../../../libs/domain';
import { PaginationQueryDto } from '../common/pagination.dto';
import { RequiredText } from '../common/text';

export class NonconformitySourceDto {
  @ApiProperty({ enum: NONCONFORMITY_SOURCES, example: 'audit-finding' })
  @IsIn(NONCONFORMITY_SOURCES)
  type!: NonconformitySource;

  @ApiProperty({
    example: 'IA-2026-07',
    description: 'What it comes from: the incident id (a UUID) for an incident; a finding or review reference, or a link, otherwise',
  })
  @IsString()
  @Length(1, 500)
  ref!: string;
}

function PlanDays(description: string): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    for (const d of [
      ApiPropertyOptional({ minimum: PLAN_DAY_LIMITS.min, maximum: PLAN_DAY_LIMITS.max, description }),
      IsOptional(),
      IsInt(),
      Min(PLAN_DAY_LIMITS.min),
      Max(PLAN_DAY_LIMITS.max),
    ]) {
      d(target, key);
    }
  };
}

/** Days each step may take; any not given takes the grade's default (libs/domain/corrective-action.ts). */
export class PlanDaysDto {
  @PlanDays('Days to contain, from opening (default: minor 7, major 2)') containment?: number;
  @PlanDays('Days to find the root cause, once contained (default: minor 30, major 14)') rootCause?: number;
  @PlanDays('Days to act, once the root cause is known (default: minor 60, major 30)') action?: number;
  @PlanDays('Days to wait after the action before its effectiveness is checked (default 90)') verificationWait?: number;
  @PlanDays('Days the verifier has for the effectiveness check (default 14)') effectivenessCheck?: number;
}

/** What a nonconformity needs besides where it comes from (an incident gives its own source). */
export class NonconformityDetailsDto {
  @RequiredText(300, 'A short name of the nonconformity')
  title!: string;

  @RequiredText(10000, 'What does not conform, and where')
  description!: string;

  @ApiProperty({ enum: NONCONFORMITY_GRADES })
  @IsIn(NONCONFORMITY_GRADES)
  grade!: NonconformityGrade;

  @ApiProperty({ format: 'uuid', description: 'Owns the corrective action (and, unless named below, containment and root cause)' })
  @IsUUID('all', { message: 'actionOwnerId must be a UUID' })
  actionOwnerId!: string;

  @ApiProperty({ format: 'uuid', description: 'Checks effectiveness; never the action owner' })
  @IsUUID('all', { message: 'verifierId must be a UUID' })
  verifierId!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'containmentOwnerId must be a UUID' })
  containmentOwnerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'rootCauseOwnerId must be a UUID' })
  rootCauseOwnerId?: string;

  @ApiPropertyOptional({ type: PlanDaysDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PlanDaysDto)
  planDays?: PlanDaysDto;
}

export class CreateNonconformityDto extends NonconformityDetailsDto {
  @ApiProperty({ type: NonconformitySourceDto })
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => NonconformitySourceDto)
  source!: NonconformitySourceDto;
}

export class NonconformityFilterDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  state?: 'open' | 'closed';

  @ApiPropertyOptional({ enum: CORRECTIVE_ACTION_STEPS })
  @IsOptional()
  @IsIn(CORRECTIVE_ACTION_STEPS)
  step?: CorrectiveActionStep;

  @ApiPropertyOptional({ enum: NONCONFORMITY_SOURCES })
  @IsOptional()
  @IsIn(NONCONFORMITY_SOURCES)
  sourceType?: NonconformitySource;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 500)
  sourceRef?: string;

  @ApiPropertyOptional({ enum: NONCONFORMITY_GRADES })
  @IsOptional()
  @IsIn(NONCONFORMITY_GRADES)
  grade?: NonconformityGrade;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'actionOwnerId must be a UUID' })
  actionOwnerId?: string;
}

export class ListNonconformitiesQueryDto extends IntersectionType(PaginationQueryDto, NonconformityFilterDto) {}

class StepRecordView {
  @ApiProperty() taskId!: string;
  @ApiProperty({ format: 'uuid' }) by!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty() summary!: string;
}

class VerificationView extends StepRecordView {
  @ApiProperty({ enum: ['effective', 'not_effective'] }) outcome!: string;
  @ApiProperty() loop!: number;
}

/** One line of the corrective-action log, and the whole record of one nonconformity. */
export class NonconformityView {
  @ApiProperty({ format: 'uuid' }) nonconformityId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: NONCONFORMITY_GRADES }) grade!: string;
  @ApiProperty({ type: NonconformitySourceDto }) source!: NonconformitySourceDto;
  @ApiProperty({ enum: ['open', 'closed'] }) state!: string;
  @ApiProperty({ enum: CORRECTIVE_ACTION_STEPS }) step!: string;
  @ApiProperty({ format: 'uuid' }) actionOwnerId!: string;
  @ApiProperty({ format: 'uuid' }) verifierId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'uuid' }) openedBy!: string;
  @ApiPropertyOptional() currentTaskId?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) currentDueAt?: string;
  @ApiPropertyOptional({ type: StepRecordView }) containment?: StepRecordView;
  @ApiPropertyOptional({ type: StepRecordView }) rootCause?: StepRecordView;
  @ApiPropertyOptional({ type: StepRecordView, description: 'The latest action' }) action?: StepRecordView;
  @ApiProperty({ type: [StepRecordView] }) actions!: StepRecordView[];
  @ApiPropertyOptional({ type: String, format: 'date-time' }) verificationOpensAt?: string;
  @ApiProperty({ type: [VerificationView] }) verifications!: VerificationView[];
  @ApiPropertyOptional({ enum: ['effective', 'not_effective'], description: 'The latest verification result' }) verificationResult?: string;
  @ApiProperty({ description: 'Times the action was found not effective and reopened' }) loops!: number;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) closedAt?: string;
  @ApiProperty({ description: 'Days since opening (until closing, once closed)' }) ageDays!: number;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class NonconformityPage {
  @ApiProperty({ type: [NonconformityView] }) items!: NonconformityView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
