import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID, ValidateIf } from 'class-validator';
import { MinProperties } from '../common/openapi-contract';

/** A clause's new owner; null clears it. */
@MinProperties(1)
export class UpdateAimsClauseDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The person accountable for the clause' })
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'ownerId must be a UUID or null' })
  ownerId!: string | null;
}

export class AimsClauseView {
  @ApiProperty({ example: '9' }) clause!: string;
  @ApiProperty({ example: 'Performance evaluation' }) title!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerId!: string | null;
  @ApiProperty({ description: '0 until an owner is first set' }) version!: number;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) updatedAt?: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) updatedBy!: string | null;
}
