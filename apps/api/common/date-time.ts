import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';

/**
 * Every instant the API reads, in a body or a query, is an RFC 3339 date-time (seconds and a
 * zone, `2026-11-30T17:00:00Z`, `2026-11-30T18:00:00.5+01:00`): what `format: date-time`
 * promises generated clients. A date alone is refused: deadlines are instants.
 */
const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/**
 * Exactly what RFC3339_DATE_TIME and the strict ISO 8601 check accept together, for the OpenAPI
 * document: years from 1000 (the strict check reads shorter years wrongly), real calendar days
 * (29 February in leap years), hours 00-23, offsets up to 23:59.
 */
const SCHEMA_DATE =
  '^([1-9]\\d{3}-(0[1-9]|1[0-2])-(0[1-9]|1\\d|2[0-8])|[1-9]\\d{3}-(0[13-9]|1[0-2])-(29|30)|[1-9]\\d{3}-(0[13578]|1[02])-31|' +
  '([1-9]\\d(0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29)';
const RFC3339_SCHEMA_PATTERN = SCHEMA_DATE + 'T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';
const WHAT = 'an RFC 3339 date-time (seconds and a zone)';

/** A required instant field, e.g. `@IsInstant('newDueAt', '2026-11-30T17:00:00Z')`. */
export function IsInstant(field: string, example: string, description?: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', pattern: RFC3339_SCHEMA_PATTERN, example, ...(description ? { description } : {}) }),
    IsString(),
    Matches(RFC3339_DATE_TIME, { message: `${field} must be ${WHAT}, e.g. ${example}` }),
    IsISO8601({ strict: true }, { message: `${field} must be a valid ISO 8601 date-time` }),
  );
}

/** An optional instant field, in a body or a query: absent or null means none; a malformed value is refused. */
export function IsOptionalInstant(field: string, example: string, description?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      format: 'date-time',
      pattern: RFC3339_SCHEMA_PATTERN,
      nullable: true,
      example,
      ...(description ? { description } : {}),
    }),
    IsOptional(),
    IsString(),
    Matches(RFC3339_DATE_TIME, { message: `${field} must be ${WHAT}, e.g. ${example}` }),
    IsISO8601({ strict: true }, { message: `${field} must be a valid ISO 8601 date-time` }),
  );
}
