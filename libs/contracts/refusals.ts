/**
 * Why an Update validator refused a call. The workflow throws an ApplicationFailure with
 * one of these types; the API maps it to a status code without parsing messages.
 */
export const REFUSAL = {
  /** The caller may not do this (wrong person or role; approver equals submitter): 403. */
  notPermitted: 'NotPermitted',
  /** Not in this state (approve before submit, submit after approval): 409. */
  invalidState: 'InvalidState',
  /** The arguments are wrong (a due date in the past): 400. */
  invalidArgument: 'InvalidArgument',
} as const;
export type RefusalType = (typeof REFUSAL)[keyof typeof REFUSAL];

export const REFUSAL_HTTP_STATUS: Record<RefusalType, number> = {
  NotPermitted: 403,
  InvalidState: 409,
  InvalidArgument: 400,
};
