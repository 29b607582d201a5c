import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CADENCE_KINDS, CadenceKind, ORG_CADENCE_KINDS, OrgCadenceKind } from '../../../libs/domain';
import { MinProperties } from '../common/openapi-contract';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, toQueryNumber } from '../common/pagination.dto';
import { CURSOR_PATTERN } from './cadence-list';

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

export const CADENCE_SCOPES = ['org', 'system'] as const;

export class OrgCadenceSettingView {
  @ApiProperty({ example: 6, description: 'Months between runs' }) intervalMonths!: number;
  @ApiProperty({ example: 1, description: 'The month (1-12) of the first run in a calendar year' }) startMonth!: number;
}

/** An organisation-wide cadence (`org:<kind>`): its Schedule, its setting and the intervals it allows. */
export class OrgCadenceViewDto {
  @ApiProperty({ example: 'org:inventory-recertification' }) id!: string;
  @ApiProperty({ enum: ['org'] }) scope!: 'org';
  @ApiProperty({ enum: ORG_CADENCE_KINDS }) kind!: OrgCadenceKind;
  @ApiProperty() description!: string;
  @ApiProperty({ type: CalendarRuleView, nullable: true }) calendar!: CalendarRuleView | null;
  @ApiProperty({ type: OrgCadenceSettingView, nullable: true, description: "The setting in the Schedule's action" })
  setting!: OrgCadenceSettingView | null;
  @ApiProperty({ type: [Number], example: [1, 2, 3, 6], description: 'The intervals (months) this cadence allows' })
  allowedIntervals!: number[];
  @ApiProperty() paused!: boolean;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: [String], description: 'Next fire times reported by Temporal (ISO)' }) nextRunTimes!: string[];
  @ApiProperty({ type: [CadenceRunView] }) recentRuns!: CadenceRunView[];
}

/** A per-system cadence in `GET /cadences`: the view of `GET /systems/:id/cadences` with its scope. */
export class SystemCadenceListItemDto extends CadenceViewDto {
  @ApiProperty({ enum: ['system'] }) scope!: 'system';
}

export class CadenceListQueryDto {
  @ApiPropertyOptional({ enum: CADENCE_SCOPES, description: 'Only the org-wide or only the per-system cadences' })
  @IsOptional()
  @IsIn(CADENCE_SCOPES)
  scope?: (typeof CADENCE_SCOPES)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Per-system cadences per page' })
  @IsOptional()
  @Transform(toQueryNumber)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (its org-wide cadences are on the first page only)' })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(CURSOR_PATTERN), { message: 'cursor is not one this list gave' })
  cursor?: string;
}

export class CadenceListView {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(OrgCadenceViewDto) }, { $ref: getSchemaPath(SystemCadenceListItemDto) }] },
    description: 'The org-wide cadences first (first page), then per-system ones',
  })
  items!: Array<OrgCadenceViewDto | SystemCadenceListItemDto>;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;
}

/** Body of `PATCH /cadences/:id` (org-wide cadences): the interval or the first month; the rest stays. */
@MinProperties(1)
export class OrgCadenceSettingDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 12,
    example: 3,
    description: 'Months between runs; each cadence allows some (allowedIntervals)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  intervalMonths?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 12, example: 2, description: 'The month (1-12) of the first run in a year' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  startMonth?: number;
}

/** The answer of an org-wide cadence's trigger: the period's round and the tasks it opened, readable at once. */
export class OrgTriggeredView {
  @ApiProperty({ example: 'org:inventory-recertification' }) cadenceId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) triggeredAt!: string;
  @ApiProperty({ example: '2026-07' }) period!: string;
  @ApiProperty({ example: 'inventory-recertification:2026-07' }) roundId!: string;
  @ApiProperty({ enum: TRIGGER_OUTCOMES, description: 'opened now, or already open for this period (the same round)' })
  outcome!: (typeof TRIGGER_OUTCOMES)[number];
  @ApiProperty({ type: [String], description: "The round's tasks (GET /tasks/:id reads each)" }) taskIds!: string[];
}
