/**
 * `orgCadenceCycle`: one run of an organisation-wide cadence, started by its Schedule
 * `org:<kind>` (or a trigger). It opens the period's round `<kind>:<period>` as an abandoned
 * child with a deterministic id, so a second run for the same period is refused by Temporal
 * itself and answers `already-open` with the same round.
 */
import { ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ORG_ROUND_WORKFLOW_TYPES,
  OrgCadenceCycleInput,
  OrgCadenceCycleResult,
  OrgRoundInput,
  orgRoundWorkflowId,
} from '../libs/contracts';
import { orgPeriodOf } from '../libs/domain';

export async function orgCadenceCycle(input: OrgCadenceCycleInput): Promise<OrgCadenceCycleResult> {
  // Workflow time: a run late by a day (a catch-up) still belongs to the period it was for.
  const period = orgPeriodOf({ intervalMonths: input.intervalMonths, startMonth: input.startMonth }, new Date(), input.timeZone);
  const roundId = orgRoundWorkflowId(input.kind, period.key);
  const round: OrgRoundInput = {
    cadenceId: input.cadenceId,
    kind: input.kind,
    period: period.key,
    opensAt: period.opensAt.toISOString(),
    endsAt: period.endsAt.toISOString(),
    timeZone: input.timeZone,
  };
  try {
    // By type name: each kind's round is its own workflow, registered by the worker.
    await startChild(ORG_ROUND_WORKFLOW_TYPES[input.kind], {
      workflowId: roundId,
      args: [round],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'already-open', roundId, period: period.key };
    throw err;
  }
  return { outcome: 'opened', roundId, period: period.key };
}
