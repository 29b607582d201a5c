/**
 * A worker run inside the test process (activities the test wraps with faults), on its own
 * task queue of a started stack, with a client to start workflows on it.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createWorker } from '../../../apps/worker/worker';
import type { GovernanceActivities } from '../../../libs/contracts';
import type { Stack } from '../../../tools/stack';

export interface InProcessWorker {
  client: Client;
  /** Drains the worker and closes both connections. */
  stop(): Promise<void>;
}

export async function runInProcessWorker(
  stack: Pick<Stack, 'temporalAddress' | 'temporalNamespace'>,
  taskQueue: string,
  activities: GovernanceActivities,
): Promise<InProcessWorker> {
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const worker = await createWorker({ connection: nativeConnection, namespace: stack.temporalNamespace, taskQueue, activities });
  const running = worker.run();
  const connection = await Connection.connect({ address: stack.temporalAddress });
  return {
    client: new Client({ connection, namespace: stack.temporalNamespace }),
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await nativeConnection.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
