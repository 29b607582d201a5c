/**
 * The one error format of the API: `{ statusCode, error, message }` (+ `errors` for 400s
 * from validation). Database constraint violations become client errors with a clear message:
 * unique (23505) -> 409, foreign key (23503) -> 404 (a referenced row is missing) or 409 (the
 * row is still referenced), check / not-null / bad text (23514, 23502, 22P02, 22007, 22008, 22001) and text
 * PostgreSQL cannot store (a NUL character: 22021, 22P05) -> 400.
 * Temporal unreachable -> 503. Anything else -> 500 without internals (logged).
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'http';
import { QueryFailedError } from 'typeorm';
import { temporalHttpException } from './temporal-errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  [extra: string]: unknown;
}

/** Messages for named unique indexes of the committed schema. */
const UNIQUE_MESSAGES: Record<string, string> = {
  people_email_key: 'a person with this email already exists',
  ai_systems_name_key: 'an AI system with this name already exists',
  api_tokens_token_hash_key: 'this token is already registered',
};

/** Which column of which table refers to what, for FK messages. */
const FK_SUBJECTS: Record<string, string> = {
  manager_id: 'manager',
  owner_id: 'owner',
  person_id: 'person',
};

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  column?: string;
  table?: string;
  message?: string;
}

function body(statusCode: number, message: string | string[], extra: Record<string, unknown> = {}): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra };
}

/** Maps a PostgreSQL error to a client error, or undefined when it is a server fault. */
export function mapDatabaseError(err: PgError): ErrorBody | undefined {
  switch (err.code) {
    case '23505': {
      const msg = (err.constraint && UNIQUE_MESSAGES[err.constraint]) || `duplicate value${err.detail ? `: ${err.detail}` : ''}`;
      return body(409, msg);
    }
    case '23503': {
      // "Key (owner_id)=(...) is not present in table "people"." vs "... is still referenced from table ..."
      const m = /Key \((\w+)\)=\(([^)]*)\)/.exec(err.detail ?? '');
      if (/is not present/.test(err.detail ?? '')) {
        const subject = (m && FK_SUBJECTS[m[1]]) || m?.[1] || 'referenced row';
        return body(404, `${subject} ${m?.[2] ?? ''} not found`.replace(/\s+/g, ' ').trim());
      }
      return body(409, `still referenced${err.table ? ` from ${err.table}` : ''}${err.detail ? `: ${err.detail}` : ''}`);
    }
    case '23514':
      return body(400, `value refused by the rule ${err.constraint ?? ''}`.trim());
    case '23502':
      return body(400, `${err.column ?? 'a required field'} must not be null`);
    case '22P02':
    case '22007':
    case '22008':
    case '22001':
      return body(400, `invalid value: ${err.message ?? ''}`.trim());
    case '22021':
    case '22P05':
      return body(400, 'invalid text: a value holds a character that cannot be stored (such as NUL, U+0000)');
    default:
      return undefined;
  }
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse();
    const req = host.switchToHttp().getRequest();
    const { status, payload } = this.toResponse(exception, req);
    if (status === 503 || status === 502) {
      this.logger.warn(`${req?.method} ${req?.url} -> ${status}: ${JSON.stringify(payload.message)}`);
    } else if (status >= 500) {
      this.logger.error(
        `${req?.method} ${req?.url} -> ${status}: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
      );
    }
    if (res.headersSent) return;
    res.status(status).json(payload);
  }

  toResponse(exception: unknown, _req?: unknown): { status: number; payload: ErrorBody } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const r = exception.getResponse();
      if (typeof r === 'string') return { status, payload: body(status, r) };
      const obj = r as Record<string, unknown>;
      const message = (obj.message as string | string[] | undefined) ?? exception.message;
      return { status, payload: { ...obj, statusCode: status, error: (obj.error as string) ?? STATUS_CODES[status] ?? 'Error', message } };
    }
    // body-parser (malformed JSON, too large) errors carry a status.
    const bp = exception as { status?: number; statusCode?: number; type?: string; message?: string };
    if (bp && typeof bp === 'object' && typeof bp.type === 'string' && typeof (bp.status ?? bp.statusCode) === 'number') {
      const status = (bp.status ?? bp.statusCode) as number;
      if (status >= 400 && status < 500) return { status, payload: body(status, bp.message ?? 'Bad Request') };
    }
    if (exception instanceof QueryFailedError) {
      const mapped = mapDatabaseError(exception.driverError as PgError);
      if (mapped) return { status: mapped.statusCode, payload: mapped };
    } else if (exception && typeof (exception as PgError).code === 'string' && /^\d{2}[0-9A-Z]{3}$/.test((exception as PgError).code!)) {
      const mapped = mapDatabaseError(exception as PgError);
      if (mapped) return { status: mapped.statusCode, payload: mapped };
    }
    const temporal = temporalHttpException(exception, 'nothing was changed');
    if (temporal) return this.toResponse(temporal);
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, payload: body(500, 'Internal server error') };
  }
}
