import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsOptionalInstant } from '../common/date-time';
import { PaginationQueryDto } from '../common/pagination.dto';

/** Stream ids are made of ids, kinds and periods (`system:<uuid>`, `high-risk-review:<uuid>:2026-Q4`). */
const STREAM_ID = /^[A-Za-z0-9:._#-]+$/;

export class AuditTrailQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description:
      'One stream, exactly: `person:<id>`, `system:<id>`, `cadence:<cadence id>`, `incident:<id>`, `nonconformity:<id>` or a task id',
    example: 'system:9b2f4c1e-2f7d-4a55-8a8e-1c1f3d5e7a90',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  @Matches(STREAM_ID, { message: 'stream must be a stream id (letters, digits and : . _ # -)' })
  stream?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Everything about one person, system, incident or nonconformity: its own stream and the streams of work about it',
  })
  @IsOptional()
  @IsUUID('all', { message: 'subject must be a UUID' })
  subject?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Events a person caused' })
  @IsOptional()
  @IsUUID('all', { message: 'actor must be a UUID' })
  actor?: string;

  @IsOptionalInstant('from', '2026-10-01T00:00:00Z', 'Events that occurred at or after this instant')
  from?: string;

  @IsOptionalInstant('to', '2027-01-01T00:00:00Z', 'Events that occurred before this instant (not before `from`)')
  to?: string;
}

export class AuditEventView {
  @ApiProperty({ description: 'Position in the chain', example: '1042' }) seq!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() event!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The person who caused it; null for the system itself' })
  actorId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
  @ApiProperty({ description: 'The previous row hash (SHA-256, hex)' }) prevHash!: string;
  @ApiProperty({ description: 'SHA-256 over this row content and prevHash' }) hash!: string;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventView] }) items!: AuditEventView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

class BrokenRowView {
  @ApiProperty() seq!: string;
  @ApiProperty() reason!: string;
}

export class AuditChainView {
  @ApiProperty({ description: 'True when every row matches its hash and the hash of the row before it' }) intact!: boolean;
  @ApiProperty({ description: 'Rows verified (up to the first broken one)' }) rows!: number;
  @ApiProperty({ description: 'The hash of the last verified row: record it to detect a truncated tail later' }) headHash!: string;
  @ApiPropertyOptional({ type: BrokenRowView }) firstBroken?: BrokenRowView;
  @ApiProperty({ type: String, format: 'date-time' }) verifiedAt!: string;
}
