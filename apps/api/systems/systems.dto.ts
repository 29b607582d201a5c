import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LIFECYCLE_STAGES, LifecycleStage, RISK_TIERS, RiskTier, RECERTIFICATION_STATES, RecertificationState } from '../../../libs/domain';
import { COMPLIANCE_STATUSES, ComplianceStatus, PROVIDER_TYPES, ProviderType } from '../../../libs/persistence';
import { PaginationQueryDto } from '../common/pagination.dto';
import { MinProperties } from '../common/openapi-contract';
import { RequiredText } from '../common/text';

export const LIMITS = {
  name: 200,
  description: 5000,
  purpose: 5000,
  providerName: 200,
  deployer: 200,
  businessUnit: 200,
  listItems: 100,
  listItem: 500,
} as const;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value;

export class ProviderDto {
  @ApiProperty({ enum: PROVIDER_TYPES, example: 'third_party' })
  @IsIn(PROVIDER_TYPES)
  type!: ProviderType;

  @ApiPropertyOptional({ maxLength: LIMITS.providerName, example: 'Acme AI Inc.', description: 'Required when type is third_party' })
  @ValidateIf((o: ProviderDto) => o.type === 'third_party' || (o.name !== undefined && o.name !== null))
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'name is required when the provider is a third party' })
  @MaxLength(LIMITS.providerName)
  name?: string;
}

/** A list of short texts (data inputs, outputs, oversight measures). */
function TextList(): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    for (const d of [
      ApiProperty({ type: [String], maxItems: LIMITS.listItems, example: [] }),
      Transform(trimEach),
      IsArray(),
      ArrayMaxSize(LIMITS.listItems),
      IsString({ each: true }),
      IsNotEmpty({ each: true }),
      MaxLength(LIMITS.listItem, { each: true }),
    ]) {
      d(target, key);
    }
  };
}

export class CreateSystemDto {
  @ApiProperty({ maxLength: LIMITS.name, example: 'Credit scoring model', description: 'Unique, case-insensitively' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @ApiProperty({ maxLength: LIMITS.description })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.description)
  description!: string;

  @ApiProperty({ maxLength: LIMITS.purpose, description: 'Intended purpose and context of use' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.purpose)
  purpose!: string;

  @ApiProperty({ type: ProviderDto, description: 'Developer / provider: internal or a named third party' })
  @IsDefined()
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ProviderDto)
  provider!: ProviderDto;

  @ApiProperty({ maxLength: LIMITS.deployer, description: 'Deployer / operator' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.deployer)
  deployer!: string;

  @ApiProperty({ format: 'uuid', description: 'The accountable business owner (a person)' })
  @IsUUID('all', { message: 'ownerId must be a UUID' })
  ownerId!: string;

  @ApiPropertyOptional({ maxLength: LIMITS.businessUnit, nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(LIMITS.businessUnit)
  businessUnit?: string | null;

  @ApiProperty({ enum: RISK_TIERS, description: 'EU AI Act risk tier' })
  @IsIn(RISK_TIERS)
  riskTier!: RiskTier;

  @ApiProperty({ enum: LIFECYCLE_STAGES })
  @IsIn(LIFECYCLE_STAGES)
  lifecycleStage!: LifecycleStage;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-01-15', nullable: true })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'goLiveDate must be a date in the form YYYY-MM-DD' })
  @IsDateString({ strict: true, strictSeparator: true }, { message: 'goLiveDate must be a valid calendar date (YYYY-MM-DD)' })
  goLiveDate?: string | null;

  @TextList()
  dataInputs!: string[];

  @TextList()
  dataOutputs!: string[];

  @TextList()
  oversightMeasures!: string[];

  @ApiPropertyOptional({ enum: COMPLIANCE_STATUSES, default: 'not_assessed' })
  @IsOptional()
  @IsIn(COMPLIANCE_STATUSES)
  complianceStatus?: ComplianceStatus;
}

/**
 * Any subset of the fields, validated like on creation; `null` clears the optional ones
 * (businessUnit, goLiveDate) and is refused for the others. An empty body is refused.
 */
@MinProperties(1)
export class UpdateSystemDto extends PartialType(CreateSystemDto, { skipNullProperties: false }) {}

export class ListSystemsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: RISK_TIERS })
  @IsOptional()
  @IsIn(RISK_TIERS)
  riskTier?: RiskTier;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  lifecycleStage?: LifecycleStage;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'ownerId must be a UUID' })
  ownerId?: string;
}

export class ProviderView {
  @ApiProperty({ enum: PROVIDER_TYPES }) type!: ProviderType;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

export class SystemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty({ type: ProviderView }) provider!: ProviderView;
  @ApiProperty() deployer!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({ type: String, nullable: true }) businessUnit!: string | null;
  @ApiProperty({ enum: RISK_TIERS }) riskTier!: RiskTier;
  @ApiProperty({ enum: LIFECYCLE_STAGES }) lifecycleStage!: LifecycleStage;
  @ApiProperty({ type: String, format: 'date', nullable: true }) goLiveDate!: string | null;
  @ApiProperty({ type: [String] }) dataInputs!: string[];
  @ApiProperty({ type: [String] }) dataOutputs!: string[];
  @ApiProperty({ type: [String] }) oversightMeasures!: string[];
  @ApiProperty({ enum: COMPLIANCE_STATUSES }) complianceStatus!: ComplianceStatus;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

/** The system's inventory recertification (libs/domain recertificationState): confirmed by its owner in its latest round? */
export class SystemRecertificationView {
  @ApiProperty({
    enum: RECERTIFICATION_STATES,
    description: 'current (confirmed, or in no round yet), due (round open), stale (not confirmed by the due time)',
  })
  state!: RecertificationState;
  @ApiProperty({ type: String, nullable: true, example: '2026-07', description: 'The latest round the system was in' }) period!:
    string | null;
  @ApiProperty({ type: String, nullable: true, description: "Its owner's recertification task in that round" }) taskId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastConfirmedAt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) lastConfirmedBy!: string | null;
}

/** `GET /systems/:id`: the system and its recertification. */
export class SystemDetailView extends SystemView {
  @ApiProperty({ type: SystemRecertificationView }) recertification!: SystemRecertificationView;
}

export class SystemPage {
  @ApiProperty({ type: [SystemView] }) items!: SystemView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

/** Body of `POST /systems/:id/significant-change`: why the change is significant, for the AIIA and the audit trail. */
export class SignificantChangeDto {
  @RequiredText(2000, 'What changed and why it is significant (new purpose, model, data, context of use)')
  reason!: string;
}

/** The AIIA a significant change opened (or, for a repeat of the same change, the one it had opened). */
export class SignificantChangeView {
  @ApiProperty({ format: 'uuid' }) systemId!: string;
  @ApiProperty({ example: 'aiia:3f6c2a1e-0000-4000-8000-000000000000:significant-change-1' }) taskId!: string;
  @ApiProperty({ example: 'significant-change' }) period!: string;
  @ApiProperty({ type: String, format: 'date-time', description: '30 calendar days after the change was recorded, in AIMS_TIMEZONE' })
  dueAt!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'false when the same change (same reason, its AIIA still open) was already recorded' })
  created!: boolean;
}
