import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, ScheduleNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { randomUUID } from 'crypto';
import { CadenceCycleInput, WORKFLOW_TYPES } from '../../../libs/contracts';
import { CADENCE_KINDS, cadenceId, parseCadenceId } from '../../../libs/domain';
import { appendToStream, AUDIT_STREAMS } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { fieldError } from '../common/validation';
import { startWithinTransaction } from '../common/workflow-start';
import { awaitTaskOpened } from '../common/workflow-updates';
import { TriggeredView } from './cadences.dto';
import { CadenceReconciler } from './cadence-reconciler';
import { cadenceView, CadenceView } from './schedule-spec';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `parseCadencePathId` as a JSON Schema pattern (for the OpenAPI document). */
export const CADENCE_ID_PATTERN = `^(${CADENCE_KINDS.join('|')}):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`;

const READ_DEADLINE_MS = 5_000;

export type CadenceAction = 'paused' | 'unpaused';

/** A cadence id from the path: `<kind>:<systemId>` with a known kind and a UUID; else a 400 on `id`. */
export function parseCadencePathId(id: string): { kind: (typeof CADENCE_KINDS)[number]; systemId: string } {
  const parsed = id.length <= 200 ? parseCadenceId(id) : undefined;
  if (!parsed || !UUID.test(parsed.systemId)) {
    throw fieldError('id', `id must be a cadence id: <${CADENCE_KINDS.join('|')}>:<system UUID>`);
  }
  return parsed;
}

@Injectable()
export class CadencesService {
  constructor(
    private readonly client: Client,
    private readonly reconciler: CadenceReconciler,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The Schedules Temporal has for a system (404 when the system is unknown). */
  async listForSystem(systemId: string): Promise<CadenceView[]> {
    const rows = await this.db.query(`SELECT 1 FROM ai_systems WHERE id = $1`, [systemId]);
    if (!rows.length) throw new NotFoundException(`AI system ${systemId} not found`);
    // A read: answer within a bounded time when Temporal is down (503), rather than after every gRPC retry.
    const described = await this.client.withDeadline(Date.now() + READ_DEADLINE_MS, () =>
      Promise.all(CADENCE_KINDS.map((kind) => this.reconciler.describe(cadenceId(kind, systemId)))),
    );
    return described.filter((d): d is NonNullable<typeof d> => !!d).map(cadenceView);
  }

  /**
   * Runs the cadence's cycle now, as the Schedule would (its own action: workflow type, input and
   * task queue), and answers with the cycle's result: the current period's task, opened now or
   * already open, recorded and so readable at once. The audit event and the start are one
   * transaction (a refused start leaves nothing); the answer waits after the commit, as the
   * cycle's task records its opening in the same audit trail.
   */
  async trigger(id: string, actor: AuthenticatedPerson): Promise<TriggeredView> {
    const at = new Date();
    const { kind, systemId } = parseCadencePathId(id);
    const desc = await this.reconciler.describe(id);
    if (!desc) throw new NotFoundException(`cadence ${id} not found`);
    if (desc.action.type !== 'startWorkflow' || desc.action.workflowType !== WORKFLOW_TYPES.cadenceCycle)
      throw new ConflictException(`cadence ${id} does not run a cadence cycle`);
    const input = desc.action.args?.[0] as CadenceCycleInput | undefined;
    if (!input) throw new ConflictException(`cadence ${id} has no cycle input`);
    const workflowId = `${id}:triggered:${randomUUID()}`;
    const run = await this.db.transaction(async (tx) => {
      await appendToStream(tx, AUDIT_STREAMS.cadence(id), {
        event: 'cadence.triggered',
        actorId: actor.id,
        detail: { cadenceId: id, kind, systemId, workflowId },
      });
      return startWithinTransaction(this.client, 'cadenceCycle', { workflowId, taskQueue: desc.action.taskQueue, args: [input] });
    });
    const result = await run.result();
    if (result.outcome === 'not-due') {
      throw new ConflictException(
        result.firstRunAt
          ? `no yearly AI impact assessment of ${systemId} is due before ${result.firstRunAt} (the first anniversary of its go-live); no task was opened`
          : `the system ${systemId} is not live yet and has no go-live date: no yearly AI impact assessment is due; no task was opened`,
      );
    }
    if (result.outcome === 'out-of-scope' || !result.taskId || !result.period)
      throw new ConflictException(`the system ${systemId} is not in scope of ${kind} any more; no task was opened`);
    // Opened by an earlier run: it may still be recording its opening (a run a moment ago).
    if (result.outcome === 'already-open') await awaitTaskOpened(this.client, result.taskId);
    return { cadenceId: id, triggeredAt: at.toISOString(), taskId: result.taskId, period: result.period, outcome: result.outcome };
  }

  async pause(id: string, actor: AuthenticatedPerson, note?: string): Promise<CadenceView> {
    const text = note || `Paused by ${actor.name}`;
    await this.act(id, 'paused', actor, note, (h) => h.pause(text));
    return this.view(id);
  }

  async unpause(id: string, actor: AuthenticatedPerson, note?: string): Promise<CadenceView> {
    const text = note || `Unpaused by ${actor.name}`;
    await this.act(id, 'unpaused', actor, note, (h) => h.unpause(text));
    return this.view(id);
  }

  private async view(id: string): Promise<CadenceView> {
    const desc = await this.reconciler.describe(id);
    if (!desc) throw new NotFoundException(`cadence ${id} not found`);
    return cadenceView(desc);
  }

  /**
   * 404 unless the Schedule exists; then the audit event and the Temporal call in one
   * transaction: if Temporal refuses, the event is rolled back (nothing left behind).
   */
  private async act(
    id: string,
    action: CadenceAction,
    actor: AuthenticatedPerson,
    note: string | undefined,
    call: (h: ReturnType<Client['schedule']['getHandle']>) => Promise<void>,
  ): Promise<void> {
    const { kind, systemId } = parseCadencePathId(id);
    const desc = await this.reconciler.describe(id);
    if (!desc) throw new NotFoundException(`cadence ${id} not found`);
    if (action === 'paused' && desc.state.paused) throw new ConflictException(`cadence ${id} is already paused`);
    if (action === 'unpaused' && !desc.state.paused) throw new ConflictException(`cadence ${id} is not paused`);
    await this.db.transaction(async (tx) => {
      await appendToStream(tx, AUDIT_STREAMS.cadence(id), {
        event: `cadence.${action}`,
        actorId: actor.id,
        detail: { cadenceId: id, kind, systemId, ...(note ? { note } : {}) },
      });
      try {
        await call(this.client.schedule.getHandle(id));
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) throw new NotFoundException(`cadence ${id} not found`);
        throw err;
      }
    });
  }
}
