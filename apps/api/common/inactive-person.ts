import { NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { fieldError, ValidationFailedException } from './validation';

/**
 * The 400 for a deactivated person named as an owner, responder, action owner, verifier,
 * new task owner or manager: a deactivated person cannot be given new work.
 */
export function inactivePersonError(field: string, personId: string): ValidationFailedException {
  return fieldError(field, `${field}: person ${personId} is deactivated and cannot be given new work`);
}

/**
 * The person named in `field` exists (else a 404 naming them as `role`) and is active (else
 * the 400 above). FOR SHARE: inside a transaction they cannot be deactivated or removed
 * before it commits.
 */
export async function requireActivePerson(db: Pick<EntityManager, 'query'>, field: string, personId: string, role: string): Promise<void> {
  const rows: Array<{ active: boolean }> = await db.query(`SELECT active FROM people WHERE id = $1 FOR SHARE`, [personId]);
  if (!rows.length) throw new NotFoundException(`${role} ${personId} not found`);
  if (!rows[0].active) throw inactivePersonError(field, personId);
}
