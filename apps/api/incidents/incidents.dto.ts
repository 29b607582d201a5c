import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { CLOCK_STATES, ClockState, INCIDENT_SEVERITIES, IncidentSeverity } from '../../../libs/domain';
import { IsInstant, IsOptionalInstant } from '../common/date-time';
import { PaginationQueryDto } from '../common/pagination.dto';
import { OptionalText, RequiredText } from '../common/text';
import { NonconformityDetailsDto } from '../nonconformities/nonconformities.dto';
import { SubmitTaskDto } from '../tasks/tasks.dto';

export class RegimeChoiceDto {
  @ApiProperty({ example: 'gdpr-art33', description: 'A regime id from GET /regimes' })
  @IsString()
  @Length(1, 64)
  id!: string;

  @ApiPropertyOptional({ example: 'death', description: "One of the regime's variants; its default when absent" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  variant?: string;

  @IsOptionalInstant(
    'awareAt',
    '2026-11-23T10:00:00Z',
    "When the organisation became aware for this regime: its clocks counted from awareness count from it. Never before detection; the incident's awareAt when absent.",
  )
  awareAt?: string;
}

export class OpenIncidentDto {
  @ApiProperty({ format: 'uuid', description: 'The AI system involved' })
  @IsUUID('all', { message: 'systemId must be a UUID' })
  systemId!: string;

  @RequiredText(300, 'What happened, in a line')
  title!: string;

  @RequiredText(20000, 'What happened, who is affected, what is known so far')
  description!: string;

  @ApiProperty({ enum: INCIDENT_SEVERITIES })
  @IsIn(INCIDENT_SEVERITIES)
  severity!: IncidentSeverity;

  @IsInstant(
    'detectedAt',
    '2026-11-23T08:15:00Z',
    'When the incident was detected (awareness): every clock counts from it. Past, never future.',
  )
  detectedAt!: string;

  @IsOptionalInstant(
    'awareAt',
    '2026-11-23T10:00:00Z',
    'When the organisation became aware of it, if later than detection: the regulatory clocks counted from awareness count from it. Never before detection, never future.',
  )
  awareAt?: string;

  @ApiProperty({ format: 'uuid', description: 'The incident responder: owns every report' })
  @IsUUID('all', { message: 'responderId must be a UUID' })
  responderId!: string;

  @ApiPropertyOptional({
    type: [RegimeChoiceDto],
    maxItems: 10,
    description: 'Regulatory regimes whose clocks run beside the 72-hour report',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => RegimeChoiceDto)
  regimes?: RegimeChoiceDto[];
}

export class ListIncidentsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  state?: 'open' | 'closed';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: a report is overdue, or went in late' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: "breached must be 'true' or 'false'" })
  breached?: 'true' | 'false';

  @ApiPropertyOptional({ enum: INCIDENT_SEVERITIES })
  @IsOptional()
  @IsIn(INCIDENT_SEVERITIES)
  severity?: IncidentSeverity;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'systemId must be a UUID' })
  systemId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'responderId must be a UUID' })
  responderId?: string;
}

export class AcknowledgeIncidentDto {
  @OptionalText(2000, 'A note for the audit trail')
  note?: string;
}

export class ChangeSeverityDto {
  @ApiProperty({ enum: INCIDENT_SEVERITIES })
  @IsIn(INCIDENT_SEVERITIES)
  severity!: IncidentSeverity;

  @RequiredText(2000, 'Why, for the audit trail')
  reason!: string;
}

export class RecordContainmentDto {
  @RequiredText(10000, 'How the incident was contained')
  summary!: string;
}

export class CloseIncidentDto {
  @RequiredText(10000, 'How the incident ended; lessons learned')
  summary!: string;
}

export class SubmitIncidentReportDto extends SubmitTaskDto {
  @ApiProperty({ enum: ['draft', 'final'], description: 'The draft is due 72 hours after detection; the final report follows it' })
  @IsIn(['draft', 'final'])
  stage!: 'draft' | 'final';
}

export class SubmitRegulatoryReportDto extends SubmitTaskDto {
  @ApiProperty({ example: 'nis2-art23' })
  @IsString()
  @Length(1, 64)
  regimeId!: string;

  @ApiProperty({ example: 'early-warning', description: "The report's key within the regime (see GET /regimes)" })
  @IsString()
  @Length(1, 64)
  report!: string;
}

/** A nonconformity raised from this incident: its source is the incident. */
export class RaiseNonconformityDto extends NonconformityDetailsDto {}

export class ClockView {
  @ApiProperty({ example: 'draft', description: 'draft, final, or <regimeId>:<report>' }) key!: string;
  @ApiProperty({ enum: ['incident-report', 'regulatory-report'] }) kind!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'The report task (GET /tasks/:id)' }) taskId!: string;
  @ApiPropertyOptional() regime?: { id: string; variant: string; name: string; authority: string };
  @ApiProperty({ enum: ['waiting', 'open', 'in'] }) state!: string;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt!: string;
  @ApiProperty({ enum: CLOCK_STATES }) clockState!: ClockState;
  @ApiProperty() breached!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'ms to the deadline (negative once past); null once the report is in' })
  timeLeftMs!: number | null;
  @ApiProperty({ description: 'ms the report is or was late' }) lateByMs!: number;
  @ApiPropertyOptional() after?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) openedAt?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) submittedAt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) submittedBy?: string;
  @ApiPropertyOptional() summary?: string;
}

export class IncidentView {
  @ApiProperty({ format: 'uuid' }) incidentId!: string;
  @ApiProperty() system!: { id: string; name: string };
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: INCIDENT_SEVERITIES }) severity!: string;
  @ApiProperty({ type: String, format: 'date-time' }) detectedAt!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) awareAt?: string;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'uuid' }) openedBy!: string;
  @ApiProperty({ format: 'uuid' }) responderId!: string;
  @ApiProperty({ type: [RegimeChoiceDto] }) regimes!: RegimeChoiceDto[];
  @ApiProperty({ enum: ['open', 'closed'] }) state!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) acknowledgedAt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) acknowledgedBy?: string;
  @ApiPropertyOptional() containment?: { at: string; by: string; summary: string };
  @ApiProperty() severityChanges!: Array<{ at: string; by: string; from: string; to: string; reason: string }>;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) closedAt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) closedBy?: string;
  @ApiPropertyOptional() closingSummary?: string;
  @ApiProperty({ type: [ClockView], description: 'Every report the incident owes, with its clock read now' }) clocks!: ClockView[];
  @ApiPropertyOptional({ enum: CLOCK_STATES, description: 'The worst of the clocks' }) clockState?: ClockState;
  @ApiProperty({ description: 'A report is overdue, or went in late' }) breached!: boolean;
  @ApiProperty({ type: [String], description: 'Nonconformities raised from this incident' }) nonconformityIds!: string[];
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class IncidentPage {
  @ApiProperty({ type: [IncidentView] }) items!: IncidentView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

/** A regime found to apply after opening; its clocks count from detection. */
export class AddRegimeDto extends RegimeChoiceDto {}

/** A regime's variant found late: its reports' deadlines are recomputed from the same awareness. */
export class ChangeRegimeVariantDto {
  @ApiProperty({ example: 'eu-ai-act-art73', description: 'A regime that applies to the incident' })
  @IsString()
  @Length(1, 64)
  id!: string;

  @ApiProperty({ example: 'death', description: "The regime's new variant (see GET /regimes)" })
  @IsString()
  @Length(1, 64)
  variant!: string;

  @RequiredText(2000, 'Why, for the audit trail')
  reason!: string;
}
