import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CADENCE_KINDS, CadenceKind } from '../../../libs/domain';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Body of `POST /cadences/:id/pause` and `/unpause`: an optional note, kept on the Schedule and in the audit trail. */
export class CadenceNoteDto {
  @ApiPropertyOptional({ maxLength: 1000, example: 'System frozen during the vendor migration' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class CalendarRuleView {
  @ApiProperty({ type: [Number], example: [1, 4, 7, 10], description: 'Months 1-12' }) months!: number[];
  @ApiProperty({ example: 1 }) dayOfMonth!: number;
  @ApiProperty({ example: 0 }) hour!: number;
  @ApiProperty({ example: 0 }) minute!: number;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
}

export class CadenceRunView {
  @ApiProperty({ type: String, format: 'date-time' }) scheduledAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) takenAt!: string;
  @ApiProperty({ example: 'high-risk-review:3f6c...-2026-10-01T00:00:00Z' }) workflowId!: string;
}

export class CadenceViewDto {
  @ApiProperty({ example: 'high-risk-review:3f6c2a1e-0000-4000-8000-000000000000' }) id!: string;
  @ApiProperty({ enum: CADENCE_KINDS }) kind!: CadenceKind;
  @ApiProperty({ format: 'uuid' }) systemId!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: CalendarRuleView, nullable: true }) calendar!: CalendarRuleView | null;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: [String], description: 'Next fire times reported by Temporal (ISO)' }) nextRunTimes!: string[];
  @ApiProperty({ type: [CadenceRunView] }) recentRuns!: CadenceRunView[];
}

export const TRIGGER_OUTCOMES = ['opened', 'already-open'] as const;

/** The answer of a trigger: the period's task, open and readable (`GET /tasks/:taskId`) when it comes. */
export class TriggeredView {
  @ApiProperty() cadenceId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) triggeredAt!: string;
  @ApiProperty({ example: 'high-risk-review:3f6c2a1e-0000-4000-8000-000000000000:2026-Q4', description: "The current period's task" })
  taskId!: string;
  @ApiProperty({ example: '2026-Q4' }) period!: string;
  @ApiProperty({ enum: TRIGGER_OUTCOMES, description: 'opened now, or already open for this period (the same task)' })
  outcome!: (typeof TRIGGER_OUTCOMES)[number];
}
