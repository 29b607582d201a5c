import { fieldError, ValidationFailedException } from './validation';

/**
 * The 400 for a deactivated person named as an owner, responder, action owner, verifier,
 * new task owner or manager: a deactivated person cannot be given new work.
 */
export function inactivePersonError(field: string, personId: string): ValidationFailedException {
  return fieldError(field, `${field}: person ${personId} is deactivated and cannot be given new work`);
}
