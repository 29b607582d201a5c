/** Every workflow the worker registers (this file is the worker's `workflowsPath`). */
export { governanceTask } from './governance-task';
export type { GovernanceTaskState } from './governance-task';
export { cadenceCycle } from './cadence-cycle';
export { prohibitedSystemAlert } from './prohibited-system-alert';
export { incident } from './incident';
export { correctiveAction } from './corrective-action';
export { orgCadenceCycle } from './org-cadence-cycle';
export { inventoryRecertification } from './inventory-recertification';
export { policyReview } from './policy-review';
export { policyReviewRound } from './policy-review-round';
export { auditProgramme } from './audit-programme';
export { managementReview } from './management-review';
