/** Recognising "Temporal is unreachable" without depending on who made the call. */
import { HttpException, HttpStatus } from '@nestjs/common';

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
/** What a call cut off by `withDeadline` ends with: the API cancels nothing else. */
const CANCELLED = 1;

function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  for (let i = 0; cur && i < 8; i++) {
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

function isGrpcError(e: unknown): e is { code: number; details?: string; message: string } {
  return !!e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'number' && 'metadata' in (e as object);
}

/** True when the error (or its cause) says the Temporal service could not be reached in time. */
export function isTemporalUnavailable(err: unknown): boolean {
  return chain(err).some((e) => {
    if (isGrpcError(e)) return e.code === UNAVAILABLE || e.code === DEADLINE_EXCEEDED || e.code === CANCELLED;
    const name = (e as Error)?.name;
    const msg = String((e as Error)?.message ?? '');
    return name === 'TransportError' || /Failed to connect to Temporal|connect ECONNREFUSED|No connection established/i.test(msg);
  });
}

/** True for an error raised by the Temporal client (the service refused or failed the call). */
export function isTemporalServiceError(err: unknown): boolean {
  return chain(err).some((e) => isGrpcError(e) || (e as Error)?.name === 'ServiceError');
}

function reason(err: unknown): string {
  const grpc = chain(err).find(isGrpcError);
  return String(grpc?.details || (err as Error)?.message || err);
}

/** Maps a Temporal client error to an HttpException (503 unreachable, 502 refused), else undefined. */
export function temporalHttpException(err: unknown, what = 'the change was not saved'): HttpException | undefined {
  if (err instanceof HttpException) return undefined;
  if (isTemporalUnavailable(err)) {
    return new HttpException(
      { statusCode: 503, error: 'Service Unavailable', message: `Temporal is unreachable (${reason(err)}); ${what}` },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
  if (isTemporalServiceError(err)) {
    return new HttpException(
      { statusCode: 502, error: 'Bad Gateway', message: `Temporal refused the call (${reason(err)}); ${what}` },
      HttpStatus.BAD_GATEWAY,
    );
  }
  return undefined;
}
