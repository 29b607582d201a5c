import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateIf,
} from 'class-validator';
import { IMPLEMENTATION_STATUSES, ImplementationStatus, SOA_APPLICABILITY, SOA_DECISIONS } from '../../../libs/domain';
import { IsOptionalInstant } from '../common/date-time';
import { MinProperties } from '../common/openapi-contract';
import { trim } from '../common/text';

export const SOA_FORMATS = ['json', 'csv'] as const;

/** Text PostgreSQL can store: no NUL (U+0000). */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NO_NUL = /^[^\u0000]*$/;
/** A link or reference: one line, no control characters. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const ONE_LINE = /^[^\u0000-\u001f\u007f]+$/;

export class SoaQueryDto {
  @IsOptionalInstant('asOf', '2026-10-01T00:00:00Z', 'The SoA as it stood at this instant (default: now)')
  asOf?: string;

  @ApiPropertyOptional({ enum: SOA_FORMATS, default: 'json', description: '`csv` answers text/csv, one line per control' })
  @IsOptional()
  @IsIn(SOA_FORMATS)
  format?: (typeof SOA_FORMATS)[number];
}

/** A change to one control's line; fields left out stay as they are, null clears one. */
@MinProperties(1)
export class UpdateSoaEntryDto {
  @ApiPropertyOptional({ enum: SOA_DECISIONS })
  @IsOptional()
  @IsIn(SOA_DECISIONS)
  applicability?: (typeof SOA_DECISIONS)[number];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 5000,
    description: 'Why the control is excluded (required to exclude it)',
  })
  @Transform(trim)
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @Length(1, 5000)
  @Matches(NO_NUL, { message: 'justification must not contain a NUL character' })
  justification?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'The person accountable for the control' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID('all', { message: 'ownerId must be a UUID' })
  ownerId?: string | null;

  @ApiPropertyOptional({ enum: IMPLEMENTATION_STATUSES })
  @IsOptional()
  @IsIn(IMPLEMENTATION_STATUSES)
  implementationStatus?: ImplementationStatus;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    uniqueItems: true,
    description: 'Links or references to what shows the control works (replaces the list)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 2000, { each: true })
  @Matches(ONE_LINE, { each: true, message: 'each evidence item must be a link or reference without control characters' })
  evidence?: string[];

  @ApiPropertyOptional({ minimum: 0, description: 'The version you read: a 409 if the line changed since' })
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;
}

export class SoaEntryView {
  @ApiProperty({ example: 'A.6.2.4' }) controlId!: string;
  @ApiProperty({ example: 'AI system verification and validation' }) title!: string;
  @ApiProperty({ example: 'A.6' }) objectiveId!: string;
  @ApiProperty({ example: 'AI system life cycle' }) objectiveTitle!: string;
  @ApiProperty({ enum: SOA_APPLICABILITY }) applicability!: string;
  @ApiProperty({ type: String, nullable: true }) justification!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerId!: string | null;
  @ApiProperty({ enum: IMPLEMENTATION_STATUSES }) implementationStatus!: string;
  @ApiProperty({ type: [String] }) evidence!: string[];
  @ApiProperty({ description: '0 until the line is first decided' }) version!: number;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) updatedAt?: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) updatedBy!: string | null;
}

class SoaSummaryView {
  @ApiProperty() controls!: number;
  @ApiProperty() applicable!: number;
  @ApiProperty() excluded!: number;
  @ApiProperty() undecided!: number;
  @ApiProperty({ description: 'Applicable controls implemented' }) implemented!: number;
}

export class SoaView {
  @ApiProperty({ type: String, format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: SoaSummaryView }) summary!: SoaSummaryView;
  @ApiProperty({ type: [SoaEntryView] }) controls!: SoaEntryView[];
}
