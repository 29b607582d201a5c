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
  @ApiProperty({ description: 'Position in the trail: grows along every stream (gaps are rolled-back appends)', example: '1042' })
  seq!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty({
    enum: ['global', 'stream'],
    description: "`stream`: a row of its stream's own hash chain; `global`: a row of the one chain the trail had before per-stream chains",
  })
  chain!: 'global' | 'stream';
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Position in its stream (1, 2, ...) for a `stream` row; null for a `global` one',
  })
  streamSeq!: number | null;
  @ApiProperty() event!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The person who caused it; null for the system itself' })
  actorId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
  @ApiProperty({
    description:
      'The hash of the previous row of the same stream (streamSeq - 1; 64 zeros at position 1); for a `global` row, of the previous row of the global chain',
  })
  prevHash!: string;
  @ApiProperty({
    description:
      'SHA-256 (hex) of the canonical JSON (keys sorted) of {prevHash, seq, streamId, streamSeq, idempotencyKey, event, actorId, occurredAt, detail}; ' +
      'for a `global` row, of {prevHash, streamId, idempotencyKey, event, actorId, occurredAt, detail}',
  })
  hash!: string;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventView] }) items!: AuditEventView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

class BrokenRowView {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The row that breaks its chain; null when none can be named (a stream whose rows are all gone)',
  })
  seq!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Its stream; null for the global chain of the rows written before per-stream chains',
  })
  streamId!: string | null;
  @ApiProperty() reason!: string;
}

export class AuditChainView {
  @ApiProperty({
    description:
      "True when every row matches its hash and the row before it in its chain, and every stream's last row matches its head (length and hash)",
  })
  intact!: boolean;
  @ApiProperty({ description: 'Rows verified (up to the first broken one): the global chain by seq, then each stream by position' })
  rows!: number;
  @ApiProperty({ description: 'Streams verified to their heads (up to the first broken one)' }) streams!: number;
  @ApiProperty({
    description:
      'SHA-256 (hex) of the head lines verified: `{"chain":"global","length":n,"headHash":h}` for the rows before per-stream chains (if any), then ' +
      '`{"chain":"stream","streamId":s,"length":n,"headHash":h}` per stream by stream id in byte order, each line JSON as written and ending in a newline ' +
      "(the audit package's audit-heads.jsonl). Record it: a cut-off tail, a removed stream or any later append changes it",
  })
  headHash!: string;
  @ApiPropertyOptional({ type: BrokenRowView }) firstBroken?: BrokenRowView;
  @ApiProperty({ type: String, format: 'date-time' }) verifiedAt!: string;
}
