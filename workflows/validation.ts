/** What every workflow's Update validators share: refusing with a typed reason, never failing the workflow. */
import { ApplicationFailure } from '@temporalio/workflow';
import { Actor, REFUSAL, RefusalType } from '../libs/contracts';

export function refuse(type: RefusalType, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export function nonEmpty(s: unknown): s is string {
  return typeof s === 'string' && s.trim().length > 0;
}

export function requireActor(by: Actor | undefined): Actor {
  if (!by || !nonEmpty(by.personId) || !nonEmpty(by.role)) refuse(REFUSAL.invalidArgument, 'the acting person and role are required');
  return by;
}

/** A deep copy of a JSON snapshot, so a recorded or queried status never aliases live state. */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
