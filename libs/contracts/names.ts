/** Names both sides of Temporal must agree on. */
export const DEFAULT_TASK_QUEUE = 'aims';

export const WORKFLOW_TYPES = {
  governanceTask: 'governanceTask',
  cadenceCycle: 'cadenceCycle',
  prohibitedSystemAlert: 'prohibitedSystemAlert',
} as const;
