/** Who a person is to the AIMS. Every API token belongs to one person with one role. */
export const ROLES = ['admin', 'governance_lead', 'owner', 'responder', 'management', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
