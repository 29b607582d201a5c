import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';

/** An ISO 8601 date-time with a zone (a date alone is refused: deadlines are instants). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/**
 * Exactly what DATE_TIME and the strict ISO 8601 check accept together, for the OpenAPI
 * document: years from 1000 (the strict check reads shorter years wrongly), real calendar days (29 February in leap years), hours 00-23 (or 24:00), offsets up to 23:59.
 */
const SCHEMA_DATE =
  '^([1-9]\\d{3}-(0[1-9]|1[0-2])-(0[1-9]|1\\d|2[0-8])|[1-9]\\d{3}-(0[13-9]|1[0-2])-(29|30)|[1-9]\\d{3}-(0[13578]|1[02])-31|' +
  '([1-9]\\d(0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29)';
const DATE_TIME_SCHEMA_PATTERN =
  SCHEMA_DATE + 'T(([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?|24:00)(Z|[+-]([01]\\d|2[0-3]):?[0-5]\\d)$';

/** A required instant field, e.g. `@IsInstant('newDueAt', '2026-11-30T17:00:00Z')`. */
export function IsInstant(field: string, example: string, description?: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', pattern: DATE_TIME_SCHEMA_PATTERN, example, ...(description ? { description } : {}) }),
    IsString(),
    Matches(DATE_TIME, { message: `${field} must be an ISO 8601 date-time with a zone, e.g. ${example}` }),
    IsISO8601({ strict: true }, { message: `${field} must be a valid ISO 8601 date-time` }),
  );
}

/** An optional instant field: absent or null means none; a malformed value is refused. */
export function IsOptionalInstant(field: string, example: string, description?: string): PropertyDecorator {
  return optionalInstant(field, example, description, DATE_TIME, DATE_TIME_SCHEMA_PATTERN, 'an ISO 8601 date-time with a zone');
}

/**
 * An optional instant in a query string, as RFC 3339 writes it (seconds required), which is
 * what `format: date-time` promises to generated clients. Bodies keep accepting minutes alone.
 */
export function IsOptionalQueryInstant(field: string, example: string, description?: string): PropertyDecorator {
  return optionalInstant(
    field,
    example,
    description,
    RFC3339_DATE_TIME,
    RFC3339_SCHEMA_PATTERN,
    'an RFC 3339 date-time (seconds and a zone)',
  );
}

const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const RFC3339_SCHEMA_PATTERN = SCHEMA_DATE + 'T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';

function optionalInstant(
  field: string,
  example: string,
  description: string | undefined,
  wire: RegExp,
  schemaPattern: string,
  what: string,
): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      format: 'date-time',
      pattern: schemaPattern,
      nullable: true,
      example,
      ...(description ? { description } : {}),
    }),
    IsOptional(),
    IsString(),
    Matches(wire, { message: `${field} must be ${what}, e.g. ${example}` }),
    IsISO8601({ strict: true }, { message: `${field} must be a valid ISO 8601 date-time` }),
  );
}
