import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';

/** An ISO 8601 date-time with a zone (a date alone is refused: deadlines are instants). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A required instant field, e.g. `@IsInstant('newDueAt', '2026-11-30T17:00:00Z')`. */
export function IsInstant(field: string, example: string, description?: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', example, ...(description ? { description } : {}) }),
    IsString(),
    Matches(DATE_TIME, { message: `${field} must be an ISO 8601 date-time with a zone, e.g. ${example}` }),
    IsISO8601({ strict: true }, { message: `${field} must be a valid ISO 8601 date-time` }),
  );
}

/** An optional instant field: absent or null means none; a malformed value is refused. */
export function IsOptionalInstant(field: string, example: string, description?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, example, ...(description ? { description } : {}) }),
    IsOptional(),
    IsString(),
    Matches(DATE_TIME, { message: `${field} must be an ISO 8601 date-time with a zone, e.g. ${example}` }),
    IsISO8601({ strict: true }, { message: `${field} must be a valid ISO 8601 date-time` }),
  );
}
