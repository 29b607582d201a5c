/** The policy workflows' activities (PolicyActivities) over their port: PostgreSQL in production, a fake in tests. */
import type { DataSource } from 'typeorm';
import type { PolicyActivities, PolicyForRound, PolicyReviewStatus, RecordCaseInput } from '../libs/contracts';
import { policiesForReview, recordPolicyReview } from '../libs/persistence';

export interface PolicyRecords {
  /** Every policy, with its open review (if any). */
  forReview(): Promise<PolicyForRound[]>;
  /**
   * In ONE transaction: the review's row if newer and its event keyed `<reviewId>#<version>:<event>`;
   * on approval, the policy's new version once (libs/persistence/policies.ts `recordPolicyReview`).
   */
  recordReview(input: RecordCaseInput<PolicyReviewStatus>): Promise<void>;
}

export function createPolicyActivities(deps: { policies: PolicyRecords }): PolicyActivities {
  return {
    loadPoliciesForReview: () => deps.policies.forReview(),
    recordPolicyReview: (input) => deps.policies.recordReview(input),
  };
}

export function createPostgresPolicyRecords(dataSource: DataSource): PolicyRecords {
  return {
    forReview: () => policiesForReview(dataSource),
    recordReview: (input) => recordPolicyReview(dataSource, input),
  };
}
