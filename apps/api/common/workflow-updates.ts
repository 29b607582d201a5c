/**
 * Executes one workflow Update and turns its refusals into HTTP answers: a validator's typed
 * refusal becomes 400/403/409, a missing workflow 404, a closed one 409. Every resource whose
 * actions are Updates (tasks, incidents) goes through here.
 */
import { HttpException, Logger, NotFoundException } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { STATUS_CODES } from 'http';
import { taskOpenedUpdate } from '../../../libs/contracts';
import { refusalToHttp } from '../tasks/update-errors';

const logger = new Logger('WorkflowUpdates');

export async function executeUpdate<R, A>(
  client: Client,
  workflowId: string,
  what: string,
  def: UpdateDefinition<R, [A]>,
  arg: A,
): Promise<R> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    return await handle.executeUpdate(def, { args: [arg] });
  } catch (err) {
    const refused = refusalException(err, `update ${def.name} of ${workflowId}`);
    if (refused) throw refused;
    if (err instanceof WorkflowNotFoundError) throw await notFoundOrClosed(client, workflowId, what);
    throw err;
  }
}

/** The answer of an Update already accepted (Update-with-Start), its failures as HTTP answers like executeUpdate's. */
export async function awaitUpdateResult<R>(handle: WorkflowUpdateHandle<R>, what: string): Promise<R> {
  try {
    return await handle.result();
  } catch (err) {
    throw refusalException(err, `${what}: update ${handle.updateId}`) ?? err;
  }
}

function refusalException(err: unknown, where: string): HttpException | undefined {
  const refusal = refusalToHttp(err);
  if (!refusal) return undefined;
  if (refusal.statusCode >= 500) logger.error(`${where}: ${refusal.message}`);
  return new HttpException(
    {
      statusCode: refusal.statusCode,
      error: STATUS_CODES[refusal.statusCode],
      message: refusal.message,
      ...(refusal.refusal ? { refusal: refusal.refusal } : {}),
    },
    refusal.statusCode,
  );
}

/**
 * Waits until task `taskId` has recorded its opening (its `opened` Update, which waits on the
 * workflow's state), so it reads in the read model. A task already finished was recorded long
 * ago: its NOT_FOUND is no error here.
 */
export async function awaitTaskOpened(client: Client, taskId: string): Promise<void> {
  try {
    await client.workflow.getHandle(taskId).executeUpdate(taskOpenedUpdate);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    throw refusalException(err, `update opened of ${taskId}`) ?? err;
  }
}

/** Temporal says NOT_FOUND both for an unknown workflow and for a closed one: tell them apart. */
async function notFoundOrClosed(client: Client, workflowId: string, what: string): Promise<HttpException> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    return new HttpException(
      { statusCode: 409, error: 'Conflict', message: `${what} is closed (${d.status.name.toLowerCase()}); it takes no more changes` },
      409,
    );
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return new NotFoundException(`${what} not found`);
    throw err;
  }
}
