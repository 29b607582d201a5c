/**
 * Refused Updates -> HTTP. The workflow's validators throw an ApplicationFailure whose type is
 * one of libs/contracts REFUSAL; the API maps the type (never the message text) to a status and
 * passes the validator's reason on as the message.
 */
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { REFUSAL_HTTP_STATUS, RefusalType } from '../../../libs/contracts';

export interface HttpRefusal {
  statusCode: number;
  message: string;
  /** The refusal type, when the workflow said one. */
  refusal?: RefusalType;
}

function isRefusalType(t: unknown): t is RefusalType {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(REFUSAL_HTTP_STATUS, t);
}

/** The ApplicationFailure an Update failed with, walking the cause chain. */
export function applicationFailureOf(err: unknown): ApplicationFailure | undefined {
  let cur: unknown = err;
  for (let i = 0; cur && i < 8; i++) {
    if (cur instanceof ApplicationFailure) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A refused or failed Update as an HTTP answer; undefined when the error is not an Update
 * failure (not found, Temporal unreachable, ... are handled by the caller).
 */
export function refusalToHttp(err: unknown): HttpRefusal | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const failure = applicationFailureOf(err);
  const reason = failure?.message || err.message || 'the update was refused';
  if (failure && isRefusalType(failure.type)) {
    return { statusCode: REFUSAL_HTTP_STATUS[failure.type], message: reason, refusal: failure.type };
  }
  // A validator or handler that failed without a refusal type is a fault, not a refusal.
  return { statusCode: 500, message: `the update failed: ${reason}` };
}
