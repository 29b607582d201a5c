/**
 * Who may use what, read from the @Roles of the API's controllers (admin always may): the app
 * hides what a role cannot use. The API still decides; a hidden link is a courtesy, not a guard.
 */
import type { Role } from './api/types';

const anyone: readonly Role[] = ['admin', 'governance_lead', 'owner', 'responder', 'management', 'auditor'];

export const ACCESS = {
  /** GET /tasks, everyone's own work. */
  myWork: anyone,
  /** Task approverRoles name governance leads, management and (for reviews) owners. */
  approvals: ['admin', 'governance_lead', 'management', 'owner'],
  /** Incidents: responders and governance leads act; owners may open one (POST /incidents). */
  incidents: ['admin', 'governance_lead', 'responder', 'owner'],
  openIncident: ['admin', 'governance_lead', 'responder', 'owner'],
  /** GET /cadences. */
  inventory: ['admin', 'governance_lead', 'management', 'auditor'],
  /** POST /cadences/:id/{trigger,pause,unpause}. */
  runCadences: ['admin', 'governance_lead'],
  /** GET /status/* and GET /audit-programmes. */
  dashboard: ['admin', 'governance_lead', 'management', 'auditor'],
  settings: anyone,
} satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof ACCESS;

export function may(role: Role | undefined, what: Capability): boolean {
  return !!role && (ACCESS[what] as readonly Role[]).includes(role);
}
