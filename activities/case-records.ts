/** The incident and nonconformity read models over PostgreSQL, each write with its audit event in one transaction. */
import type { DataSource, EntityManager } from 'typeorm';
import { incidentWorkflowId, nonconformityWorkflowId } from '../libs/contracts';
import type { RecordCaseInput } from '../libs/contracts';
import { appendAuditEvent } from '../libs/persistence';
import { upsertIncident, upsertNonconformity } from '../libs/persistence';
import type { CaseRecords } from './ports';

export function createPostgresCaseRecords(dataSource: DataSource): CaseRecords {
  async function record(
    streamId: string,
    input: RecordCaseInput<{ version: number }>,
    upsert: (tx: EntityManager) => Promise<void>,
  ): Promise<void> {
    await dataSource.transaction(async (tx) => {
      await upsert(tx);
      await appendAuditEvent(tx, {
        streamId,
        idempotencyKey: `${streamId}#${input.status.version}:${input.event}`,
        event: input.event,
        actorId: input.actorId ?? null,
        occurredAt: new Date(input.at),
        detail: { ...(input.detail ?? {}), version: input.status.version },
      });
    });
  }
  return {
    recordIncident: (input) => record(incidentWorkflowId(input.status.incidentId), input, (tx) => upsertIncident(tx, input.status)),
    recordNonconformity: (input) =>
      record(nonconformityWorkflowId(input.status.nonconformityId), input, (tx) => upsertNonconformity(tx, input.status)),
  };
}
