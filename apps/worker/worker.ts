/**
 * Builds the Temporal worker: the five workflows of workflows/ and the activities made by
 * `createActivities`. Used by apps/worker/main.ts and by the tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker, WorkflowBundleOption } from '@temporalio/worker';
import type { WorkerThroughput } from '../../libs/config';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../../libs/config';
import { DEFAULT_TASK_QUEUE, GovernanceActivities } from '../../libs/contracts';

/** The workflow module the worker bundles (workflows/index.ts, or .js once built). */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

/** The workflow bundle `npm run build` (tools/build.ts) writes at the top of dist/. */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

/**
 * Where the workflows come from when no bundle is passed. Compiled (dist/apps/worker/worker.js),
 * the worker loads the bundle built beside it, dist/workflow-bundle.js, and runs no webpack at
 * start; a build without it is broken, so that is an error. From sources (ts-node, ts-jest) it
 * bundles WORKFLOWS_PATH itself, as `npm start` and the tests do.
 */
export function defaultWorkflowSource(): { workflowBundle: WorkflowBundleOption } | { workflowsPath: string } {
  if (path.extname(__filename) !== '.js') return { workflowsPath: WORKFLOWS_PATH };
  const codePath = path.resolve(__dirname, '..', '..', WORKFLOW_BUNDLE_FILE);
  if (!fs.existsSync(codePath))
    throw new Error(`${codePath} is missing: build with \`npm run build\`, which writes it with the compiled code`);
  return { workflowBundle: { codePath } };
}

export interface CreateWorkerOptions {
  connection: NativeConnection;
  activities: GovernanceActivities;
  namespace?: string;
  taskQueue?: string;
  /** A prebuilt bundle (tests share one); default: defaultWorkflowSource(). */
  workflowBundle?: WorkflowBundleOption;
  /** Time for running activities to finish on shutdown. */
  shutdownGraceTime?: Duration;
  identity?: string;
  /** Task slots and pollers (libs/config AIMS_WORKER_*); default: the SDK's. */
  throughput?: Pick<WorkerThroughput, 'maxConcurrentActivities' | 'maxConcurrentWorkflowTasks' | 'workflowPollers' | 'activityPollers'>;
  // --- memory (libs/config WorkerMemoryConfig) ---
  /** Workflows kept in memory between their tasks (AIMS_WORKER_MAX_CACHED_WORKFLOWS); one evicted replays at its next task. */
  maxCachedWorkflows?: number;
}

export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? DEFAULT_TASK_QUEUE,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : defaultWorkflowSource()),
    activities: opts.activities,
    shutdownGraceTime: opts.shutdownGraceTime ?? '10 seconds',
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.throughput
      ? {
          maxConcurrentActivityTaskExecutions: opts.throughput.maxConcurrentActivities,
          maxConcurrentWorkflowTaskExecutions: opts.throughput.maxConcurrentWorkflowTasks,
          maxConcurrentWorkflowTaskPolls: opts.throughput.workflowPollers,
          maxConcurrentActivityTaskPolls: opts.throughput.activityPollers,
        }
      : {}),
    // --- memory: the cache bound, the product's default rather than the SDK's (sized from the heap limit, ~2,300 on 4 GB) ---
    maxCachedWorkflows: opts.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
  });
}
