/**
 * One 400 format for every refused input:
 *   { statusCode: 400, error: 'Bad Request', message: 'Validation failed',
 *     errors: [{ field: 'provider.name', messages: ['provider.name must be a string'] }] }
 * Nested fields use dotted paths (array elements by index: `items.0.name`); unknown fields
 * are named too ("property foo should not exist" -> field 'foo'); a body that is not an
 * object at all is reported on field 'body'.
 */
import { ArgumentMetadata, BadRequestException, ParseUUIDPipe, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

export interface FieldError {
  field: string;
  messages: string[];
}

export interface ValidationErrorBody {
  statusCode: 400;
  error: 'Bad Request';
  message: 'Validation failed';
  errors: FieldError[];
}

export class ValidationFailedException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super({ statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors } satisfies ValidationErrorBody);
  }
}

/** A 400 on one field, in the validation format (for rules checked in services). */
export function fieldError(field: string, ...messages: string[]): ValidationFailedException {
  return new ValidationFailedException([{ field, messages }]);
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = e.property ? (parent ? `${parent}.${e.property}` : e.property) : parent || 'body';
    const constraints = e.constraints ?? {};
    let messages = Object.values(constraints)
      .reverse()
      .map((m) => prefixNested(m, e.property, field));
    if (messages.length && e.value === undefined && !constraints.whitelistValidation) {
      // A missing field: say so, and keep the list of allowed values when there is one.
      messages = [`${field} is required`, ...(constraints.isIn ? [prefixNested(constraints.isIn, e.property, field)] : [])];
    }
    if (messages.length) out.push({ field, messages });
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** class-validator names the property only by its own name; say the full path for nested ones. */
function prefixNested(message: string, property: string, field: string): string {
  if (!property || field === property) return message;
  return message.startsWith(`${property} `) ? `${field}${message.slice(property.length)}` : message;
}

export function validationExceptionFactory(errors: ValidationError[]): ValidationFailedException {
  const flat = flattenValidationErrors(errors);
  return new ValidationFailedException(flat.length ? flat : [{ field: 'body', messages: ['invalid request'] }]);
}

/** The global pipe; a JSON body that is not an object (an array, a string) is refused on field 'body'. */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      // `value` is only read to tell a missing field from a wrong one; it never reaches the response.
      validationError: { target: false, value: true },
      exceptionFactory: validationExceptionFactory,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && ![String, Boolean, Number, Array, Object].includes(metadata.metatype as never);
    if (metadata.type === 'body' && isDto && value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      throw fieldError('body', 'the request body must be a JSON object');
    }
    if (metadata.type === 'body' || metadata.type === 'query') {
      const withNul = fieldsWithNul(value);
      if (withNul.length) throw new ValidationFailedException(withNul.map((field) => ({ field, messages: [NUL_MESSAGE(field)] })));
    }
    return super.transform(value, metadata);
  }
}

const NUL_MESSAGE = (field: string) => `${field} must not contain a NUL character (U+0000)`;

/**
 * The fields (dotted paths, as the validation errors name them) whose string value, or key,
 * holds NUL: PostgreSQL cannot store it in text, so every route refuses it up front, by field,
 * rather than failing in the middle of a write.
 */
export function fieldsWithNul(value: unknown, parent = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [parent || 'body'] : [];
  if (!value || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const field = parent ? `${parent}.${key}` : key;
    if (key.includes('\u0000')) out.push(field);
    else out.push(...fieldsWithNul(child, field));
  }
  return out;
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe();
}

/** `@Param('id', UuidPipe('id'))`: a malformed id is a 400 in the validation format. */
export function UuidPipe(field = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => fieldError(field, `${field} must be a UUID`),
  });
}
