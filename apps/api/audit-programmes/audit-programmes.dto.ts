import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { AUDIT_PROGRAMME_ID_PATTERN } from '../../../libs/contracts';
import { AUDIT_FINDING_GRADES, AuditFindingGrade, CLAUSE_ID_PATTERN, CONTROL_ID_PATTERN } from '../../../libs/domain';
import { IsInstant } from '../common/date-time';
import { FormSubmissionView } from '../forms/forms.dto';
import { PaginationQueryDto } from '../common/pagination.dto';
import { RequiredText } from '../common/text';

/** A criterion's shape: a clause `4`-`10` or an Annex A control id such as `A.6.2.4`. */
export const CRITERION_ID_PATTERN = `^(?:${CLAUSE_ID_PATTERN.slice(1, -1)}|${CONTROL_ID_PATTERN.slice(1, -1)})$`;
const CRITERION_ID = new RegExp(CRITERION_ID_PATTERN);
export const PROGRAMME_STATES = ['planning', 'auditing', 'reporting', 'closed'] as const;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NO_NUL = /^[^\u0000]*$/;
const NO_NUL_MESSAGE = { message: 'summary must not contain a NUL character (U+0000)' };
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const ONE_LINE = /^[^\u0000-\u001f\u007f]+$/;

export { AUDIT_PROGRAMME_ID_PATTERN };

export class ListAuditProgrammesQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: PROGRAMME_STATES })
  @IsOptional()
  @IsIn(PROGRAMME_STATES)
  state?: (typeof PROGRAMME_STATES)[number];
}

export class PlannedAuditDto {
  @ApiProperty({ format: 'uuid', description: 'The auditor: never the owner of a criterion they audit, nor its evidence’s submitter' })
  @IsUUID('all', { message: 'auditorId must be a UUID' })
  auditorId!: string;

  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 60,
    uniqueItems: true,
    example: ['4', '5', 'A.6.2.4'],
    description: 'Clauses (4-10) and Annex A controls this audit covers',
    items: { type: 'string', pattern: CRITERION_ID_PATTERN },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(CRITERION_ID, { each: true, message: 'each criterion must be a clause 4-10 or an Annex A control id such as A.6.2.4' })
  criteria!: string[];

  @IsInstant('dueAt', '2026-10-15T00:00:00Z', 'When the audit’s findings are due (future)')
  dueAt!: string;
}

export class PlanProgrammeDto {
  @ApiProperty({ type: [PlannedAuditDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlannedAuditDto)
  audits!: PlannedAuditDto[];
}

export class FindingDto {
  @ApiProperty({ example: 'A.6.2.4', pattern: CRITERION_ID_PATTERN })
  @IsString()
  @Matches(CRITERION_ID, { message: 'criterionId must be a clause 4-10 or an Annex A control id such as A.6.2.4' })
  criterionId!: string;

  @ApiProperty({ enum: AUDIT_FINDING_GRADES })
  @IsIn(AUDIT_FINDING_GRADES)
  grade!: AuditFindingGrade;

  @RequiredText(10000, 'What the audit found, and against what')
  @Matches(NO_NUL, NO_NUL_MESSAGE)
  summary!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 50, uniqueItems: true, description: 'Links or references to the evidence' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 2000, { each: true })
  @Matches(ONE_LINE, { each: true, message: 'each evidence item must be a link or reference without control characters' })
  evidenceUrls?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'The answers to the audit-finding form (GET /forms/audit-finding), by field name: required while that form exists, each problem a 400 on findings.<i>.answers.<field>',
    example: { methods: ['document-review'], evidence: 'Release records 2026-03 to 2026-05' },
  })
  @IsOptional()
  @IsObject({ message: 'answers must be an object of the answers to the audit-finding form, by field name' })
  answers?: Record<string, unknown>;
}

export class RecordFindingsDto {
  @ApiProperty({ type: [FindingDto], minItems: 1, maxItems: 60, description: 'Exactly one finding per criterion of the audit' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => FindingDto)
  findings!: FindingDto[];
}

export class AcknowledgeReportDto {
  @RequiredText(10000, 'What top management take from the report: submitting it is the acknowledgement')
  @Matches(NO_NUL, NO_NUL_MESSAGE)
  summary!: string;
}

// ---- Views ----------------------------------------------------------------------------

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class AuditCriterionView {
  @ApiProperty({ example: 'A.6.2.4' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['clause', 'control'] }) type!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerId!: string | null;
}

export class AuditView {
  @ApiProperty() n!: number;
  @ApiProperty() taskId!: string;
  @ApiProperty({ format: 'uuid' }) auditorId!: string;
  @ApiProperty({ type: [String] }) criteria!: string[];
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ description: "The audit task's state (open, completed, cancelled)" }) state!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ description: '0 owner, 1 manager, 2 governance lead, 3 top management' }) escalationLevel!: number;
  @ApiPropertyOptional({ format: 'date-time' }) findingsAt?: string;
}

export class AuditFindingView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() audit!: number;
  @ApiProperty() auditTaskId!: string;
  @ApiProperty() criterionId!: string;
  @ApiProperty({ enum: AUDIT_FINDING_GRADES }) grade!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [String] }) evidenceUrls!: string[];
  @ApiPropertyOptional({ type: FormSubmissionView, description: 'The answers to the audit-finding form, with its version' })
  submission?: FormSubmissionView;
  @ApiPropertyOptional({ format: 'uuid' }) nonconformityId?: string;
  @ApiProperty({ format: 'uuid' }) recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class AuditCorrectiveActionView {
  @ApiProperty({ format: 'uuid' }) nonconformityId!: string;
  @ApiProperty({ format: 'uuid' }) findingId!: string;
  @ApiProperty() criterionId!: string;
  @ApiProperty({ enum: ['minor', 'major'] }) grade!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) state!: string;
  @ApiProperty({ description: 'containment, root-cause, action, verification-wait, effectiveness-check or closed' }) step!: string;
  @ApiProperty({ format: 'uuid' }) actionOwnerId!: string;
  @ApiProperty({ format: 'uuid' }) verifierId!: string;
  @ApiPropertyOptional({ format: 'date-time' }) currentDueAt?: string;
}

export class AuditCoverageView {
  @ApiProperty({ description: 'Audit criteria of the programme: clauses 4-10 and the applicable Annex A controls at planning' })
  criteria!: number;
  @ApiProperty({ description: 'Criteria with a recorded finding' }) audited!: number;
  @ApiProperty({ description: 'audited / criteria, in percent (one decimal)' }) percent!: number;
  @ApiProperty({ type: [String], description: 'Criteria without a finding yet' }) notAudited!: string[];
}

export class AuditReportView {
  @ApiProperty() taskId!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty() acknowledged!: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) acknowledgedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) acknowledgedAt?: string;
  @ApiPropertyOptional() summary?: string;
}

export class AuditProgrammeSummaryView {
  @ApiProperty({ example: 'internal-audit:2026', pattern: AUDIT_PROGRAMME_ID_PATTERN }) programmeId!: string;
  @ApiProperty({ example: '2026' }) period!: string;
  @ApiProperty({ enum: PROGRAMME_STATES }) state!: string;
  @ApiProperty({ format: 'uuid', description: 'The AIMS owner, who plans it' }) ownerId!: string;
  @ApiProperty() planTaskId!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) plannedAt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) plannedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiProperty({ type: AuditCoverageView }) coverage!: AuditCoverageView;
  @ApiProperty({ ...COUNTS, description: 'Audits by their task state' }) auditsByState!: Record<string, number>;
  @ApiProperty({ ...COUNTS, description: 'Findings by grade (every grade)' }) findingsByGrade!: Record<string, number>;
  @ApiProperty({ description: 'Corrective actions raised by its findings still open' }) openCorrectiveActions!: number;
  @ApiProperty() version!: number;
}

export class AuditProgrammeView extends AuditProgrammeSummaryView {
  @ApiProperty({ type: [AuditCriterionView] }) criteria!: AuditCriterionView[];
  @ApiProperty({ type: [AuditView] }) audits!: AuditView[];
  @ApiProperty({ type: [AuditFindingView] }) findings!: AuditFindingView[];
  @ApiProperty({ type: [AuditCorrectiveActionView], description: 'Every corrective action its nonconformities raised, with its state' })
  correctiveActions!: AuditCorrectiveActionView[];
  @ApiProperty({ type: AuditReportView, nullable: true }) report!: AuditReportView | null;
}

export class AuditProgrammePage {
  @ApiProperty({ type: [AuditProgrammeSummaryView] }) items!: AuditProgrammeSummaryView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
