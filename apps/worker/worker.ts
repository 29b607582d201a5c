/**
 * Builds the Temporal worker: the five workflows of workflows/ and the activities made by
 * `createActivities`. Used by apps/worker/main.ts and by the tests.
 */
import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker, WorkflowBundleOption } from '@temporalio/worker';
import { DEFAULT_TASK_QUEUE, GovernanceActivities } from '../../libs/contracts';

/** The workflow module the worker bundles (workflows/index.ts, or .js once built). */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

export interface CreateWorkerOptions {
  connection: NativeConnection;
  activities: GovernanceActivities;
  namespace?: string;
  taskQueue?: string;
  /** A prebuilt bundle (tests share one); default: bundle WORKFLOWS_PATH. */
  workflowBundle?: WorkflowBundleOption;
  /** Time for running activities to finish on shutdown. */
  shutdownGraceTime?: Duration;
  identity?: string;
}

export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? DEFAULT_TASK_QUEUE,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: opts.activities,
    shutdownGraceTime: opts.shutdownGraceTime ?? '10 seconds',
    ...(opts.identity ? { identity: opts.identity } : {}),
  });
}
