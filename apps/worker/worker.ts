/**
 * Builds the Temporal worker: the three workflows of workflows/ and the activities made by
 * `createActivities`. Used by apps/worker/main.ts and by the tests.
 */
import * as fs from 'fs';
import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker, WorkflowBundleOption } from '@temporalio/worker';
import { DEFAULT_TASK_QUEUE, GovernanceActivities } from '../../libs/contracts';

/** The workflow module the worker bundles (workflows/index.ts, or .js once built). */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

export interface TemporalConnectionConfig {
  /** host:port, default localhost:7233. */
  address?: string;
  /** TLS on (Temporal Cloud); also implied by an API key or a client certificate. */
  tls?: boolean;
  apiKey?: string;
  /** mTLS client certificate and key (PEM files). */
  clientCertPath?: string;
  clientKeyPath?: string;
}

export async function connectTemporal(config: TemporalConnectionConfig = {}): Promise<NativeConnection> {
  const address = config.address || 'localhost:7233';
  const mtls =
    config.clientCertPath && config.clientKeyPath
      ? { clientCertPair: { crt: fs.readFileSync(config.clientCertPath), key: fs.readFileSync(config.clientKeyPath) } }
      : undefined;
  const tls = mtls ?? (config.tls || config.apiKey ? true : undefined);
  return NativeConnection.connect({ address, tls, apiKey: config.apiKey || undefined });
}

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
