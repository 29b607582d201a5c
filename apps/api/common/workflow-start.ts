/**
 * How the API starts workflows: by name, typed by the workflow function. `import type`
 * keeps workflow code out of the API process, while the compiler checks every start's
 * `args` against the function's parameters, so a changed input type fails the build.
 *
 * `startWithinTransaction` starts one from inside the database transaction that records
 * it: when Temporal refuses or cannot be reached in time, the error rolls the transaction
 * back (502 / 503), so nothing is left behind.
 */
import { HttpException } from '@nestjs/common';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowHandleWithStartDetails,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowStartOptions,
  WorkflowUpdateHandle,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { WORKFLOW_TYPES } from '../../../libs/contracts';
import type * as workflows from '../../../workflows';
import { temporalHttpException } from './temporal-errors';

/** A workflow the worker registers, by the name the API starts it with. */
export type WorkflowName = keyof typeof WORKFLOW_TYPES;

/** The function type of a registered workflow: what its starts' `args` are checked against. */
export type WorkflowOf<N extends WorkflowName> = (typeof workflows)[N];

// Each registered name is the name of the workflow function it starts (a compile-time check).
WORKFLOW_TYPES satisfies { readonly [N in WorkflowName]: N };

/** Starts workflow `name`, its arguments checked against its function. */
export function startWorkflow<N extends WorkflowName>(
  client: Client,
  name: N,
  options: WorkflowStartOptions<WorkflowOf<N>>,
): Promise<WorkflowHandleWithStartDetails<WorkflowOf<N>>> {
  return client.workflow.start<WorkflowOf<N>>(WORKFLOW_TYPES[name], options);
}

/** How long a start may wait on Temporal while its rows are uncommitted. */
export const START_DEADLINE_MS = 10_000;

/** Starts workflow `name` once (REJECT_DUPLICATE) within START_DEADLINE_MS, or throws the HTTP error that rolls back. */
export async function startWithinTransaction<N extends WorkflowName>(
  client: Client,
  name: N,
  start: WorkflowStartOptions<WorkflowOf<N>>,
): Promise<WorkflowHandleWithStartDetails<WorkflowOf<N>>> {
  try {
    return await client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      startWorkflow(client, name, { ...start, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE }),
    );
  } catch (err) {
    if (err instanceof HttpException) throw err;
    throw temporalHttpException(err, 'nothing was saved') ?? err;
  }
}

/**
 * Update-with-Start within a transaction: starts workflow `name` once (a fresh id: FAIL on a
 * conflict, REJECT_DUPLICATE) with Update `update`, and returns as soon as the workflow has
 * accepted the Update, within START_DEADLINE_MS (the worker validated it; the Update may wait
 * on the workflow's state for its answer). The caller commits, then awaits the handle's result:
 * the workflow's own writes wait for the transaction, so its answer cannot come before the
 * commit. When Temporal refuses or does not answer in time the error rolls back (502 / 503) and
 * a workflow that may have started is terminated, so nothing is left behind on either side.
 */
export async function startWithUpdateWithinTransaction<N extends WorkflowName, R>(
  client: Client,
  name: N,
  start: WorkflowStartOptions<WorkflowOf<N>>,
  update: UpdateDefinition<R, []>,
): Promise<WorkflowUpdateHandle<R>> {
  // The spread of a generic options type does not narrow; the policies are plain fields.
  const options = {
    ...start,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  } as WorkflowStartOptions<WorkflowOf<N>> & { workflowIdConflictPolicy: WorkflowIdConflictPolicy };
  const startWorkflowOperation = new WithStartWorkflowOperation<WorkflowOf<N>>(WORKFLOW_TYPES[name], options);
  try {
    return await client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.startUpdateWithStart(update, { args: [], waitForStage: 'ACCEPTED', startWorkflowOperation }),
    );
  } catch (err) {
    // Started but not accepted in time (no worker, say): the row is rolled back, so the workflow goes too.
    await client.workflow
      .getHandle(start.workflowId)
      .terminate('its start was not confirmed in time; the request was rolled back')
      .catch(() => undefined);
    if (err instanceof HttpException) throw err;
    throw temporalHttpException(err, 'nothing was saved') ?? err;
  }
}
