/**
 * Starts a workflow from inside the database transaction that records it: when Temporal
 * refuses or cannot be reached in time, the error rolls the transaction back (502 / 503),
 * so nothing is left behind.
 */
import { HttpException } from '@nestjs/common';
import { Client, WorkflowIdReusePolicy } from '@temporalio/client';
import { temporalHttpException } from './temporal-errors';

/** How long a start may wait on Temporal while its rows are uncommitted. */
export const START_DEADLINE_MS = 10_000;

export async function startWithinTransaction(
  client: Client,
  start: { workflowType: string; workflowId: string; taskQueue: string; args: unknown[] },
): Promise<void> {
  try {
    await client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.start(start.workflowType, {
        workflowId: start.workflowId,
        taskQueue: start.taskQueue,
        args: start.args,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      }),
    );
  } catch (err) {
    if (err instanceof HttpException) throw err;
    throw temporalHttpException(err, 'nothing was saved') ?? err;
  }
}
