/**
 * Who holds each level of an owner's escalation chain: the one rule, used by the worker to
 * address a ladder step's emails and by the API to put the steps that concern a person in
 * their calendar feed. Reads people only through the `PeopleDirectory` port.
 */
import type { Role } from '../libs/contracts';
import { ESCALATION_LEVELS, EscalationLevel } from '../libs/domain';
import type { ActivityDeps, Person } from './ports';

/** The chain above the owner, lowest first. */
const CHAIN_ABOVE_OWNER: readonly EscalationLevel[] = ESCALATION_LEVELS.slice(1);

/** The role whose holders hold a level above the manager. */
const LEVEL_ROLE: Record<'governance_lead' | 'top_management', Role> = { governance_lead: 'governance_lead', top_management: 'management' };

/** Admins stand in for an empty top of the chain. */
const STAND_IN_ROLE: Role = 'admin';

/** Every role the chain hands a level to by role (beside the owner and the owner's manager). */
export const CHAIN_ROLES: readonly Role[] = [...Object.values(LEVEL_ROLE), STAND_IN_ROLE];

/**
 * Who holds each level of the owner's chain: owner -> manager -> governance lead(s) -> top
 * management. A level nobody holds (an owner without a manager, no governance lead yet)
 * passes its notification up the chain, ending with the admins, so an escalation is never
 * lost; `unfilled` names those levels for the audit trail.
 */
export async function resolveChain(
  deps: Pick<ActivityDeps, 'directory'>,
  ownerId: string,
  levels: EscalationLevel[],
): Promise<{ holders: Array<{ level: EscalationLevel; people: Person[] }>; unfilled: EscalationLevel[]; owner: Person | null }> {
  const owner = await deps.directory.person(ownerId);
  const holdersOf = async (level: EscalationLevel): Promise<Person[]> => {
    if (level === 'owner') return owner ? [owner] : [];
    if (level === 'manager') {
      const manager = owner?.managerId ? await deps.directory.person(owner.managerId) : null;
      return manager ? [manager] : [];
    }
    return deps.directory.peopleByRole(LEVEL_ROLE[level]);
  };
  const holders: Array<{ level: EscalationLevel; people: Person[] }> = [];
  const unfilled: EscalationLevel[] = [];
  for (const level of levels) {
    let people = await holdersOf(level);
    // Recipients are named by the level they hold, so an email says why it reached them.
    let heldAs = level;
    if (!people.length) {
      unfilled.push(level);
      for (const higher of CHAIN_ABOVE_OWNER.slice(CHAIN_ABOVE_OWNER.indexOf(level) + 1)) {
        people = await holdersOf(higher);
        heldAs = higher;
        if (people.length) break;
      }
      if (!people.length) {
        people = await deps.directory.peopleByRole(STAND_IN_ROLE);
        heldAs = 'top_management';
      }
    }
    holders.push({ level: heldAs, people: [...people].sort((a, b) => a.id.localeCompare(b.id)) });
  }
  return { holders, unfilled, owner };
}
