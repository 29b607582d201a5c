import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { RECERTIFICATION_STATES, RecertificationState, TASK_STATES, TaskState } from '../../../libs/domain';
import { trim } from '../common/text';

/** A round's period: `2026` (yearly) or `2026-07` (the opening month of a shorter interval). */
export const PERIOD_PATTERN = '^[0-9]{4}(-(0[1-9]|1[0-2]))?$';

export class SystemConfirmationDto {
  @ApiProperty({ format: 'uuid', description: 'One of your systems in this round' })
  @IsUUID()
  systemId!: string;

  @ApiPropertyOptional({ maxLength: 1000, example: 'Still in operation; purpose and data unchanged' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  note?: string;
}

/** Body of `POST /inventory-recertifications/:period/confirm`: the owner confirms systems current (after updating any). */
export class ConfirmSystemsDto {
  @ApiProperty({ type: [SystemConfirmationDto], minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => SystemConfirmationDto)
  systems!: SystemConfirmationDto[];
}

export class RecertificationSystemView {
  @ApiProperty({ format: 'uuid' }) systemId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) confirmedAt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) confirmedBy?: string;
  @ApiPropertyOptional() note?: string;
}

/** One owner in a round, as the round answers a confirmation. */
export class RecertificationOwnerView {
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'inventory-recertification:3f6c2a1e-0000-4000-8000-000000000000:2026-07' }) taskId!: string;
  @ApiPropertyOptional({ enum: TASK_STATES }) taskState?: TaskState;
  @ApiProperty({ type: [RecertificationSystemView] }) systems!: RecertificationSystemView[];
}

export class ConfirmedSystemView {
  @ApiProperty({ format: 'uuid' }) systemId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, format: 'date-time' }) confirmedAt!: string;
  @ApiProperty({ format: 'uuid' }) confirmedBy!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class UnconfirmedSystemView {
  @ApiProperty({ format: 'uuid' }) systemId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: RECERTIFICATION_STATES, description: 'due until the task is due, stale after' }) state!: RecertificationState;
}

export class RoundOwnerView {
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: TASK_STATES, nullable: true }) taskState!: TaskState | null;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt!: string;
  @ApiProperty({ type: [ConfirmedSystemView] }) confirmed!: ConfirmedSystemView[];
  @ApiProperty({ type: [UnconfirmedSystemView] }) notConfirmed!: UnconfirmedSystemView[];
}

export class RecertificationRoundView {
  @ApiProperty({ example: '2026-07' }) period!: string;
  @ApiProperty({ example: 'inventory-recertification:2026-07' }) roundId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt!: string;
  @ApiProperty({ type: [RoundOwnerView] }) owners!: RoundOwnerView[];
}
