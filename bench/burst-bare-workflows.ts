/**
 * The bare baseline of bench/burst.bench.ts: a cycle of the same shape as `cadenceCycle` and its
 * `governanceTask` opening, with nothing of the product in it. The cycle reads the system (one
 * activity) and starts a child; the child writes a row and sends the owner one email (two activities).
 */
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';

export interface BareActivities {
  readSystem(systemId: string): Promise<{ id: string; name: string; ownerEmail: string } | null>;
  insertRow(taskId: string, systemId: string): Promise<void>;
  sendEmail(to: string, subject: string): Promise<void>;
}

const { readSystem, insertRow, sendEmail } = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });

export async function bareCycle(systemId: string): Promise<string> {
  const system = await readSystem(systemId);
  if (!system) return 'out-of-scope';
  await startChild(bareTask, {
    workflowId: `bare-task:${systemId}`,
    args: [system.id, system.name, system.ownerEmail],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  return 'opened';
}

export async function bareTask(systemId: string, name: string, ownerEmail: string): Promise<void> {
  await insertRow(`bare-task:${systemId}`, systemId);
  await sendEmail(ownerEmail, `Review ${name}`);
}
