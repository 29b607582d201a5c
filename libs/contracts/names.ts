/** Names both sides of Temporal must agree on. */
export const DEFAULT_TASK_QUEUE = 'aims';

export const WORKFLOW_TYPES = {
  governanceTask: 'governanceTask',
  cadenceCycle: 'cadenceCycle',
  prohibitedSystemAlert: 'prohibitedSystemAlert',
  incident: 'incident',
  correctiveAction: 'correctiveAction',
  orgCadenceCycle: 'orgCadenceCycle',
  inventoryRecertification: 'inventoryRecertification',
  policyReview: 'policyReview',
  policyReviewRound: 'policyReviewRound',
  auditProgramme: 'auditProgramme',
  managementReview: 'managementReview',
} as const;
